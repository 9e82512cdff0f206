import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readNiftiFile } from '../imaging';
import { computeSpacing } from '../imaging';
import { createScalarArray, scalarTypeNameOf, type Vec3, type Volume } from '../imaging';
import { Random } from '../common';
import { chooseLesionCentre, insertLesion } from './insertLesion';
import { buildMultiSequenceCase, syntheticSequences, tissueClassMeans, transformContrast, type SyntheticSequence } from './multiSequenceBrain';

export interface DemoCase {
  name: string;
  source: string;
  volume: Volume;
  /** Exact lesion mask (all zero for a healthy case). */
  truth: Uint8Array;
  hasLesion: boolean;
  /** With `sequences`: the case as T1, T1c, T2 and FLAIR on one grid (`volume` is then the T1). */
  sequences?: Record<SyntheticSequence, Volume>;
}

export const sampleBrainsFolder = resolve(import.meta.dirname, '../../resources/sample-brains');

/**
 * The demo's cases: each shipped brain as it is (a true tumour-absent scan), and twice with a synthetic lesion (once
 * mirrored left-right, so the two look like different patients). Seeded: the same cases every run.
 */
export async function buildDemoCases(seed = 7, folder = sampleBrainsFolder, options: { sequences?: boolean } = {}): Promise<DemoCase[]> {
  if (options.sequences) return buildMultiSequenceDemoCases(seed, folder);
  const random = new Random(seed);
  const cases: DemoCase[] = [];
  for await (const { file, brain, volume } of readSampleBrains(folder)) {
    const empty = new Uint8Array(volume.scalars.length);
    cases.push({ name: `${brain} · no lesion`, source: file, volume, truth: empty, hasLesion: false });
    for (const variant of [1, 2]) {
      const base = variant === 2 ? mirrorLeftRight(volume) : volume;
      const radii = lesionRadii(volume, random, [8, 14], 1.2);
      const centre = chooseLesionCentre(base, radii, random);
      const lesion = insertLesion(base, { centre, radii, contrast: random.uniform(0.45, 0.8), massEffect: random.uniform(1, 2.5) }, random);
      cases.push({ name: `${brain} · lesion ${variant}`, source: file, volume: lesion.volume, truth: lesion.mask, hasLesion: true });
    }
  }
  return cases;
}

/**
 * The multi-sequence demo (issue 18): the same twelve cases, each as T1, T1c, T2 and FLAIR
 * (multiSequenceBrain.ts), the lesions with a core, an enhancing ring and oedema that no one sequence shows whole.
 */
async function buildMultiSequenceDemoCases(seed: number, folder: string): Promise<DemoCase[]> {
  const random = new Random(seed);
  const cases: DemoCase[] = [];
  for await (const { file, brain, volume } of readSampleBrains(folder)) {
    const classMeans = tissueClassMeans(volume.scalars);
    const healthy = Object.fromEntries(syntheticSequences.map((name) => [name, transformContrast(volume, classMeans, name)])) as Record<SyntheticSequence, Volume>;
    cases.push({ name: `${brain} · no lesion`, source: file, volume: healthy.T1, truth: new Uint8Array(volume.scalars.length), hasLesion: false, sequences: healthy });
    for (const variant of [1, 2]) {
      const base = variant === 2 ? mirrorLeftRight(volume) : volume;
      const radii = lesionRadii(volume, random, [10, 16], 1.5);
      const built = buildMultiSequenceCase(base, { centre: chooseLesionCentre(base, radii, random), radii }, random);
      cases.push({ name: `${brain} · lesion ${variant}`, source: file, volume: built.sequences.T1, truth: built.truth, hasLesion: true, sequences: built.sequences });
    }
  }
  return cases;
}

/** The shipped brains (every .nii.gz of `folder`, by name), read one at a time. */
async function* readSampleBrains(folder: string): AsyncGenerator<{ file: string; brain: string; volume: Volume }> {
  const files = (await readdir(folder)).filter((name) => name.endsWith('.nii.gz')).sort();
  for (const file of files) yield { file, brain: file.replace('.nii.gz', ''), volume: (await readNiftiFile(join(folder, file))).volume };
}

/** A lesion's semi-axes in voxels: drawn uniformly between `low` and `high` mm, at least `minVoxels` each. */
function lesionRadii(volume: Volume, random: Random, [low, high]: [number, number], minVoxels: number): Vec3 {
  const spacing = computeSpacing(volume.geometry.voxelToPatient);
  const radiiMm: Vec3 = [random.uniform(low, high), random.uniform(low, high), random.uniform(low, high)];
  return radiiMm.map((mm, axis) => Math.max(minVoxels, mm / spacing[axis]!)) as Vec3;
}

function mirrorLeftRight(volume: Volume): Volume {
  const [ni, nj, nk] = volume.geometry.dimensions;
  const scalars = createScalarArray(scalarTypeNameOf(volume.scalars), volume.scalars.length);
  for (let k = 0; k < nk; k += 1) {
    for (let j = 0; j < nj; j += 1) {
      const row = (k * nj + j) * ni;
      for (let i = 0; i < ni; i += 1) scalars[row + i] = volume.scalars[row + ni - 1 - i]!;
    }
  }
  return { geometry: volume.geometry, scalars };
}

/** Slices (along k) that hold lesion voxels. */
export function lesionSlices(truth: Uint8Array, dimensions: Vec3): number[] {
  const sliceSize = dimensions[0] * dimensions[1];
  const slices: number[] = [];
  for (let k = 0; k < dimensions[2]; k += 1) {
    if (truth.subarray(k * sliceSize, (k + 1) * sliceSize).some((value) => value !== 0)) slices.push(k);
  }
  return slices;
}
