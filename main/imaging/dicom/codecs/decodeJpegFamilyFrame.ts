/**
 * JPEG-family frames: JPEG-LS (CharLS), JPEG 2000 (OpenJPEG), 8-bit JPEG baseline/extended (libjpeg-turbo) and JPEG
 * lossless (jpeg-lossless-decoder-js). Each returns samples laid out as the object's planar configuration says, so the
 * colour-to-grey step reads them the same way as native pixel data.
 */
import { Decoder as LosslessJpegDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js';
import type { ScalarArray } from '../../volume';
import type { DicomPixelFormat } from '../dicomTypes';
import { decodeWithWasm, loadWasmDecoder } from './loadWasmDecoder';

export async function decodeJpegLsFrame(compressed: Uint8Array, format: DicomPixelFormat): Promise<ScalarArray> {
  const { bytes, info, interleaveMode } = decodeWithWasm(
    await loadWasmDecoder('@cornerstonejs/codec-charls', 'JpegLSDecoder'),
    compressed
  );
  checkSize(info, format);
  // CharLS returns colour as planes when the stream is not sample-interleaved.
  const samples = viewAs(bytes, info.bitsPerSample, format.pixelRepresentation === 1);
  return format.samplesPerPixel === 3 && interleaveMode === 0 ? interleavePlanes(samples, format) : samples;
}

export async function decodeJpeg2000Frame(compressed: Uint8Array, format: DicomPixelFormat): Promise<ScalarArray> {
  const { bytes, info } = decodeWithWasm(
    await loadWasmDecoder('@cornerstonejs/codec-openjpeg', 'J2KDecoder'),
    compressed
  );
  checkSize(info, format);
  return viewAs(bytes, info.bitsPerSample, format.pixelRepresentation === 1 || info.isSigned === true);
}

export async function decodeJpegBaselineFrame(compressed: Uint8Array, format: DicomPixelFormat): Promise<ScalarArray> {
  if (format.bitsAllocated > 8) {
    throw new Error('12-bit JPEG (extended) needs a decoder this application does not include');
  }
  const { bytes, info } = decodeWithWasm(
    await loadWasmDecoder('@cornerstonejs/codec-libjpeg-turbo-8bit', 'JPEGDecoder'),
    compressed
  );
  checkSize(info, format);
  // libjpeg-turbo converts YBR to RGB and always interleaves colour.
  return format.samplesPerPixel === 3 && format.planarConfiguration === 1
    ? planesFromInterleaved(bytes, format)
    : bytes;
}

export function decodeJpegLosslessFrame(compressed: Uint8Array, format: DicomPixelFormat): ScalarArray {
  const bytesPerSample = format.bitsAllocated <= 8 ? 1 : 2;
  const decoded = new LosslessJpegDecoder().decode(
    compressed.buffer as ArrayBuffer,
    compressed.byteOffset,
    compressed.length,
    bytesPerSample
  );
  const copy = new Uint8Array(decoded.byteLength);
  copy.set(new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength));
  return viewAs(copy, bytesPerSample * 8, format.pixelRepresentation === 1);
}

function checkSize(info: { width: number; height: number }, format: DicomPixelFormat): void {
  if (info.width !== format.columns || info.height !== format.rows) {
    throw new Error(`compressed image is ${info.width}x${info.height}, header says ${format.columns}x${format.rows}`);
  }
}

function viewAs(bytes: Uint8Array, bitsPerSample: number, signed: boolean): ScalarArray {
  if (bitsPerSample <= 8) return signed ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes;
  const length = bytes.length >> 1;
  return signed
    ? new Int16Array(bytes.buffer, bytes.byteOffset, length)
    : new Uint16Array(bytes.buffer, bytes.byteOffset, length);
}

/** RRR...GGG...BBB... to RGBRGB... when the object says it is interleaved (planar configuration 0). */
function interleavePlanes(samples: ScalarArray, format: DicomPixelFormat): ScalarArray {
  if (format.planarConfiguration === 1) return samples;
  const pixels = format.rows * format.columns;
  const result = new (samples.constructor as new (length: number) => ScalarArray)(samples.length);
  for (let c = 0; c < 3; c++) for (let n = 0; n < pixels; n++) result[3 * n + c] = samples[c * pixels + n]!;
  return result;
}

function planesFromInterleaved(samples: Uint8Array, format: DicomPixelFormat): Uint8Array {
  const pixels = format.rows * format.columns;
  const result = new Uint8Array(samples.length);
  for (let c = 0; c < 3; c++) for (let n = 0; n < pixels; n++) result[c * pixels + n] = samples[3 * n + c]!;
  return result;
}
