/**
 * The voxel grid of a DICOM series: slices ordered by position along the slice normal (never by file name or
 * InstanceNumber), and the voxel-to-patient affine from ImagePositionPatient, ImageOrientationPatient and
 * PixelSpacing.
 *
 * The slice step follows dcm2niix, the reference converter, so that a mask exported from here carries exactly
 * dcm2niix's affine: along the slice normal, as long as the distance between the first two slices in acquisition
 * (instance) order, anchored at the first acquired slice. Where the real positions depart from that even grid
 * (uneven spacing, rounding in the headers) the departure is measured and reported, never hidden. A series whose slices
 * drift sideways (CT gantry tilt) keeps that shear in its affine, so no voxel is misplaced; dcm2niix would instead
 * write an orthogonal affine or resample.
 */
import {
  createAffineFromColumns,
  crossProduct,
  dotProduct,
  scaleVector,
  subtractVectors,
  vectorLength
} from '../geometry';
import type { Vec3, VolumeGeometry } from '../volume';
import type { DicomFrameReference, SeriesSummary } from './dicomTypes';
import { computeDcm2niixLayout } from './computeDcm2niixLayout';
import { compareInstanceOrder } from './groupDicomSeries';

export interface SeriesGeometry {
  geometry: VolumeGeometry;
  /** Frames in voxel order along k. */
  orderedFrames: DicomFrameReference[];
  warnings: string[];
}

export function computeSeriesGeometry(series: SeriesSummary): SeriesGeometry {
  const frames = series.frames;
  const first = frames[0]!;
  const warnings: string[] = [];
  const [rowSpacing, columnSpacing] = first.pixelSpacing ?? [1, 1];
  if (!first.pixelSpacing)
    warnings.push(
      'The images do not state their pixel size; 1 mm is assumed, so distances and volumes are not reliable.'
    );
  const positioned = frames.every((frame) => frame.position && frame.rowDirection && frame.columnDirection);
  if (!positioned) {
    warnings.push(
      'The images carry no position in the patient: they are stacked in acquisition order with an assumed orientation.'
    );
    return computeUnpositionedGeometry(series, [rowSpacing, columnSpacing], warnings);
  }
  const rowDirection = first.rowDirection!;
  const columnDirection = first.columnDirection!;
  const normal = crossProduct(rowDirection, columnDirection);
  const ordered = [...frames].sort(
    (a, b) => dotProduct(a.position!, normal) - dotProduct(b.position!, normal) || compareInstanceOrder(a, b)
  );
  const stepI = scaleVector(rowDirection, columnSpacing);
  const stepJ = scaleVector(columnDirection, rowSpacing);
  const { stepK, origin } = computeSliceStep(
    ordered,
    normal,
    getSingleSliceStep(first),
    Math.min(rowSpacing, columnSpacing),
    warnings
  );
  const dimensions: Vec3 = [series.columns, series.rows, ordered.length];
  const voxelToPatient = createAffineFromColumns(stepI, stepJ, stepK, origin);
  const niftiLayout = computeDcm2niixLayout(voxelToPatient, dimensions, describeAcquisition(series));
  return { geometry: { dimensions, voxelToPatient, niftiLayout }, orderedFrames: ordered, warnings };
}

