/**
 * NIfTI-1 (348-byte) and NIfTI-2 (540-byte) headers, both byte orders. Parsed here rather than with nifti-reader-js
 * because that library prefers the qform whenever qform_code > sform_code, while the standard's reference readers
 * (nifti1_io, nibabel, dcm2niix) take the sform first; and because it cannot read NIfTI-2 from a partial stream.
 */
import { ImagingError } from '../ImagingError';

export interface NiftiHeader {
  version: 1 | 2;
  littleEndian: boolean;
  /** dim[0..7] */
  dim: number[];
  datatype: number;
  bitpix: number;
  /** 1002 (NIFTI_INTENT_LABEL) marks a label map. */
  intentCode: number;
  /** pixdim[0..7]; pixdim[0] is qfac. */
  pixdim: number[];
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  xyztUnits: number;
  description: string;
  qformCode: number;
  sformCode: number;
  quaternion: [number, number, number];
  qoffset: [number, number, number];
  /** srow_x, srow_y, srow_z */
  srow: [number[], number[], number[]];
}

export const NIFTI1_HEADER_SIZE = 348;
export const NIFTI2_HEADER_SIZE = 540;

/** Which version and byte order the first 4 bytes (sizeof_hdr) announce, or undefined if this is no NIfTI header. */
export function detectNiftiVersion(bytes: Uint8Array): { version: 1 | 2; littleEndian: boolean } | undefined {
  if (bytes.length < 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const littleEndian of [true, false]) {
    const size = view.getInt32(0, littleEndian);
    if (size === NIFTI1_HEADER_SIZE) return { version: 1, littleEndian };
    if (size === NIFTI2_HEADER_SIZE) return { version: 2, littleEndian };
  }
  return undefined;
}

export function parseNiftiHeader(bytes: Uint8Array, path: string): NiftiHeader {
  const detected = detectNiftiVersion(bytes);
  if (!detected) {
    throw new ImagingError('not-nifti', `${path} is not a NIfTI image (its header does not start like one).`, path);
  }
  const needed = detected.version === 1 ? NIFTI1_HEADER_SIZE : NIFTI2_HEADER_SIZE;
  if (bytes.length < needed) {
    throw new ImagingError('file-truncated', `${path} is cut short: the file ends inside its NIfTI header.`, path);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header =
    detected.version === 1 ? parseNifti1(view, detected.littleEndian) : parseNifti2(view, detected.littleEndian);
  checkMagic(bytes, header.version, path);
  return header;
}

function parseNifti1(view: DataView, le: boolean): NiftiHeader {
  const f32 = (offset: number): number => view.getFloat32(offset, le);
  const i16 = (offset: number): number => view.getInt16(offset, le);
  return {
    version: 1,
    littleEndian: le,
    dim: range(8).map((n) => i16(40 + 2 * n)),
    datatype: i16(70),
    intentCode: i16(68),
    bitpix: i16(72),
    pixdim: range(8).map((n) => f32(76 + 4 * n)),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    xyztUnits: view.getUint8(123),
    description: readString(view, 148, 80),
    qformCode: i16(252),
    sformCode: i16(254),
    quaternion: [f32(256), f32(260), f32(264)],
    qoffset: [f32(268), f32(272), f32(276)],
    srow: [0, 1, 2].map((row) => range(4).map((n) => f32(280 + 16 * row + 4 * n))) as NiftiHeader['srow']
  };
}

function parseNifti2(view: DataView, le: boolean): NiftiHeader {
  const f64 = (offset: number): number => view.getFloat64(offset, le);
  const i64 = (offset: number): number => Number(view.getBigInt64(offset, le));
  return {
    version: 2,
    littleEndian: le,
    dim: range(8).map((n) => i64(16 + 8 * n)),
    datatype: view.getInt16(12, le),
    intentCode: view.getInt32(504, le),
    bitpix: view.getInt16(14, le),
    pixdim: range(8).map((n) => f64(104 + 8 * n)),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    xyztUnits: view.getInt32(500, le),
    description: readString(view, 240, 80),
    qformCode: view.getInt32(344, le),
    sformCode: view.getInt32(348, le),
    quaternion: [f64(352), f64(360), f64(368)],
    qoffset: [f64(376), f64(384), f64(392)],
    srow: [0, 1, 2].map((row) => range(4).map((n) => f64(400 + 32 * row + 8 * n))) as NiftiHeader['srow']
  };
}

/** A single-file .nii says "n+1"/"n+2"; "ni1"/"ni2" means the voxels are in a separate .img file we were not given. */
function checkMagic(bytes: Uint8Array, version: 1 | 2, path: string): void {
  const offset = version === 1 ? 344 : 4;
  const magic = String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!);
  if (magic === `n+${version}`) return;
  if (magic === `ni${version}`) {
    throw new ImagingError(
      'not-nifti',
      `${path} is a header-only NIfTI file (.hdr); open a single-file .nii or .nii.gz instead.`,
      path
    );
  }
  throw new ImagingError(
    'not-nifti',
    `${path} is not a NIfTI image (the NIfTI signature is missing from its header).`,
    path
  );
}

/** NIfTI-1 single-file header (with the 4 extension bytes, all zero), as written by `writeNiftiFile`. */
export function serializeNifti1Header(header: NiftiHeader): Uint8Array {
  const bytes = new Uint8Array(352);
  const view = new DataView(bytes.buffer);
  const le = true;
  view.setInt32(0, NIFTI1_HEADER_SIZE, le);
  view.setUint8(38, 'r'.charCodeAt(0)); // "regular": old Analyze readers check it
  header.dim.forEach((value, n) => view.setInt16(40 + 2 * n, value, le));
  view.setInt16(68, header.intentCode, le);
  view.setInt16(70, header.datatype, le);
  view.setInt16(72, header.bitpix, le);
  header.pixdim.forEach((value, n) => view.setFloat32(76 + 4 * n, value, le));
  view.setFloat32(108, header.voxOffset, le);
  view.setFloat32(112, header.sclSlope, le);
  view.setFloat32(116, header.sclInter, le);
  view.setUint8(123, header.xyztUnits);
  writeString(bytes, 148, 80, header.description);
  view.setInt16(252, header.qformCode, le);
  view.setInt16(254, header.sformCode, le);
  header.quaternion.forEach((value, n) => view.setFloat32(256 + 4 * n, value, le));
  header.qoffset.forEach((value, n) => view.setFloat32(268 + 4 * n, value, le));
  header.srow.forEach((row, r) => row.forEach((value, n) => view.setFloat32(280 + 16 * r + 4 * n, value, le)));
  writeString(bytes, 344, 4, 'n+1');
  return bytes;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, n) => n);
}

function readString(view: DataView, offset: number, length: number): string {
  let text = '';
  for (let n = 0; n < length; n++) {
    const code = view.getUint8(offset + n);
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text.trim();
}

function writeString(bytes: Uint8Array, offset: number, length: number, text: string): void {
  for (let n = 0; n < Math.min(length - 1, text.length); n++) bytes[offset + n] = text.charCodeAt(n) & 0x7f;
}
