/**
 * The NIfTI reader: .nii and .nii.gz, NIfTI-1 and NIfTI-2, either byte order. Streams a compressed file (reads an
 * uncompressed one at the volume's offset) and keeps only the one volume asked for, applies scl_slope/scl_inter, and
 * converts the header's RAS affine to the LPS model of `Volume`.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { convertLpsRas } from '../geometry';
import { describeFileSystemError, ImagingError } from '../ImagingError';
import { swapBytesInPlace } from '../swapBytesInPlace';
import type { ImportedVolume, ImportOptions } from '../importTypes';
import { createScalarArray, type ScalarArray, type Vec3 } from '../volume';
import { chooseNiftiAffine } from './niftiAffine';
import { describeUnsupportedDatatype, findNiftiDatatype, type NiftiDatatype } from './niftiDatatypes';
import { NIFTI2_HEADER_SIZE, parseNiftiHeader, type NiftiHeader } from './niftiHeader';
import { isGzipFile, measureMaximumContentBytes, openNiftiByteStream } from './openNiftiByteStream';

export interface ReadNiftiOptions extends ImportOptions {
  /** Which volume of a 4D (or higher) file to load; 0 by default. */
  volumeIndex?: number;
}

interface VolumeLayout {
  header: NiftiHeader;
  datatype: NiftiDatatype;
  dimensions: Vec3;
  volumeCount: number;
  /** Byte range of the chosen volume in the decompressed file. */
  start: number;
  length: number;
}

export async function readNiftiFile(path: string, options: ReadNiftiOptions = {}): Promise<ImportedVolume> {
  const collector = new VolumeBytesCollector(path, options, await measureMaximumContentBytes(path));
  // How many bytes the (decompressed) file holds in all, to check every volume a 4D header promises is there.
  let contentBytes: number;
  if (await isGzipFile(path)) {
    contentBytes = 0;
    let done = false;
    for await (const chunk of openNiftiByteStream(path, options.signal)) {
      options.signal?.throwIfAborted();
      contentBytes += chunk.length;
      if (!done) done = collector.push(chunk);
      // A 3D file needs nothing after its volume; a 4D file is counted to its end.
      if (done && collector.volumeCount() === 1) break;
    }
  } else {
    await readUncompressedVolume(path, collector, options.signal);
    contentBytes = await measureMaximumContentBytes(path);
  }
  const { layout, bytes } = collector.finish();
  checkAllVolumesPresent(path, layout, contentBytes);
  return buildImportedVolume(path, layout, bytes, options.volumeIndex ?? 0);
}

/** A 4D header whose later volumes the file does not hold is wrong (or the file cut short): never import a part. */
function checkAllVolumesPresent(path: string, layout: VolumeLayout, contentBytes: number): void {
  if (layout.volumeCount === 1) return;
  const needed = Math.floor(layout.header.voxOffset) + layout.volumeCount * layout.length;
  if (contentBytes >= needed) return;
  throw new ImagingError(
    'file-truncated',
    `${path} holds less image data than its header describes (${layout.volumeCount} volumes need ` +
      `${formatBytes(needed)}, the file holds ${formatBytes(contentBytes)}): the file is cut short or its header is wrong.`,
    path
  );
}

/** An uncompressed file is read at the chosen volume's offset: a late volume of a large 4D file costs no more. */
async function readUncompressedVolume(
  path: string,
  collector: VolumeBytesCollector,
  signal?: AbortSignal
): Promise<void> {
  const chunkBytes = 16 << 20;
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw describeFileSystemError(error, path);
  });
  try {
    const header = await readAt(handle, 0, NIFTI2_HEADER_SIZE, path);
    if (collector.push(header) || header.length < NIFTI2_HEADER_SIZE) return;
    const { start, length } = collector.getVolumeRange();
    // The header read may already hold the start of the first volume: continue after it, never copy a byte twice.
    for (let offset = Math.max(start, header.length); offset < start + length; offset += chunkBytes) {
      signal?.throwIfAborted();
      const chunk = await readAt(handle, offset, Math.min(chunkBytes, start + length - offset), path);
      if (collector.pushAt(chunk, offset) || chunk.length === 0) return;
    }
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number, path: string): Promise<Uint8Array> {
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, position);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    throw describeFileSystemError(error, path);
  }
}

