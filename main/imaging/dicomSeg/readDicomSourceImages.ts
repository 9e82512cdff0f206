/**
 * The source images of a volume imported from DICOM, read again from their files (headers only) and put in the
 * volume's slice order k, so that a DICOM SEG can reference each slice's own SOP instance, position and orientation.
 *
 * The order is found as the importer found it, by position: each image's ImagePositionPatient projected on the
 * volume's k axis. The files must still describe the volume: same count, size and orientation, and each position within
 * a pixel, in the slice plane, of where the volume's affine puts that slice; otherwise nothing is guessed and the reason
 * is given.
 */
import { readFile } from 'node:fs/promises';
import { describeFileSystemError, ImagingError } from '../ImagingError';
import { dotProduct, getAxisStep, normalizeVector, transformPoint, vectorLength } from '../geometry';
import type { Vec3, VolumeGeometry } from '../volume';
import { readDicomDataset, type NaturalDataset } from './dicomLibraries';

export interface DicomSourceImage {
  path: string;
  sopInstanceUid: string;
  sopClassUid: string;
  /** ImagePositionPatient, LPS mm. */
  position: Vec3;
  /** ImageOrientationPatient: row direction then column direction. */
  orientation: [number, number, number, number, number, number];
  /** The file's header as dcmjs reads it (no pixel data), for the SEG's patient, study and frame of reference. */
  dataset: NaturalDataset;
}

const ORIENTATION_TOLERANCE = 1e-3;

export async function readDicomSourceImages(
  paths: string[],
  geometry: VolumeGeometry,
  options: { signal?: AbortSignal } = {}
): Promise<DicomSourceImage[]> {
  const [columns, rows, slices] = geometry.dimensions;
  const images: DicomSourceImage[] = [];
  for (const path of paths) {
    options.signal?.throwIfAborted();
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      const reason = describeFileSystemError(error, path).message;
      throw new ImagingError('file-unreadable', `${reason} A DICOM SEG references the scan's own source images, so they must still be there.`, path, {
        cause: error
      });
    }
    let dataset: NaturalDataset;
    try {
      dataset = readDicomDataset(bytes, true);
    } catch (error) {
      throw new ImagingError('damaged-header', `${path} can no longer be read as DICOM (${(error as Error).message}).`, path, { cause: error });
    }
    const frames = Number(dataset.NumberOfFrames ?? 1);
    if (frames > 1) {
      throw new ImagingError(
        'invalid-request',
        `${path} is a multi-frame image (${frames} frames); DICOM SEG export supports series of single-frame images only.`,
        path
      );
    }
    const imageType = ([] as unknown[]).concat(dataset.ImageType ?? []).map(String);
    if (imageType.some((value) => value.trim().toUpperCase() === 'MOSAIC')) {
      throw new ImagingError(
        'invalid-request',
        `${path} is a Siemens mosaic (all slices of the scan tiled into one image), which a DICOM SEG frame cannot reference slice by slice; export the mask as NIfTI instead.`,
        path
      );
    }
    const position = numbers(dataset.ImagePositionPatient, 3);
    const orientation = numbers(dataset.ImageOrientationPatient, 6);
    if (!position || !orientation) {
      throw new ImagingError('invalid-request', `${path} has no ImagePositionPatient or ImageOrientationPatient, which a DICOM SEG frame needs.`, path);
    }
    if (Number(dataset.Rows) !== rows || Number(dataset.Columns) !== columns) {
      throw new ImagingError(
        'inconsistent-series',
        `${path} is ${String(dataset.Columns)}×${String(dataset.Rows)} pixels but the imported scan is ${columns}×${rows}; the source files have changed.`,
        path
      );
    }
    images.push({
      path,
      sopInstanceUid: String(dataset.SOPInstanceUID ?? ''),
      sopClassUid: String(dataset.SOPClassUID ?? ''),
      position: position as Vec3,
      orientation: orientation as DicomSourceImage['orientation'],
      dataset
    });
  }
  if (images.length !== slices) {
    throw new ImagingError(
      'inconsistent-series',
      `The scan has ${slices} slices but its source files hold ${images.length} images; the source series has changed since import.`,
      paths[0]
    );
  }
  const stepI = normalizeVector(getAxisStep(geometry.voxelToPatient, 0));
  const stepJ = normalizeVector(getAxisStep(geometry.voxelToPatient, 1));
  const stepK = getAxisStep(geometry.voxelToPatient, 2);
  const along = (p: Vec3) => p[0] * stepK[0] + p[1] * stepK[1] + p[2] * stepK[2];
  images.sort((a, b) => along(a.position) - along(b.position));
  const spacingI = vectorLength(getAxisStep(geometry.voxelToPatient, 0));
  const spacingJ = vectorLength(getAxisStep(geometry.voxelToPatient, 1));
  images.forEach((image, k) => {
    const [r0, r1, r2, c0, c1, c2] = image.orientation;
    const sameOrientation =
      Math.max(Math.abs(r0 - stepI[0]), Math.abs(r1 - stepI[1]), Math.abs(r2 - stepI[2])) < ORIENTATION_TOLERANCE &&
      Math.max(Math.abs(c0 - stepJ[0]), Math.abs(c1 - stepJ[1]), Math.abs(c2 - stepJ[2])) < ORIENTATION_TOLERANCE;
    if (!sameOrientation) {
      throw new ImagingError(
        'inconsistent-series',
        `${image.path} is oriented ${image.orientation.join('\\')}, not as the imported scan; the source files have changed.`,
        image.path
      );
    }
    // Uneven spacing moves a slice along k (the import warned about it); only a move within the plane means the
    // files are not the ones imported.
    const expected = transformPoint(geometry.voxelToPatient, [0, 0, k]);
    const offset: Vec3 = [image.position[0] - expected[0], image.position[1] - expected[1], image.position[2] - expected[2]];
    const inPlane = Math.max(Math.abs(dotProduct(offset, stepI)) / spacingI, Math.abs(dotProduct(offset, stepJ)) / spacingJ);
    if (inPlane > 1) {
      throw new ImagingError(
        'inconsistent-series',
        `${image.path} lies ${inPlane.toFixed(1)} pixels off slice ${k + 1} of the imported scan; the source files no longer match it.`,
        image.path
      );
    }
  });
  return images;
}

function numbers(value: unknown, count: number): number[] | null {
  const list = (Array.isArray(value) ? value : [value]).map(Number);
  return list.length >= count && list.slice(0, count).every(Number.isFinite) ? list.slice(0, count) : null;
}
