/**
 * One frame's stored pixel values, before rescale: native (possibly big-endian or deflated) pixel data is read here,
 * encapsulated (compressed) frames go to the codec for their transfer syntax. BitsStored is honoured (high bits masked,
 * signed values sign-extended) and colour is converted to grey, so callers always receive one value per pixel.
 */
import dicomParser from 'dicom-parser';
import { ImagingError } from '../ImagingError';
import { swapBytesInPlace } from '../swapBytesInPlace';
import type { ScalarArray } from '../volume';
import type { DicomFrameReference, DicomPixelFormat } from './dicomTypes';
import { describeTransferSyntax, NATIVE_TRANSFER_SYNTAXES, TAG, TRANSFER_SYNTAX } from './dicomTags';
import { convertColourToGrey } from './convertColourToGrey';
import { decodeCompressedFrame, isCompressedTransferSyntaxSupported } from './codecs/decodeCompressedFrame';
import type { DicomDataSet } from './parseDicomBytes';

export function canDecodePixelFormat(format: DicomPixelFormat): boolean {
  const uid = format.transferSyntaxUid;
  if (uid === TRANSFER_SYNTAX.jpegExtended && format.bitsAllocated > 8) return false;
  return NATIVE_TRANSFER_SYNTAXES.has(uid) || isCompressedTransferSyntaxSupported(uid);
}

export function describeUndecodableFormat(format: DicomPixelFormat): string {
  if (format.transferSyntaxUid === TRANSFER_SYNTAX.jpegExtended) return '12-bit JPEG (extended)';
  return describeTransferSyntax(format.transferSyntaxUid);
}

export async function decodeDicomFrame(
  dataSet: DicomDataSet,
  frame: DicomFrameReference,
  frameCount: number
): Promise<ScalarArray> {
  const { format } = frame;
  const element = dataSet.elements[TAG.pixelData];
  if (!element) throw new ImagingError('no-pixel-data', `${frame.path} holds no image.`, frame.path);
  let samples: ScalarArray;
  if (element.encapsulatedPixelData) {
    const compressed = readCompressedFrame(dataSet, element, frame, frameCount);
    samples = await decodeCompressedFrame(compressed, format, frame.path);
  } else {
    samples = readNativeFrame(dataSet, element, frame);
  }
  const subsampled = !element.encapsulatedPixelData && format.photometricInterpretation === 'YBR_FULL_422';
  const expected = format.rows * format.columns * (subsampled ? 2 : format.samplesPerPixel);
  if (samples.length < expected) {
    throw new ImagingError(
      'decode-failed',
      `${frame.path}: image ${frame.frameIndex + 1} holds fewer pixels than its size says; the file is damaged.`,
      frame.path
    );
  }
  applyBitsStored(samples, format);
  if (subsampled) return takeLuminanceOf422(samples, format);
  return format.samplesPerPixel === 3 ? convertColourToGrey(samples, format) : samples;
}

function readCompressedFrame(
  dataSet: DicomDataSet,
  element: dicomParser.Element,
  frame: DicomFrameReference,
  frameCount: number
): Uint8Array {
  try {
    if (frameCount === 1) {
      // A single frame may be split over several fragments; take them all.
      return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, element.fragments?.length ?? 1);
    }
    // Without an offset table, one fragment per frame (always so for RLE) needs no guessing.
    if (!element.basicOffsetTable?.length && element.fragments?.length === frameCount)
      return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, frame.frameIndex, 1);
    const offsets = element.basicOffsetTable?.length
      ? element.basicOffsetTable
      : dicomParser.createJPEGBasicOffsetTable(dataSet, element);
    return dicomParser.readEncapsulatedImageFrame(dataSet, element, frame.frameIndex, offsets);
  } catch (error) {
    throw new ImagingError(
      'file-truncated',
      `${frame.path}: compressed image ${frame.frameIndex + 1} is incomplete; the file is damaged or cut short.`,
      frame.path,
      { cause: error }
    );
  }
}

function readNativeFrame(dataSet: DicomDataSet, element: dicomParser.Element, frame: DicomFrameReference): ScalarArray {
  const { format } = frame;
  const pixelCount =
    format.rows * format.columns * (format.photometricInterpretation === 'YBR_FULL_422' ? 2 : format.samplesPerPixel);
  if (format.bitsAllocated === 1)
    return unpackBits(dataSet.byteArray, element.dataOffset, pixelCount * frame.frameIndex, pixelCount);
  const bytesPerSample = format.bitsAllocated / 8;
  const start = element.dataOffset + pixelCount * bytesPerSample * frame.frameIndex;
  const end = start + pixelCount * bytesPerSample;
  if (end > dataSet.byteArray.length) {
    throw new ImagingError(
      'file-truncated',
      `${frame.path} is cut short: image ${frame.frameIndex + 1} is incomplete.`,
      frame.path
    );
  }
  const bytes = new Uint8Array(end - start);
  bytes.set(dataSet.byteArray.subarray(start, end));
  if (format.transferSyntaxUid === TRANSFER_SYNTAX.explicitBig && bytesPerSample > 1)
    swapBytesInPlace(bytes, bytesPerSample);
  return viewSamples(bytes.buffer, format);
}

/** Native YBR_FULL_422: Y1 Y2 Cb Cr per pair of pixels; the grey value is the luminance, as for YBR_FULL. */
function takeLuminanceOf422(samples: ScalarArray, format: DicomPixelFormat): Float32Array {
  const pixelCount = format.rows * format.columns;
  const grey = new Float32Array(pixelCount);
  for (let n = 0; n < pixelCount; n++) grey[n] = samples[4 * (n >> 1) + (n & 1)]!;
  return grey;
}

function viewSamples(buffer: ArrayBuffer, format: DicomPixelFormat): ScalarArray {
  const signed = format.pixelRepresentation === 1;
  if (format.bitsAllocated === 8) return signed ? new Int8Array(buffer) : new Uint8Array(buffer);
  if (format.bitsAllocated === 16) return signed ? new Int16Array(buffer) : new Uint16Array(buffer);
  return signed ? new Int32Array(buffer) : new Uint32Array(buffer);
}

/** Segmentation-style 1-bit pixels, least significant bit first; frames need not start on a byte boundary. */
function unpackBits(bytes: Uint8Array, dataOffset: number, firstBit: number, count: number): Uint8Array {
  const result = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const bit = firstBit + n;
    result[n] = (bytes[dataOffset + (bit >> 3)]! >> (bit & 7)) & 1;
  }
  return result;
}

/**
 * Bits above BitsStored may hold overlays or garbage, so they are masked; signed values are sign-extended from their
 * top stored bit (HighBit is BitsStored - 1 in every object this reads).
 */
export function applyBitsStored(samples: ScalarArray, format: DicomPixelFormat): void {
  const { bitsStored, bitsAllocated } = format;
  if (
    bitsStored >= bitsAllocated ||
    bitsAllocated === 1 ||
    samples instanceof Float32Array ||
    samples instanceof Float64Array
  )
    return;
  const mask = 2 ** bitsStored - 1;
  const signBit = 2 ** (bitsStored - 1);
  const signed = format.pixelRepresentation === 1;
  for (let n = 0; n < samples.length; n++) {
    let value = samples[n]! & mask;
    if (signed && value >= signBit) value -= 2 ** bitsStored;
    samples[n] = value;
  }
}
