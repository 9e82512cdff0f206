/**
 * Loads a scanned series into one volume: files are read a few at a time (never all at once, so memory stays near the
 * size of the decoded volume), each frame is decoded, MONOCHROME1 inverted, rescaled to modality values and written
 * into its slice of the volume. Yields to the event loop between files, reports progress and honours cancellation.
 */
import { readFile } from 'node:fs/promises';
import { describeFileSystemError } from '../ImagingError';
import type { ImportedVolume, ImportOptions } from '../importTypes';
import { createScalarArray, type ScalarArray } from '../volume';
import { chooseOutputType, getStoredRange } from './chooseOutputType';
import { computeSeriesGeometry } from './computeSeriesGeometry';
import { decodeDicomFrame } from './decodeDicomFrame';
import type { DicomFrameReference, SeriesSummary } from './dicomTypes';
import { TAG } from './dicomTags';
import { DicomParseFailure, describeParseFailure, parseDicomBytes, type DicomDataSet } from './parseDicomBytes';

/** Files read ahead of the one being decoded: enough to hide disk latency, few enough to bound memory. */
const READ_AHEAD = 4;

export async function loadDicomSeries(series: SeriesSummary, options: ImportOptions = {}): Promise<ImportedVolume> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const { geometry, orderedFrames, warnings } = computeSeriesGeometry(series);
  const sliceLength = series.rows * series.columns;
  const scalars = createScalarArray(chooseOutputType(orderedFrames), orderedFrames.length * sliceLength);
  const slicesByPath = groupSlicesByPath(orderedFrames);
  const paths = [...slicesByPath.keys()];
  const pending: Promise<Uint8Array>[] = [];
  const readAhead = (index: number): void => {
    if (index >= paths.length) return;
    const read = readFileBytes(paths[index]!);
    read.catch(() => undefined); // a failure is reported when its turn comes, not as an unhandled rejection
    pending[index] = read;
  };
  for (let n = 0; n < Math.min(READ_AHEAD, paths.length); n++) readAhead(n);
  let slicesDecoded = 0;
  for (let fileIndex = 0; fileIndex < paths.length; fileIndex++) {
    signal?.throwIfAborted();
    const bytes = await pending[fileIndex]!;
    delete pending[fileIndex];
    readAhead(fileIndex + READ_AHEAD);
    const dataSet = parseWholeFile(bytes, paths[fileIndex]!);
    const frameCount = Math.max(1, dataSet.intString(TAG.numberOfFrames) ?? 1);
    for (const { frame, sliceIndex } of slicesByPath.get(paths[fileIndex]!)!) {
      const samples = await decodeDicomFrame(dataSet, frame, frameCount);
      writeSlice(scalars, sliceIndex * sliceLength, samples, frame);
      slicesDecoded++;
    }
    onProgress?.({ filesScanned: fileIndex + 1, seriesFound: 1, slicesDecoded, slicesTotal: orderedFrames.length });
    await yieldToEventLoop();
  }
  if (series.splitReason) warnings.unshift(`This is ${series.splitReason} of the series.`);
  return { volume: { geometry, scalars }, description: describeSeries(series, paths, warnings) };
}

function groupSlicesByPath(ordered: DicomFrameReference[]): Map<string, { frame: DicomFrameReference; sliceIndex: number }[]> {
  const byPath = new Map<string, { frame: DicomFrameReference; sliceIndex: number }[]>();
  ordered.forEach((frame, sliceIndex) => {
    const list = byPath.get(frame.path) ?? [];
    list.push({ frame, sliceIndex });
    byPath.set(frame.path, list);
  });
  return byPath;
}

async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw describeFileSystemError(error, path);
  }
}

function parseWholeFile(bytes: Uint8Array, path: string): DicomDataSet {
  try {
    return parseDicomBytes(bytes, { untilPixelData: false });
  } catch (error) {
    if (error instanceof DicomParseFailure) throw describeParseFailure(error, path);
    throw error;
  }
}

/** Stored values to modality values (HU for CT); MONOCHROME1 is inverted first so that brighter always means higher. */
function writeSlice(target: ScalarArray, offset: number, samples: ScalarArray, frame: DicomFrameReference): void {
  const { rescaleSlope: slope, rescaleIntercept: intercept, format } = frame;
  const length = format.rows * format.columns;
  const invert = format.photometricInterpretation === 'MONOCHROME1';
  const [low, high] = getStoredRange(format.bitsStored, format.pixelRepresentation === 1, format.bitsAllocated);
  const flipSum = low + high;
  if (!invert && slope === 1 && intercept === 0 && samples.constructor === target.constructor) {
    target.set(samples.subarray(0, length), offset);
    return;
  }
  for (let n = 0; n < length; n++) {
    const stored = invert ? flipSum - samples[n]! : samples[n]!;
    target[offset + n] = stored * slope + intercept;
  }
}

function describeSeries(series: SeriesSummary, paths: string[], warnings: string[]): ImportedVolume['description'] {
  const description: ImportedVolume['description'] = { sourceFormat: 'dicom', sourceFiles: paths, warnings, seriesInstanceUid: series.seriesInstanceUid };
  const copy = ['patientName', 'patientId', 'studyInstanceUid', 'studyDescription', 'seriesDescription', 'seriesNumber', 'modality'] as const;
  for (const key of copy) if (series[key] !== undefined) Object.assign(description, { [key]: series[key] });
  if (series.frames.some((frame) => frame.format.photometricInterpretation === 'MONOCHROME1')) {
    warnings.push('The images were stored inverted (MONOCHROME1) and have been converted so that brighter means higher values.');
  }
  if (series.frames.some((frame) => frame.format.samplesPerPixel === 3)) warnings.push('Colour images were converted to grey.');
  return description;
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
