/**
 * Making a write survive a power cut, not only a killed process: a file's data is on disk once the file is fsynced,
 * and a new name (a rename, a created file) once its folder is fsynced too.
 */
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Flushes a file's data to disk. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes a folder's entries (the names created or renamed in it) to disk. Windows cannot open a folder for this and
 * makes renames durable by itself, so the errors it gives are ignored.
 */
export async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
  } catch (error) {
    if (ignoredFolderSyncErrors.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!ignoredFolderSyncErrors.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

const ignoredFolderSyncErrors = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF']);

/**
 * Copies a folder tree so that the copy is on disk when this resolves: each file is written atomically and fsynced,
 * each folder fsynced once its entries are in, and the target's parent too. `filter` sees each source path.
 */
export async function copyFolderDurably(
  source: string,
  target: string,
  write: (path: string, bytes: Uint8Array) => Promise<void>,
  filter: (sourcePath: string) => boolean = () => true
): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    if (!filter(from)) continue;
    const to = join(target, entry.name);
    if (entry.isDirectory()) await copyFolderDurably(from, to, write, filter);
    else if (entry.isFile()) await write(to, await readFile(from));
  }
  await syncFolder(target);
  await syncFolder(dirname(target));
}
