/**
 * Decodes the slices one DICOM file contributes to a volume, already converted to the volume's scalar type:
 * MONOCHROME1 inverted, then RescaleSlope/Intercept applied. Pure computation on the file's bytes, so it runs the same
 * in the decode workers and on the calling thread.
 */
import { createScalarArray, type ScalarArray, type ScalarTypeName } from '../volume';
import { getStoredRange } from './chooseOutputType';
import { decodeDicomFrame } from './decodeDicomFrame';
import { sliceSizeOf, type DicomFrameReference } from './dicomTypes';
import { cutMosaicTile } from './readSiemensMosaic';
import { TAG } from './dicomTags';
import { DicomParseFailure, describeParseFailure, parseDicomBytes, type DicomDataSet } from './parseDicomBytes';

export interface SliceJob {
  frame: DicomFrameReference;
  sliceIndex: number;
}

export interface DecodedSlice {
  sliceIndex: number;
  scalars: ScalarArray;
}

/** Decodes into new arrays, one per slice (for sending from a worker). */
export async function decodeFileSlices(
  bytes: Uint8Array,
  path: string,
  slices: SliceJob[],
  scalarType: ScalarTypeName
): Promise<DecodedSlice[]> {
  const decoded: DecodedSlice[] = [];
  await decodeFileSlicesInto(bytes, path, slices, (sliceIndex, length) => {
    const scalars = createScalarArray(scalarType, length);
    decoded.push({ sliceIndex, scalars });
    return scalars;
  });
  return decoded;
}

/** Decodes each slice straight into the array `targetOf` returns (a view of the volume, with no copy in between). */
export async function decodeFileSlicesInto(
  bytes: Uint8Array,
  path: string,
  slices: SliceJob[],
  targetOf: (sliceIndex: number, length: number) => ScalarArray
): Promise<void> {
  const dataSet = parseWholeFile(bytes, path);
  const frameCount = Math.max(1, dataSet.intString(TAG.numberOfFrames) ?? 1);
  // The tiles of a mosaic all come from one stored image: it is decoded once.
  let decoded: { frameIndex: number; samples: ScalarArray } | undefined;
  for (const { frame, sliceIndex } of slices) {
    if (decoded?.frameIndex !== frame.frameIndex)
      decoded = { frameIndex: frame.frameIndex, samples: await decodeDicomFrame(dataSet, frame, frameCount) };
    const samples = frame.mosaic ? cutMosaicTile(decoded.samples, frame.format.columns, frame.mosaic) : decoded.samples;
    const { rows, columns } = sliceSizeOf(frame);
    writeModalityValues(samples, frame, targetOf(sliceIndex, rows * columns));
  }
}

function parseWholeFile(bytes: Uint8Array, path: string): DicomDataSet {
  try {
    return parseDicomBytes(bytes, { untilPixelData: false });
  } catch (error) {
    if (error instanceof DicomParseFailure) throw describeParseFailure(error, path, bytes);
    throw error;
  }
}

/** Stored values to modality values (HU for CT); MONOCHROME1 is inverted first so that brighter always means higher. */
function writeModalityValues(samples: ScalarArray, frame: DicomFrameReference, target: ScalarArray): void {
  const { rescaleSlope: slope, rescaleIntercept: intercept, format } = frame;
  const length = target.length;
  const invert = format.photometricInterpretation === 'MONOCHROME1';
  const [low, high] = getStoredRange(format.bitsStored, format.pixelRepresentation === 1, format.bitsAllocated);
  if (!invert && slope === 1 && intercept === 0) {
    target.set(samples.subarray(0, length));
    return;
  }
  for (let n = 0; n < length; n++) {
    const stored = invert ? low + high - samples[n]! : samples[n]!;
    target[n] = stored * slope + intercept;
  }
}
