/**
 * Loads a scanned series into one volume. Compressed files are decoded by worker threads, uncompressed ones on this
 * thread with a yield after each file; files are never all held at once, so memory stays near the size of the decoded
 * volume. Reports progress and honours cancellation.
 */
import { ImagingError } from '../ImagingError';
import type { ImportedVolume, ImportOptions } from '../importTypes';
import { createScalarArray, type ScalarArray, type ScalarTypeName } from '../volume';
import { chooseOutputType } from './chooseOutputType';
import { computeSeriesGeometry } from './computeSeriesGeometry';
import { describeDicomScaling } from './describeScaling';
import { DicomDecodePool, getDefaultWorkerCount, WorkerUnavailableError } from './DicomDecodePool';
import { decodeFileSlicesInto, type DecodedSlice, type SliceJob } from './decodeFileSlices';
import type { DicomFrameReference, SeriesSummary } from './dicomTypes';
import { NATIVE_TRANSFER_SYNTAXES } from './dicomTags';
import { ReusableFileReader } from './ReusableFileReader';

/** Files read ahead of the one being decoded: enough to hide disk latency, few enough to bound memory. */
const READ_AHEAD = 4;

export interface LoadDicomOptions extends ImportOptions {
  /**
   * Worker threads for decoding; 0 decodes on the calling thread, yielding between files. Default: for compressed
   * series cores - 1 (1 to 4), where decoding a frame can take a second; 0 for uncompressed series, where a file costs
   * well under a millisecond of copying and starting workers would cost more than it saves.
   */
  decodeWorkers?: number;
}

interface LoadPlan {
  scalars: ScalarArray;
  scalarType: ScalarTypeName;
  sliceLength: number;
  slicesByPath: Map<string, SliceJob[]>;
  sliceCount: number;
}

export async function loadDicomSeries(series: SeriesSummary, options: LoadDicomOptions = {}): Promise<ImportedVolume> {
  options.signal?.throwIfAborted();
  const { geometry, orderedFrames, warnings } = computeSeriesGeometry(series);
  const scalarType = chooseOutputType(orderedFrames);
  const sliceLength = series.rows * series.columns;
  const plan: LoadPlan = {
    scalars: allocateVolume(series, scalarType, orderedFrames.length * sliceLength),
    scalarType,
    sliceLength,
    slicesByPath: groupSlicesByPath(orderedFrames),
    sliceCount: orderedFrames.length
  };
  const compressed = orderedFrames.some((frame) => !NATIVE_TRANSFER_SYNTAXES.has(frame.format.transferSyntaxUid));
  const workerCount = options.decodeWorkers ?? (compressed ? getDefaultWorkerCount() : 0);
  if (workerCount > 0) await decodeWithWorkers(plan, workerCount, options);
  else await decodeOnThisThread(plan, options);
  if (series.splitReason) warnings.unshift(`This is ${series.splitReason} of the series.`);
  const { scaling, warnings: scalingWarnings } = describeDicomScaling(orderedFrames);
  warnings.push(...scalingWarnings);
  return {
    volume: { geometry, scalars: plan.scalars },
    description: { ...describeSeries(series, [...plan.slicesByPath.keys()], warnings), scaling }
  };
}

/** A volume that cannot be allocated is reported as such, not as a crash. */
function allocateVolume(series: SeriesSummary, scalarType: ScalarTypeName, voxelCount: number): ScalarArray {
  try {
    return createScalarArray(scalarType, voxelCount);
  } catch (error) {
    const path = series.frames[0]?.path;
    const size = `${series.columns}×${series.rows}×${series.sliceCount}`;
    throw new ImagingError(
      'invalid-request',
      `The series ${series.seriesDescription ?? series.id} (${size} voxels) is too large to load into memory.`,
      path,
      { cause: error }
    );
  }
}

