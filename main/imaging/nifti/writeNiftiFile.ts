/**
 * The NIfTI writer: one volume as a NIfTI-1 .nii or .nii.gz, sform and qform both set (code 1, scanner anatomical) in
 * RAS, on the volume's own voxel grid (never cropped or resampled). Axes listed in `geometry.niftiAxisFlips` are
 * stored reversed, with the affine adjusted, so a DICOM-derived file lines up with dcm2niix's conversion. Streams slice
 * by slice through gzip and writes to a temporary name first, so a crash never leaves a half-written file behind.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { convertLpsRas, countVoxels, flipGeometryAxes } from '../geometry';
import { ImagingError } from '../ImagingError';
import { scalarTypeNameOf, type Volume } from '../volume';
import { convertAffineToQuaternion } from './niftiAffine';
import { findNiftiDatatypeForScalarType } from './niftiDatatypes';
import { serializeNifti1Header, type NiftiHeader } from './niftiHeader';

export interface WriteNiftiOptions {
  description?: string;
  /** NIfTI intent code; 1002 (label) for masks. */
  intentCode?: number;
  signal?: AbortSignal;
}

const NIFTI1_VOX_OFFSET = 352;

export async function writeNiftiFile(path: string, volume: Volume, options: WriteNiftiOptions = {}): Promise<void> {
  const { geometry, scalars } = volume;
  if (scalars.length !== countVoxels(geometry.dimensions)) {
    throw new ImagingError('invalid-request', `Cannot write ${path}: the voxel count does not match the volume size ${geometry.dimensions.join('×')}.`, path);
  }
  if (geometry.dimensions.some((size) => size > 32767)) {
    throw new ImagingError('invalid-request', `Cannot write ${path}: a side longer than 32767 voxels does not fit NIfTI-1.`, path);
  }
  const header = buildNiftiHeader(volume, options);
  const temporaryPath = `${path}.partial`;
  const chunks = Readable.from(generateFileChunks(header, volume));
  try {
    const output = createWriteStream(temporaryPath);
    if (/\.gz$/i.test(path)) await pipeline(chunks, createGzip({ level: 6 }), output, { signal: options.signal });
    else await pipeline(chunks, output, { signal: options.signal });
    await rename(temporaryPath, path);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    if (options.signal?.aborted) throw options.signal.reason;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOSPC' ? 'the disk is full' : String((error as Error).message ?? error);
    throw new ImagingError('write-failed', `${path} could not be written: ${reason}.`, path, { cause: error });
  }
}

function buildNiftiHeader(volume: Volume, options: WriteNiftiOptions): NiftiHeader {
  const { geometry } = volume;
  const flips = geometry.niftiAxisFlips ?? [false, false, false];
  const rasAffine = convertLpsRas(flipGeometryAxes(geometry, flips));
  const qform = convertAffineToQuaternion(rasAffine);
  const datatype = findNiftiDatatypeForScalarType(scalarTypeNameOf(volume.scalars));
  return {
    version: 1,
    littleEndian: true,
    dim: [3, ...geometry.dimensions, 1, 1, 1, 1],
    datatype: datatype.code,
    bitpix: datatype.bytesPerVoxel * 8,
    intentCode: options.intentCode ?? 0,
    pixdim: [qform.qfac, ...qform.voxelSize, 1, 1, 1, 1],
    voxOffset: NIFTI1_VOX_OFFSET,
    sclSlope: 1,
    sclInter: 0,
    xyztUnits: 2, // millimetres
    description: options.description ?? '',
    qformCode: 1,
    sformCode: 1,
    quaternion: qform.quaternion,
    qoffset: qform.qoffset,
    srow: [rasAffine.slice(0, 4), rasAffine.slice(4, 8), rasAffine.slice(8, 12)]
  };
}

/** Header, then one slice at a time in file order (flipped axes reversed), so only one slice is ever copied. */
function* generateFileChunks(header: NiftiHeader, volume: Volume): Generator<Uint8Array> {
  yield serializeNifti1Header(header);
  const [nx, ny, nz] = volume.geometry.dimensions;
  const flips = volume.geometry.niftiAxisFlips ?? [false, false, false];
  const source = volume.scalars;
  const sliceLength = nx * ny;
  for (let k = 0; k < nz; k++) {
    const sourceK = flips[2] ? nz - 1 - k : k;
    const sourceSlice = source.subarray(sourceK * sliceLength, (sourceK + 1) * sliceLength);
    const slice = flips[0] || flips[1] ? reorderSlice(sourceSlice, nx, ny, flips) : sourceSlice.slice();
    yield new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength);
  }
}

function reorderSlice<T extends Volume['scalars']>(slice: T, nx: number, ny: number, flips: [boolean, boolean, boolean]): T {
  const result = new (slice.constructor as new (length: number) => T)(slice.length);
  for (let j = 0; j < ny; j++) {
    const sourceRow = (flips[1] ? ny - 1 - j : j) * nx;
    if (!flips[0]) result.set(slice.subarray(sourceRow, sourceRow + nx), j * nx);
    else for (let i = 0; i < nx; i++) result[j * nx + i] = slice[sourceRow + nx - 1 - i]!;
  }
  return result;
}
