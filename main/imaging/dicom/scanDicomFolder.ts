/**
 * The scan step: walks a folder tree, reads only the header of each file, and lists the series found so the user can
 * choose before anything is decoded. Files that are not DICOM, or DICOM files that cannot be imported, are counted and
 * listed with the reason; they never stop the scan. Memory holds one small record per image, never file contents.
 */
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFileSystemError, ImagingError } from '../ImagingError';
import type { ImportOptions } from '../importTypes';
import type { DicomScanResult, SkippedFile } from './dicomTypes';
import { groupDicomSeries } from './groupDicomSeries';
import { readDicomHeader, type DicomFileHeader } from './readDicomHeader';

const PARALLEL_READS = 8;
const SKIPPED_LIST_LIMIT = 1000;
const PROGRESS_INTERVAL_MS = 100;

export async function scanDicomFolder(folder: string, options: ImportOptions = {}): Promise<DicomScanResult> {
  const { signal } = options;
  await checkIsFolder(folder);
  const headers: DicomFileHeader[] = [];
  const skipped: SkippedFile[] = [];
  const seriesUids = new Set<string>();
  const counts = { files: 0, skipped: 0, nonDicom: 0 };
  let lastProgress = 0;
  const report = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    options.onProgress?.({ filesScanned: counts.files, seriesFound: seriesUids.size, slicesDecoded: 0 });
  };
  const firstPathOfImage = new Map<string, string>();
  const skip = (error: ImagingError, path: string): void => {
    counts.skipped++;
    if (error.code === 'not-dicom') counts.nonDicom++;
    if (skipped.length < SKIPPED_LIST_LIMIT) skipped.push({ path, code: error.code, reason: error.message });
  };
  const inspect = async (path: string): Promise<void> => {
    try {
      const header = await readDicomHeader(path);
      checkNotDuplicate(header, path, firstPathOfImage);
      headers.push(header);
      seriesUids.add(header.identity.seriesInstanceUid);
    } catch (error) {
      if (!(error instanceof ImagingError)) throw error;
      skip(error, path);
    }
    counts.files++;
    report(false);
  };
  const files = walkFiles(folder, signal, (error, path) => skip(error, path));
  await runWithLimit(files, PARALLEL_READS, inspect, signal);
  report(true);
  if (counts.files === 0) throw new ImagingError('empty-folder', `${folder} contains no files.`, folder);
  if (headers.length === 0) throw describeNothingFound(folder, counts, skipped);
  return {
    series: groupDicomSeries(headers),
    skipped,
    skippedCount: counts.skipped,
    nonDicomCount: counts.nonDicom,
    filesScanned: counts.files
  };
}

/** Folders copied into each other hold the same image twice; it is imported once, and the copy listed as skipped. */
function checkNotDuplicate(header: DicomFileHeader, path: string, firstPathOfImage: Map<string, string>): void {
  if (!header.sopInstanceUid) return;
  const first = firstPathOfImage.get(header.sopInstanceUid);
  if (first)
    throw new ImagingError(
      'duplicate-image',
      `${path} is a copy of ${first} (the same image); it was imported once.`,
      path
    );
  firstPathOfImage.set(header.sopInstanceUid, path);
}

async function checkIsFolder(folder: string): Promise<void> {
  try {
    if (!(await stat(folder)).isDirectory())
      throw new ImagingError('file-unreadable', `${folder} is a file, not a folder.`, folder);
  } catch (error) {
    if (error instanceof ImagingError) throw error;
    throw describeFileSystemError(error, folder);
  }
}

function describeNothingFound(
  folder: string,
  counts: { files: number; nonDicom: number },
  skipped: SkippedFile[]
): ImagingError {
  const others = counts.files - counts.nonDicom;
  // The user sees why in the message itself (the first refusals), and the whole list travels with the error.
  const refused = skipped.filter((file) => file.code !== 'not-dicom');
  const examples = refused.slice(0, 3).map((file) => file.reason);
  const more = others > examples.length ? ` (and ${others - examples.length} more; the list names each file)` : '';
  const detail = others > 0 ? `; ${others} DICOM file(s) could not be imported: ${examples.join(' ')}${more}` : '';
  return new ImagingError(
    'no-images-found',
    `No importable DICOM images were found in ${folder}: ${counts.files} file(s) checked, ${counts.nonDicom} not DICOM${detail}`.replace(
      /([^.])$/,
      '$1.'
    ),
    folder,
    { files: skipped.map(({ path, code, reason }) => ({ path, code, reason })) }
  );
}

/**
 * Depth-first, sorted per folder for a stable order. Symbolic links to folders are not followed (they can loop); a
 * subfolder that cannot be opened is reported and skipped, while an unreadable top folder fails the scan.
 */
async function* walkFiles(
  folder: string,
  signal: AbortSignal | undefined,
  onUnreadableFolder: (error: ImagingError, path: string) => void,
  isTop = true
): AsyncGenerator<string> {
  const entries: { name: string; isFolder: boolean; isFile: boolean }[] = [];
  try {
    for await (const entry of await opendir(folder)) {
      entries.push({
        name: entry.name,
        isFolder: entry.isDirectory(),
        isFile: entry.isFile() || entry.isSymbolicLink()
      });
    }
  } catch (error) {
    if (isTop) throw describeFileSystemError(error, folder);
    return onUnreadableFolder(describeFileSystemError(error, folder), folder);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    signal?.throwIfAborted();
    const path = join(folder, entry.name);
    if (entry.isFolder) yield* walkFiles(path, signal, onUnreadableFolder, false);
    else if (entry.isFile) yield path;
  }
}

async function runWithLimit(
  items: AsyncIterable<string>,
  limit: number,
  work: (item: string) => Promise<void>,
  signal?: AbortSignal
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    signal?.throwIfAborted();
    const task: Promise<void> = work(item)
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => running.delete(task));
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
    if (failure) break;
  }
  await Promise.all(running);
  signal?.throwIfAborted();
  if (failure) throw failure.error;
}
