import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScalarArray } from '../imaging';
import { writeFileAtomically } from '../common';
import { resolveInsideProject } from './resolveInsideProject';

/**
 * Decoded volumes as raw little-endian voxel files inside the project folder, so that reopening a project never
 * decodes DICOM again. Geometry and type live in the store; this holds the bytes only.
 */
export class VolumeCache {
  constructor(private readonly projectFolder: string) {}

  static relativePathOf(volumeId: string): string {
    return join('cache', 'volumes', `${volumeId}.raw`);
  }

  async write(volumeId: string, scalars: ScalarArray): Promise<string> {
    const relative = VolumeCache.relativePathOf(volumeId);
    await mkdir(join(this.projectFolder, 'cache', 'volumes'), { recursive: true });
    await writeFileAtomically(join(this.projectFolder, relative), toLittleEndianBytes(scalars));
    return relative;
  }

  /** Reads a cache file the store names; a path that leads outside the project is refused ('bad-file'). */
  async read(relativePath: string): Promise<Uint8Array> {
    const buffer = await readFile(resolveInsideProject(this.projectFolder, relativePath));
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
}

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toLittleEndianBytes(scalars: ScalarArray): Uint8Array {
  const bytes = new Uint8Array(scalars.buffer, scalars.byteOffset, scalars.byteLength);
  if (hostIsLittleEndian || scalars.BYTES_PER_ELEMENT === 1) return bytes;
  const swapped = new Uint8Array(bytes);
  const width = scalars.BYTES_PER_ELEMENT;
  for (let offset = 0; offset < swapped.length; offset += width) swapped.subarray(offset, offset + width).reverse();
  return swapped;
}
