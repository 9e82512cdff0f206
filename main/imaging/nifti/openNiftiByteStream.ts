/**
 * The decompressed bytes of a .nii or .nii.gz file as a stream, so a reader can stop as soon as it has the one volume it
 * needs and never holds the whole (possibly multi-gigabyte, 4D) file. gzip is recognised by its magic bytes, not by the
 * file name, because renamed files are common. Decompression runs on libuv's thread pool, off the event loop.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describeFileSystemError, ImagingError } from '../ImagingError';

export async function isGzipFile(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } catch (error) {
    throw describeFileSystemError(error, path);
  } finally {
    await handle?.close();
  }
}

/**
 * The most bytes the file can hold once decompressed: its size, or for gzip the deflate format's limit of about
 * 1032:1. A header claiming more is lying, and is refused before any memory is allocated for it.
 */
export async function measureMaximumContentBytes(path: string): Promise<number> {
  const compressed = await isGzipFile(path);
  const { size } = await stat(path).catch((error: unknown) => {
    throw describeFileSystemError(error, path);
  });
  return compressed ? size * 1032 : size;
}

export async function* openNiftiByteStream(path: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const compressed = await isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: 1 << 20, signal });
  const source = compressed ? pipeline(file, createGunzip({ chunkSize: 1 << 20 }), () => undefined) : file;
  try {
    for await (const chunk of source) yield chunk as Buffer;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw describeStreamError(error, path, compressed);
  } finally {
    source.destroy();
    file.destroy();
  }
}

function describeStreamError(error: unknown, path: string, compressed: boolean): ImagingError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(String(error))) {
    return new ImagingError(
      'file-truncated',
      `${path} is cut short: the compressed file ends early (it was probably not copied completely).`,
      path,
      { cause: error }
    );
  }
  if (compressed && code?.startsWith('Z_')) {
    return new ImagingError('file-truncated', `${path} is damaged: its compressed data cannot be unpacked.`, path, {
      cause: error
    });
  }
  return describeFileSystemError(error, path);
}