/** Gathers the header, then copies only the chosen volume's bytes out of the passing stream. */
class VolumeBytesCollector {
  private headerChunks: Uint8Array[] = [];
  private headerChunkBytes = 0;
  private layout?: VolumeLayout;
  private target?: Uint8Array;
  private position = 0;
  private filled = 0;

  constructor(
    private readonly path: string,
    private readonly options: ReadNiftiOptions,
    private readonly maximumContentBytes: number
  ) {}

  /** Returns true once the chosen volume is complete and the rest of the file can be skipped. */
  push(chunk: Uint8Array): boolean {
    if (this.layout) return this.copyOverlap(chunk);
    this.headerChunks.push(chunk);
    this.headerChunkBytes += chunk.length;
    if (this.headerChunkBytes < NIFTI2_HEADER_SIZE) return false;
    return this.startVolume();
  }

  /** Bytes from `position` of the decompressed file (after the header has been pushed). */
  pushAt(chunk: Uint8Array, position: number): boolean {
    this.position = position;
    return this.copyOverlap(chunk);
  }

  volumeCount(): number {
    return this.layout?.volumeCount ?? 1;
  }

  getVolumeRange(): { start: number; length: number } {
    return { start: this.layout!.start, length: this.layout!.length };
  }

  finish(): { layout: VolumeLayout; bytes: Uint8Array } {
    if (!this.layout) this.startVolume();
    const layout = this.layout!;
    if (this.filled < layout.length) throw this.describeShortfall(this.filled);
    return { layout, bytes: this.target! };
  }

  private describeShortfall(bytesFound: number): ImagingError {
    const found = bytesFound > 0 ? `${formatBytes(bytesFound)} of ` : 'far less than the ';
    return new ImagingError(
      'file-truncated',
      `${this.path} holds less image data than its header describes (${found}${formatBytes(this.layout!.length)}): ` +
        'the file is cut short or its header is wrong.',
      this.path
    );
  }

  private startVolume(): boolean {
    const joined = Buffer.concat(this.headerChunks);
    this.headerChunks = [];
    const header = parseNiftiHeader(joined, this.path);
    this.layout = planVolumeLayout(header, this.options.volumeIndex ?? 0, this.path);
    if (this.layout.start + this.layout.length > this.maximumContentBytes) throw this.describeShortfall(0);
    this.target = new Uint8Array(this.layout.length);
    return this.copyOverlap(joined);
  }

  private copyOverlap(chunk: Uint8Array): boolean {
    const { start, length } = this.layout!;
    const from = Math.max(start, this.position);
    const to = Math.min(start + length, this.position + chunk.length);
    if (to > from) {
      this.target!.set(chunk.subarray(from - this.position, to - this.position), from - start);
      this.filled += to - from;
      this.reportProgress();
    }
    this.position += chunk.length;
    return this.filled === length;
  }

  private reportProgress(): void {
    const { dimensions, datatype } = this.layout!;
    const sliceBytes = dimensions[0] * dimensions[1] * datatype.bytesPerVoxel;
    this.options.onProgress?.({
      filesScanned: 1,
      seriesFound: 1,
      slicesDecoded: Math.floor(this.filled / sliceBytes),
      slicesTotal: dimensions[2]
    });
  }
}

function planVolumeLayout(header: NiftiHeader, volumeIndex: number, path: string): VolumeLayout {
  const damaged = (reason: string): ImagingError =>
    new ImagingError('damaged-header', `${path} has a damaged NIfTI header: ${reason}.`, path);
  const rank = header.dim[0]!;
  if (!(rank >= 1 && rank <= 7)) throw damaged(`it claims ${rank} dimensions`);
  const sizes = header.dim.slice(1, rank + 1);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1))
    throw damaged(`its image size ${sizes.join('×')} is impossible`);
  const datatype = findNiftiDatatype(header.datatype);
  if (!datatype) {
    throw new ImagingError(
      'unsupported-datatype',
      `${path} stores ${describeUnsupportedDatatype(header.datatype)} voxels, which cannot be used as a grey-scale scan.`,
      path
    );
  }
  const dimensions = [sizes[0] ?? 1, sizes[1] ?? 1, sizes[2] ?? 1] as Vec3;
  const volumeCount = sizes.slice(3).reduce((product, size) => product * size, 1);
  if (!Number.isInteger(volumeIndex) || volumeIndex < 0 || volumeIndex >= volumeCount) {
    throw new ImagingError(
      'invalid-request',
      `${path} holds ${volumeCount} volume(s); volume number ${volumeIndex + 1} does not exist.`,
      path
    );
  }
  const headerSize = header.version === 1 ? 348 : NIFTI2_HEADER_SIZE;
  if (!(header.voxOffset >= headerSize))
    throw damaged(`its image data would start inside the header (offset ${header.voxOffset})`);
  const length = dimensions[0] * dimensions[1] * dimensions[2] * datatype.bytesPerVoxel;
  if (length > 2 ** 33)
    throw damaged(`it describes a ${formatBytes(length)} volume, larger than any scan this application can hold`);
  return {
    header,
    datatype,
    dimensions,
    volumeCount,
    start: Math.floor(header.voxOffset) + volumeIndex * length,
    length
  };
}

