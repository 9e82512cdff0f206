/**
 * Reads whole files into a small ring of reused buffers. Importing a 1,000-slice series would otherwise leave a
 * file-sized buffer of garbage per slice for the collector, which shows up as peak memory well above the volume itself.
 */
import { open } from 'node:fs/promises';
import { describeFileSystemError } from '../ImagingError';

export class ReusableFileReader {
  private readonly buffers: Buffer[] = [];

  /** `slots` files can be held at once; slot n's bytes stay valid until slot n is read into again. */
  constructor(private readonly slots: number) {}

  async read(path: string, index: number): Promise<Uint8Array> {
    const slot = index % this.slots;
    let handle;
    try {
      handle = await open(path, 'r');
      const { size } = await handle.stat();
      if (!this.buffers[slot] || this.buffers[slot].length < size) this.buffers[slot] = Buffer.allocUnsafe(size);
      const buffer = this.buffers[slot];
      let filled = 0;
      while (filled < size) {
        const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } catch (error) {
      throw describeFileSystemError(error, path);
    } finally {
      await handle?.close();
    }
  }
}
