import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { ApiError } from '../contract';

/**
 * Writes a file so that a crash or a full disk leaves either the old file or the new one, never half of one:
 * write a temporary sibling, fsync it, then rename over the target.
 */
export async function writeFileAtomically(path: string, chunks: Iterable<Uint8Array> | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    for (const chunk of chunks instanceof Uint8Array ? [chunks] : chunks) await handle.write(chunk);
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw translateWriteError(error, path);
  }
}

/** The name writeFileAtomically gives its temporary files: `.<name>.<8 hex digits>.tmp`. */
const temporaryFileName = /^\..+\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files that writes cut short (a killed process, a crash) left under `folder`, at any depth.
 * Call it where no write can be under way, as when a project is opened. Returns how many were removed.
 */
export async function sweepTemporaryFiles(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const stray = entries.filter((entry) => entry.isFile() && temporaryFileName.test(entry.name));
  for (const entry of stray) await rm(join(entry.parentPath, entry.name), { force: true });
  return stray.length;
}

export function translateWriteError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ApiError('disk-full', `The disk is full: ${basename(path)} could not be saved. Free some space and try again; nothing was lost.`);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ApiError('bad-file', `${basename(path)} could not be saved: the folder is not writable.`);
  }
  return error;
}
