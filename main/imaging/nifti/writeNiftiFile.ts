/**
 * The NIfTI writer: one volume as a NIfTI-1 .nii or .nii.gz, sform and qform both set (code 1, scanner anatomical) in
 * RAS, on the volume's own voxel grid (never cropped or resampled). Voxels are stored in `geometry.niftiLayout`'s order,
 * with the affine adjusted, so a DICOM-derived file lines up with dcm2niix's conversion. Streams slice by slice through
 * gzip and writes to a temporary name first, so a crash never leaves a half-written file behind.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { computeFileAffine, computeFileDimensions, convertLpsRas, countVoxels, IDENTITY_LAYOUT } from '../geometry';
import { syncFile, syncFolder } from '../../common';
import { ImagingError } from '../ImagingError';
import { scalarTypeNameOf, type NiftiLayout, type ScalarArray, type Vec3, type Volume } from '../volume';
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
    throw new ImagingError(
      'invalid-request',
      `Cannot write ${path}: the voxel count does not match the volume size ${geometry.dimensions.join('×')}.`,
      path
    );
  }
  if (geometry.dimensions.some((size) => size > 32767)) {
    throw new ImagingError(
      'invalid-request',
      `Cannot write ${path}: a side longer than 32767 voxels does not fit NIfTI-1.`,
      path
    );
  }
  const header = buildNiftiHeader(volume, options);
  const temporaryPath = `${path}.partial`;
  const chunks = Readable.from(generateFileChunks(header, volume));
  try {
    const output = createWriteStream(temporaryPath);
    if (/\.gz$/i.test(path)) await pipeline(chunks, createGzip({ level: 6 }), output, { signal: options.signal });
    else await pipeline(chunks, output, { signal: options.signal });
    // On disk before it gets its name, and the name on disk before the export says it is done.
    await syncFile(temporaryPath);
    await rename(temporaryPath, path);
    await syncFolder(dirname(path));
  } catch (error) {
    await rm(temporaryPath, { force: true });
    if (options.signal?.aborted) throw options.signal.reason;
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOSPC'
        ? 'the disk is full'
        : String((error as Error).message ?? error);
    throw new ImagingError('write-failed', `${path} could not be written: ${reason}.`, path, { cause: error });
  }
}

function buildNiftiHeader(volume: Volume, options: WriteNiftiOptions): NiftiHeader {
  const { geometry } = volume;
  const layout = geometry.niftiLayout ?? IDENTITY_LAYOUT;
  const rasAffine = convertLpsRas(computeFileAffine(geometry, layout));
  const qform = convertAffineToQuaternion(rasAffine);
  const datatype = findNiftiDatatypeForScalarType(scalarTypeNameOf(volume.scalars));
  return {
    version: 1,
    littleEndian: true,
    dim: [3, ...computeFileDimensions(geometry.dimensions, layout), 1, 1, 1, 1],
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

/** Header, then one file slice at a time in the layout's order, so only one slice is ever copied. */
function* generateFileChunks(header: NiftiHeader, volume: Volume): Generator<Uint8Array> {
  yield serializeNifti1Header(header);
  const layout = volume.geometry.niftiLayout ?? IDENTITY_LAYOUT;
  const [nx, ny, nz] = computeFileDimensions(volume.geometry.dimensions, layout);
  const walk = planWalk(volume.geometry.dimensions, layout);
  const source = volume.scalars;
  const contiguousRows = walk.step[0] === 1;
  for (let z = 0; z < nz; z++) {
    const slice = new (source.constructor as new (length: number) => ScalarArray)(nx * ny);
    for (let y = 0; y < ny; y++) {
      const rowStart = walk.start + z * walk.step[2] + y * walk.step[1];
      if (contiguousRows) slice.set(source.subarray(rowStart, rowStart + nx), y * nx);
      else for (let x = 0; x < nx; x++) slice[y * nx + x] = source[rowStart + x * walk.step[0]]!;
    }
    yield new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength);
  }
}

/** Index of file voxel (0,0,0) in the volume and the index step along each file axis. */
function planWalk(dimensions: Vec3, layout: NiftiLayout): { start: number; step: Vec3 } {
  const strides = [1, dimensions[0], dimensions[0] * dimensions[1]];
  let start = 0;
  const step = layout.axes.map((volumeAxis, fileAxis) => {
    if (!layout.flips[fileAxis]) return strides[volumeAxis]!;
    start += (dimensions[volumeAxis] - 1) * strides[volumeAxis]!;
    return -strides[volumeAxis]!;
  }) as Vec3;
  return { start, step };
}
