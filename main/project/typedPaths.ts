import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportProblem } from '../contract';

/**
 * Paths as users type or paste them: one per line; a line with quotes holds one path per quoted part, as a file
 * manager's "Copy as path" gives several (`"/a b/x.nii" "/c/y.nii"`); a line without quotes is one path, spaces and
 * all.
 */
export function splitTypedPaths(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const quoted = [...trimmed.matchAll(/"([^"]*)"|'([^']*)'/g)].map((match) => (match[1] ?? match[2] ?? '').trim());
    if (quoted.length > 0) paths.push(...quoted.filter(Boolean));
    else paths.push(trimmed);
  }
  return paths;
}

/** One typed path made usable: surrounding quotes removed, `~` as the home folder, a `file://` address as its path. */
export function expandTypedPath(typed: string, home: string = homedir()): string {
  let path = typed.trim();
  if (path.length >= 2 && (path[0] === '"' || path[0] === "'") && path.endsWith(path[0])) path = path.slice(1, -1).trim();
  if (/^file:\/\//i.test(path)) {
    try {
      return fileURLToPath(path);
    } catch {
      return path;
    }
  }
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return path;
}

const niftiName = /\.nii(\.gz)?$/i;

/**
 * The NIfTI files the typed text names: each file, and every NIfTI file directly inside each folder (sorted by name).
 * A path that cannot be used becomes a problem in the user's words; the others still import.
 */
export async function resolveNiftiPaths(text: string, home?: string): Promise<{ files: string[]; problems: ImportProblem[] }> {
  const files: string[] = [];
  const problems: ImportProblem[] = [];
  for (const typed of splitTypedPaths(text)) {
    const path = expandTypedPath(typed, home);
    const name = basename(path) || path;
    if (!isAbsolute(path)) {
      problems.push({ file: typed, code: 'invalid-input', message: 'Type the full path of the file, starting from the root folder (or ~ for your home folder).' });
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      problems.push({ file: name, code: 'not-found', message: `${path} does not exist.` });
    } else if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
      const found = entries
        .filter((entry) => entry.isFile() && niftiName.test(entry.name) && !entry.name.startsWith('.'))
        .map((entry) => entry.name)
        .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      if (found.length === 0) {
        problems.push({ file: name, code: 'not-found', message: `The folder ${path} holds no NIfTI file (.nii or .nii.gz). For DICOM, use the DICOM form.` });
      }
      files.push(...found.map((entry) => join(path, entry)));
    } else if (!info.isFile()) {
      problems.push({ file: name, code: 'invalid-input', message: `${path} is not a file.` });
    } else if (!niftiName.test(path)) {
      problems.push({ file: name, code: 'unsupported', message: `${name} is not a NIfTI file (.nii or .nii.gz).` });
    } else {
      files.push(path);
    }
  }
  return { files: [...new Set(files)], problems };
}
