/**
 * Position, orientation, pixel spacing and rescale of each frame. Classic objects carry them at the top level; enhanced
 * multi-frame objects (enhanced CT/MR) carry them in functional groups, per frame or shared by all frames.
 */
import type { Vec3 } from '../volume';
import type { DicomFrameReference } from './dicomTypes';
import { TAG } from './dicomTags';
import type { DicomDataSet } from './parseDicomBytes';

export type FrameGeometry = Pick<
  DicomFrameReference,
  | 'position'
  | 'rowDirection'
  | 'columnDirection'
  | 'pixelSpacing'
  | 'sliceThickness'
  | 'spacingBetweenSlices'
  | 'rescaleSlope'
  | 'rescaleIntercept'
>;

type PartialGeometry = Omit<FrameGeometry, 'rescaleSlope' | 'rescaleIntercept'> & {
  rescaleSlope?: number;
  rescaleIntercept?: number;
};

export function readFrameGeometries(dataSet: DicomDataSet, frameCount: number): FrameGeometry[] {
  const topLevel = readGeometryFrom([dataSet]);
  const shared = firstItem(dataSet, TAG.sharedFunctionalGroups);
  const perFrame = dataSet.elements[TAG.perFrameFunctionalGroups]?.items ?? [];
  return Array.from({ length: frameCount }, (_, frame) => {
    const frameGroups = perFrame[frame]?.dataSet;
    const groups = [frameGroups, shared].filter((group): group is DicomDataSet => group !== undefined);
    const fromGroups =
      groups.length === 0
        ? {}
        : withoutUndefined(readGeometryFrom(groups.flatMap((group) => functionalGroupItems(group))));
    const merged = { ...topLevel, ...fromGroups };
    // A slope of 0 is a writer's mistake: the stored values are the real ones.
    return { ...merged, rescaleSlope: merged.rescaleSlope || 1, rescaleIntercept: merged.rescaleIntercept ?? 0 };
  });
}

/** The items of the functional group macros we read, most specific first. */
function functionalGroupItems(group: DicomDataSet): DicomDataSet[] {
  return [
    TAG.planePositionSequence,
    TAG.planeOrientationSequence,
    TAG.pixelMeasuresSequence,
    TAG.pixelValueTransformationSequence
  ]
    .map((tag) => firstItem(group, tag))
    .filter((item): item is DicomDataSet => item !== undefined);
}

/** Reads each attribute from the first data set that has it. */
function readGeometryFrom(sources: DicomDataSet[]): PartialGeometry {
  const find = <T>(read: (source: DicomDataSet) => T | undefined): T | undefined => {
    for (const source of sources) {
      const value = read(source);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const orientation = find((source) => readNumbers(source, TAG.imageOrientationPatient, 6));
  const position = find((source) => readNumbers(source, TAG.imagePositionPatient, 3));
  const spacing = find(
    (source) => readNumbers(source, TAG.pixelSpacing, 2) ?? readNumbers(source, TAG.imagerPixelSpacing, 2)
  );
  const thickness = find((source) => finite(source.floatString('x00180050')));
  const spacingBetween = find((source) => finite(source.floatString('x00180088')));
  const slope = find((source) => finite(source.floatString(TAG.rescaleSlope)));
  const intercept = find((source) => finite(source.floatString(TAG.rescaleIntercept)));
  const geometry: PartialGeometry = { rescaleSlope: slope, rescaleIntercept: intercept };
  if (thickness !== undefined && thickness > 0) geometry.sliceThickness = thickness;
  if (spacingBetween !== undefined && spacingBetween > 0) geometry.spacingBetweenSlices = spacingBetween;
  if (position) geometry.position = position as Vec3;
  if (orientation) {
    geometry.rowDirection = normalize(orientation.slice(0, 3) as Vec3);
    geometry.columnDirection = normalize(orientation.slice(3, 6) as Vec3);
  }
  if (spacing && spacing[0]! > 0 && spacing[1]! > 0) geometry.pixelSpacing = [spacing[0]!, spacing[1]!];
  return geometry;
}

function firstItem(dataSet: DicomDataSet, tag: string): DicomDataSet | undefined {
  return dataSet.elements[tag]?.items?.[0]?.dataSet;
}

function readNumbers(dataSet: DicomDataSet, tag: string, count: number): number[] | undefined {
  if (!dataSet.elements[tag]) return undefined;
  const values: number[] = [];
  for (let index = 0; index < count; index++) {
    const value = dataSet.floatString(tag, index);
    if (value === undefined || !Number.isFinite(value)) return undefined;
    values.push(value);
  }
  return values;
}

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** Orientation vectors are often written with 5-6 digits; renormalising keeps the affine's directions unit length. */
function normalize(v: Vec3): Vec3 {
  const length = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / length, v[1] / length, v[2] / length];
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