function buildImportedVolume(
  path: string,
  layout: VolumeLayout,
  bytes: Uint8Array,
  volumeIndex: number
): ImportedVolume {
  const { header, datatype, dimensions } = layout;
  const raw = decodeVoxels(bytes, datatype, header.littleEndian);
  const scalars = applyScaling(raw, header.sclSlope, header.sclInter);
  const { rasAffine, method } = chooseNiftiAffine(header, path);
  const warnings: string[] = [];
  if (layout.volumeCount > 1)
    warnings.push(
      `This file holds ${layout.volumeCount} volumes (${describeExtraDimensions(header)}); volume ${volumeIndex + 1} of ${layout.volumeCount} was loaded.`
    );
  if (method === 'pixdim-only') {
    warnings.push('The file carries no orientation: it is shown as stored, and left and right cannot be trusted.');
  }
  return {
    volume: { geometry: { dimensions, voxelToPatient: convertLpsRas(rasAffine) }, scalars },
    description: {
      seriesDescription: header.description || basename(path).replace(/\.nii(\.gz)?$/i, ''),
      sourceFormat: 'nifti',
      sourceFiles: [path],
      ...(method === 'pixdim-only' ? {} : { frameOfReference: `nifti:${method === 'sform' ? header.sformCode : header.qformCode}` }),
      ...(layout.volumeCount > 1 ? { volumeIndex: volumeIndex + 1, volumeCount: layout.volumeCount } : {}),
      scaling:
        scalars === raw
          ? { applied: 'none', text: 'No scaling: the stored values (scl_slope 0, 1 or none).' }
          : {
              applied: 'nifti-scl',
              slope: header.sclSlope,
              intercept: Number.isFinite(header.sclInter) ? header.sclInter : 0,
              text: `NIfTI scl_slope ${header.sclSlope} and scl_inter ${Number.isFinite(header.sclInter) ? header.sclInter : 0} applied.`
            },
      warnings
    }
  };
}

/** "4th dimension 10" or "4th dimension 3 × 5th dimension 2": what the volume count is made of. */
function describeExtraDimensions(header: NiftiHeader): string {
  const rank = header.dim[0]!;
  const ordinal = ['4th', '5th', '6th', '7th'];
  return header.dim
    .slice(4, rank + 1)
    .map((size, n) => `${ordinal[n]} dimension ${size}`)
    .join(' × ');
}

/** File bytes to native-endian scalars; the buffer is fresh and aligned, so swapping happens in place. */
function decodeVoxels(bytes: Uint8Array, datatype: NiftiDatatype, littleEndian: boolean): ScalarArray {
  if (!littleEndian && datatype.bytesPerVoxel > 1) swapBytesInPlace(bytes, datatype.bytesPerVoxel);
  if (datatype.isInt64) {
    const wide = datatype.isInt64 === 'signed' ? new BigInt64Array(bytes.buffer) : new BigUint64Array(bytes.buffer);
    return Float64Array.from(wide, (value) => Number(value));
  }
  return createScalarArray(datatype.scalarType, bytes.buffer as ArrayBuffer);
}

/** scl_slope 0 means "no scaling" in the standard; identity scaling is skipped to keep integer types. */
function applyScaling(raw: ScalarArray, slope: number, intercept: number): ScalarArray {
  if (!Number.isFinite(slope) || slope === 0 || (slope === 1 && (intercept === 0 || !Number.isFinite(intercept))))
    return raw;
  const offset = Number.isFinite(intercept) ? intercept : 0;
  const scaled = raw instanceof Float64Array ? new Float64Array(raw.length) : new Float32Array(raw.length);
  for (let n = 0; n < raw.length; n++) scaled[n] = raw[n]! * slope + offset;
  return scaled;
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
