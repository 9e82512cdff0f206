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
  // The image size in the codestream's SIZ marker, checked before decoding: after a stream it cannot read, OpenJPEG's
  // decoder may still report the size of the frame it decoded before.
  const size = readJpeg2000Size(compressed);
  if (size) checkSize(size, format);
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
  if (format.samplesPerPixel === 3 && declaresRgbComponents(compressed)) throw new RgbJpegNotDecodable();
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

/**
 * A colour JPEG whose components are R, G and B themselves: an Adobe APP14 marker with transform 0, or component ids
 * 'R', 'G', 'B' (as libjpeg reads them). Cornerstone's libjpeg-turbo build converts every 3-component JPEG from YCbCr, which would turn such
 * an image into wrong colours (a white 244 became 255, 121, 255 in pydicom's SC_rgb_jpeg.dcm), so it is refused.
 */
export class RgbJpegNotDecodable extends Error {}

export function declaresRgbComponents(jpeg: Uint8Array): boolean {
  let offset = 2;
  while (offset + 4 <= jpeg.length && jpeg[offset] === 0xff) {
    const marker = jpeg[offset + 1]!;
    const length = (jpeg[offset + 2]! << 8) | jpeg[offset + 3]!;
    const body = jpeg.subarray(offset + 4, offset + 2 + length);
    // The transform is the marker's last byte; some writers (highdicom) leave out the version and flags before it.
    if (marker === 0xee && body.length >= 6 && String.fromCharCode(...body.subarray(0, 5)) === 'Adobe')
      return body[body.length - 1] === 0;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const ids = body[5] === 3 ? [body[6], body[9], body[12]] : [];
      return ids[0] === 0x52 && ids[1] === 0x47 && ids[2] === 0x42;
    }
    if (marker === 0xda) return false;
    offset += 2 + length;
  }
  return false;
}

/** Width and height from a JPEG 2000 codestream's SIZ marker (FF4F FF51 ...), when the stream starts with one. */
function readJpeg2000Size(stream: Uint8Array): { width: number; height: number } | undefined {
  const start = stream.findIndex((byte, n) => byte === 0xff && stream[n + 1] === 0x4f && stream[n + 2] === 0xff && stream[n + 3] === 0x51);
  if (start < 0 || start > 256 || start + 24 > stream.length) return undefined;
  const view = new DataView(stream.buffer, stream.byteOffset + start + 2);
  // After the marker: Lsiz, Rsiz (2 bytes each), then Xsiz, Ysiz, XOsiz, YOsiz (4 bytes each, big endian).
  return { width: view.getUint32(6) - view.getUint32(14), height: view.getUint32(10) - view.getUint32(18) };
}

/** The codec read an image of another size than the DICOM header gives (0 × 0: it found no usable size at all). */
export class CompressedSizeMismatch extends Error {
  constructor(
    readonly width: number,
    readonly height: number
  ) {
    super(`compressed image is ${width}x${height}`);
  }
}

function checkSize(info: { width: number; height: number }, format: DicomPixelFormat): void {
  if (info.width !== format.columns || info.height !== format.rows) throw new CompressedSizeMismatch(info.width, info.height);
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
