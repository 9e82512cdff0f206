import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

/**
 * Every file of an export folder in one zip, so a browser saves the whole export as one download with its folders
 * (an nnU-Net dataset's `imagesTr/`, `labelsTr/` ...) intact. Files already compressed (`.gz`) are stored as they are;
 * the rest (manifests, DICOM SEG) are deflated. Paths inside the archive are relative to the folder, with `/`.
 */
export async function zipExportFolder(folder: string): Promise<Uint8Array> {
  const files: Zippable = {};
  for (const path of await listFiles(folder)) {
    const name = relative(folder, path).split(sep).join('/');
    const bytes = await readFile(path);
    const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    files[name] = [data, { level: name.endsWith('.gz') ? 0 : 6 }];
  }
  return zipSync(files, { mtime: new Date() });
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    // Temporary files of an atomic write in progress are never part of an export.
    if (entry.name.startsWith('.') || entry.name.endsWith('.partial')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