function computeSliceStep(
  ordered: DicomFrameReference[],
  normal: Vec3,
  singleSliceStep: number,
  pixelSize: number,
  warnings: string[]
): { stepK: Vec3; origin: Vec3 } {
  const positions = ordered.map((frame) => frame.position!);
  const count = positions.length;
  if (count === 1) return { stepK: scaleVector(normal, singleSliceStep), origin: positions[0]! };
  const span = subtractVectors(positions[count - 1]!, positions[0]!);
  if (vectorLength(span) < 0.001) {
    warnings.push(
      `All ${count} images lie at the same position (a time series or repeated acquisition): they are stacked in ` +
        'acquisition order, so the third axis is time, not a distance in the patient.'
    );
    return { stepK: scaleVector(normal, singleSliceStep), origin: positions[0]! };
  }
  const spanAlongNormal = dotProduct(span, normal);
  const drift = vectorLength(subtractVectors(span, scaleVector(normal, spanAlongNormal)));
  if (drift > 0.25 * pixelSize) {
    const tilt = (Math.atan2(drift, spanAlongNormal) * 180) / Math.PI;
    warnings.push(
      `The slices are tilted by ${tilt.toFixed(1)}° (gantry tilt): the volume is kept sheared so every slice stays where it was acquired.`
    );
    reportUnevenSpacing(positions, normal, spanAlongNormal / (count - 1), positions[0]!, warnings);
    return { stepK: scaleVector(span, 1 / (count - 1)), origin: positions[0]! };
  }
  // dcm2niix's anchor: the first two slices in instance order (reversed order when instances run against the normal);
  // frames of one multi-frame object are anchored at the lowest slice, as dcm2niix does for enhanced objects.
  const descending = (ordered[0]!.instanceNumber ?? 0) > (ordered[count - 1]!.instanceNumber ?? 0);
  const [a, b] = descending ? [positions[count - 1]!, positions[count - 2]!] : [positions[0]!, positions[1]!];
  const spacing = vectorLength(subtractVectors(b, a));
  const stepK = scaleVector(normal, spacing);
  const origin = descending ? subtractVectors(a, scaleVector(stepK, count - 1)) : a;
  reportUnevenSpacing(positions, normal, spacing, origin, warnings);
  return { stepK, origin };
}

/** Compares each slice's real position with the even grid and warns when they differ by a clinically visible amount. */
function reportUnevenSpacing(positions: Vec3[], normal: Vec3, spacing: number, origin: Vec3, warnings: string[]): void {
  const distances = positions.map((position) => dotProduct(subtractVectors(position, origin), normal));
  const gaps = distances.slice(1).map((distance, n) => distance - distances[n]!);
  const largestError = Math.max(...distances.map((distance, n) => Math.abs(distance - n * spacing)));
  if (gaps.some((gap) => gap < 0.001))
    warnings.push('Two or more slices lie at the same position; the series may mix several acquisitions.');
  if (largestError > Math.min(0.5, 0.1 * spacing)) {
    const smallest = Math.min(...gaps);
    const largest = Math.max(...gaps);
    warnings.push(
      `Slice spacing is uneven (${smallest.toFixed(2)} to ${largest.toFixed(2)} mm between neighbouring slices); ` +
        `the volume uses an even ${spacing.toFixed(2)} mm, so some slices are shown up to ${largestError.toFixed(1)} mm from where they were acquired.`
    );
  }
}

function computeUnpositionedGeometry(
  series: SeriesSummary,
  pixelSpacing: [number, number],
  warnings: string[]
): SeriesGeometry {
  const ordered = [...series.frames].sort(compareInstanceOrder);
  const first = ordered[0]!;
  const rowDirection = first.rowDirection ?? [1, 0, 0];
  const columnDirection = first.columnDirection ?? [0, 1, 0];
  const normal = crossProduct(rowDirection, columnDirection);
  const dimensions: Vec3 = [series.columns, series.rows, ordered.length];
  const voxelToPatient = createAffineFromColumns(
    scaleVector(rowDirection, pixelSpacing[1]),
    scaleVector(columnDirection, pixelSpacing[0]),
    scaleVector(normal, getSingleSliceStep(first)),
    first.position ?? [0, 0, 0]
  );
  const niftiLayout = computeDcm2niixLayout(voxelToPatient, dimensions, describeAcquisition(series));
  return { geometry: { dimensions, voxelToPatient, niftiLayout }, orderedFrames: ordered, warnings };
}

function describeAcquisition(series: SeriesSummary): { is3D: boolean; isEchoPlanar: boolean } {
  return { is3D: /^3D/i.test(series.acquisitionType ?? ''), isEchoPlanar: series.isEchoPlanar === true };
}

function getSingleSliceStep(frame: DicomFrameReference): number {
  return frame.spacingBetweenSlices ?? frame.sliceThickness ?? 1;
}
