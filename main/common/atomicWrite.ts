import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { ApiError } from '../contract';
import { copyFolderDurably, syncFolder } from './durableFiles';

/**
 * Writes a file so that a crash, a power cut or a full disk leaves either the old file or the new one, never half of
 * one: write a temporary sibling, fsync it, rename it over the target, then fsync the folder so the rename is on disk.
 */
export async function writeFileAtomically(path: string, chunks: Iterable<Uint8Array> | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    for (const chunk of chunks instanceof Uint8Array ? [chunks] : chunks) await handle.write(chunk);
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
    await syncFolder(dirname(path));
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw translateWriteError(error, path);
  }
}

/**
 * The names of temporary files: writeFileAtomically's `.<name>.<8 hex digits>.tmp`, and the NIfTI writer's
 * `<name>.nii[.gz].partial`.
 */
const temporaryFileNames = [/^\..+\.[0-9a-f]{8}\.tmp$/, /\.nii(\.gz)?\.partial$/];

/**
 * Removes the temporary files that writes cut short (a killed process, a crash) left under `folder`, at any depth.
 * Call it where no write can be under way, as when a project is opened. Returns how many were removed.
 */
export async function sweepTemporaryFiles(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const stray = entries.filter((entry) => entry.isFile() && temporaryFileNames.some((pattern) => pattern.test(entry.name)));
  for (const entry of stray) await rm(join(entry.parentPath, entry.name), { force: true });
  return stray.length;
}

/** Copies a folder tree (model weights) so that the copy is on disk, file by file atomically, when this resolves. */
export function copyFolderAtomically(source: string, target: string, filter?: (sourcePath: string) => boolean): Promise<void> {
  return copyFolderDurably(source, target, writeFileAtomically, filter);
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