/** Keeps two files per worker in flight: workers never wait, and at most that many decoded files sit in memory. */
async function decodeWithWorkers(plan: LoadPlan, workerCount: number, options: LoadDicomOptions): Promise<void> {
  const pool = new DicomDecodePool(workerCount);
  const paths = [...plan.slicesByPath.keys()];
  const onAbort = (): void => void pool.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let slicesDecoded = 0;
  let filesDone = 0;
  try {
    const inFlight = new Set<Promise<void>>();
    for (const path of paths) {
      options.signal?.throwIfAborted();
      const task: Promise<void> = pool.decode(path, plan.slicesByPath.get(path)!, plan.scalarType).then((slices) => {
        slicesDecoded += placeSlices(plan, slices);
        options.onProgress?.({
          filesScanned: ++filesDone,
          seriesFound: 1,
          slicesDecoded,
          slicesTotal: plan.sliceCount
        });
      });
      task.catch(() => undefined).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= 2 * workerCount) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } catch (error) {
    options.signal?.throwIfAborted();
    if (!(error instanceof WorkerUnavailableError)) throw error;
    await decodeOnThisThread(plan, options);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}

async function decodeOnThisThread(plan: LoadPlan, options: LoadDicomOptions): Promise<void> {
  const paths = [...plan.slicesByPath.keys()];
  const pending: Promise<Uint8Array>[] = [];
  // Files being read ahead plus the one being decoded each hold a buffer.
  const reader = new ReusableFileReader(READ_AHEAD + 1);
  const readAhead = (index: number): void => {
    if (index >= paths.length) return;
    const read = reader.read(paths[index]!, index);
    read.catch(() => undefined); // a failure is reported when its turn comes, not as an unhandled rejection
    pending[index] = read;
  };
  for (let n = 0; n < Math.min(READ_AHEAD, paths.length); n++) readAhead(n);
  let slicesDecoded = 0;
  for (let fileIndex = 0; fileIndex < paths.length; fileIndex++) {
    options.signal?.throwIfAborted();
    const bytes = await pending[fileIndex]!;
    delete pending[fileIndex];
    readAhead(fileIndex + READ_AHEAD);
    const path = paths[fileIndex]!;
    const slices = plan.slicesByPath.get(path)!;
    await decodeFileSlicesInto(bytes, path, slices, (sliceIndex, length) =>
      plan.scalars.subarray(sliceIndex * plan.sliceLength, sliceIndex * plan.sliceLength + length)
    );
    slicesDecoded += slices.length;
    options.onProgress?.({ filesScanned: fileIndex + 1, seriesFound: 1, slicesDecoded, slicesTotal: plan.sliceCount });
    await yieldToEventLoop();
  }
}

function placeSlices(plan: LoadPlan, slices: DecodedSlice[]): number {
  for (const { sliceIndex, scalars } of slices) plan.scalars.set(scalars, sliceIndex * plan.sliceLength);
  return slices.length;
}

function groupSlicesByPath(ordered: DicomFrameReference[]): Map<string, SliceJob[]> {
  const byPath = new Map<string, SliceJob[]>();
  ordered.forEach((frame, sliceIndex) => {
    const list = byPath.get(frame.path) ?? [];
    list.push({ frame, sliceIndex });
    byPath.set(frame.path, list);
  });
  return byPath;
}

function describeSeries(series: SeriesSummary, paths: string[], warnings: string[]): ImportedVolume['description'] {
  const description: ImportedVolume['description'] = {
    sourceFormat: 'dicom',
    sourceFiles: paths,
    warnings,
    seriesInstanceUid: series.seriesInstanceUid
  };
  const copy = [
    'patientName',
    'patientId',
    'studyInstanceUid',
    'studyDescription',
    'studyDate',
    'seriesDescription',
    'seriesNumber',
    'modality'
  ] as const;
  for (const key of copy) if (series[key] !== undefined) Object.assign(description, { [key]: series[key] });
  if (series.frameOfReferenceUid) description.frameOfReference = `dicom:${series.frameOfReferenceUid}`;
  if (series.volumeIndex !== undefined && series.volumeCount !== undefined)
    Object.assign(description, { volumeIndex: series.volumeIndex, volumeCount: series.volumeCount });
  const inverted = series.frames.some((frame) => frame.format.photometricInterpretation === 'MONOCHROME1');
  const colour = series.frames.some((frame) => frame.format.samplesPerPixel === 3);
  if (inverted) {
    warnings.push(
      'The images were stored inverted (MONOCHROME1) and have been converted so that brighter means higher values.'
    );
  }
  if (colour) warnings.push('Colour images were converted to grey.');
  const mosaic = series.frames[0]?.mosaic;
  if (mosaic) {
    warnings.push(
      `Siemens mosaic: each image held ${series.sliceCount} slices tiled ${mosaic.tilesPerRow} × ${mosaic.tilesPerRow}; ` +
        `they were cut into ${mosaic.columns} × ${mosaic.rows} slices placed along the slice normal of the Siemens header.`
    );
  }
  // The scanner's window is in the stored values; it no longer fits images that were inverted or turned grey.
  if (series.window && !inverted && !colour) description.window = { ...series.window };
  return description;
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
