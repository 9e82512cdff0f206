/**
 * Synthetic multi-sequence brains (issue 18, item 4): no multi-sequence tumour MRI is on the machines this project is
 * built on, so the shipped T1-weighted brains are turned into T1-, T1c-, T2- and FLAIR-like images of the same
 * anatomy, and a lesion whose parts look different in each is inserted, so that no single sequence shows all of it.
 *
 * - Tissue classes by intensity: three classes of the nonzero voxels (CSF < grey matter < white matter on a T1 image)
 *   by one-dimensional k-means.
 * - Contrast transforms: a piecewise-linear map through the class means to each sequence's levels (CSF dark on T1 and
 *   FLAIR, bright on T2; white matter brighter than grey on T1, darker on T2 and FLAIR), so partial-volume edges stay
 *   smooth and the anatomy is the same voxel for voxel.
 * - Lesion parts (concentric, with an irregular boundary): a necrotic core, an enhancing ring and oedema around them.
 *   Each sequence shows some parts above all normal tissue and hides others at a normal tissue's level:
 *
 *   | part   | T1          | T1c           | T2              | FLAIR           |
 *   |--------|-------------|---------------|-----------------|-----------------|
 *   | core   | CSF (dark)  | CSF (dark)    | above CSF       | CSF (dark)      |
 *   | ring   | grey matter | above all     | grey matter     | grey matter     |
 *   | oedema | CSF-GM      | grey matter   | GM-CSF (bright) | above all       |
 *
 *   So T1c alone finds the ring, T2 the core, FLAIR the oedema, T1 nothing: only together do they give the whole
 *   lesion (the BraTS "whole tumour" target), as `multiSequenceBrain.test.ts` checks.
 */
import type { Random } from '../common';
import type { Vec3, Volume } from '../imaging';
import { wobblyBoundary } from './insertLesion';

export type SyntheticSequence = 'T1' | 'T1c' | 'T2' | 'FLAIR';
export const syntheticSequences: readonly SyntheticSequence[] = ['T1', 'T1c', 'T2', 'FLAIR'];

/** Normal tissue levels per sequence: [CSF, grey matter, white matter]. */
const tissueLevels: Record<SyntheticSequence, [number, number, number]> = {
  T1: [250, 550, 800],
  T1c: [250, 550, 800],
  T2: [1000, 600, 400],
  FLAIR: [100, 650, 450]
};

/** Lesion levels per sequence: [core, ring, oedema]. */
const lesionLevels: Record<SyntheticSequence, [number, number, number]> = {
  T1: [250, 550, 420],
  T1c: [250, 1200, 550],
  T2: [1400, 600, 900],
  FLAIR: [100, 650, 1000]
};

/** Where the parts end, as a fraction of the lesion's (irregular) radius: core, then ring, then oedema to 1. */
const coreEnd = 0.45;
const ringEnd = 0.75;

export interface MultiSequenceLesionSpec {
  centre: Vec3;
  /** Semi-axes of the whole lesion (oedema included), voxels. */
  radii: Vec3;
}

export interface MultiSequenceCase {
  sequences: Record<SyntheticSequence, Volume>;
  /** The whole lesion (core, ring and oedema), 0 or 1. */
  truth: Uint8Array;
  /** 0 outside, 1 core, 2 ring, 3 oedema. */
  parts: Uint8Array;
}

/** The three class means (ascending) of the nonzero voxels: one-dimensional k-means on a 2,048-bin histogram. */
export function tissueClassMeans(scalars: ArrayLike<number>): [number, number, number] {
  let minimum = Infinity;
  let maximum = -Infinity;
  for (let index = 0; index < scalars.length; index += 1) {
    const value = scalars[index]!;
    if (value > 0) {
      if (value < minimum) minimum = value;
      if (value > maximum) maximum = value;
    }
  }
  if (!Number.isFinite(minimum)) return [0, 0, 0];
  const bins = 2048;
  const width = (maximum - minimum) / bins || 1;
  const counts = new Float64Array(bins);
  const sums = new Float64Array(bins);
  for (let index = 0; index < scalars.length; index += 1) {
    const value = scalars[index]!;
    if (!(value > 0)) continue;
    const bin = Math.min(bins - 1, Math.floor((value - minimum) / width));
    counts[bin]! += 1;
    sums[bin]! += value;
  }
  const total = counts.reduce((sum, count) => sum + count, 0);
  // Start from the quartiles.
  const quantile = (q: number) => {
    let seen = 0;
    for (let bin = 0; bin < bins; bin += 1) {
      seen += counts[bin]!;
      if (seen >= q * total) return minimum + (bin + 0.5) * width;
    }
    return maximum;
  };
  let centres = [quantile(0.25), quantile(0.5), quantile(0.75)];
  for (let iteration = 0; iteration < 100; iteration += 1) {
    const classSums = [0, 0, 0];
    const classCounts = [0, 0, 0];
    for (let bin = 0; bin < bins; bin += 1) {
      if (counts[bin] === 0) continue;
      const value = sums[bin]! / counts[bin]!;
      let nearest = 0;
      for (let n = 1; n < 3; n += 1) if (Math.abs(value - centres[n]!) < Math.abs(value - centres[nearest]!)) nearest = n;
      classSums[nearest]! += sums[bin]!;
      classCounts[nearest]! += counts[bin]!;
    }
    const next = centres.map((centre, n) => (classCounts[n]! > 0 ? classSums[n]! / classCounts[n]! : centre));
    const settled = next.every((value, n) => Math.abs(value - centres[n]!) < 1e-9);
    centres = next;
    if (settled) break;
  }
  return [...centres].sort((a, b) => a - b) as [number, number, number];
}

/** The brain as `sequence` would show it: each voxel mapped through the class means to that sequence's levels. */
export function transformContrast(volume: Volume, classMeans: [number, number, number], sequence: SyntheticSequence): Volume {
  const levels = tissueLevels[sequence];
  const knots: [number, number][] = [[0, 0], ...classMeans.map((mean, n) => [mean, levels[n]!] as [number, number])];
  const scalars = new Float32Array(volume.scalars.length);
  for (let index = 0; index < scalars.length; index += 1) {
    const value = volume.scalars[index]!;
    if (value <= 0) continue;
    scalars[index] = interpolate(knots, value);
  }
  return { geometry: volume.geometry, scalars };
}

function interpolate(knots: [number, number][], x: number): number {
  if (x >= knots[knots.length - 1]![0]) return knots[knots.length - 1]![1];
  for (let n = 1; n < knots.length; n += 1) {
    const [x1, y1] = knots[n]!;
    if (x <= x1) {
      const [x0, y0] = knots[n - 1]!;
      return x1 === x0 ? y1 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
    }
  }
  return knots[knots.length - 1]![1];
}

/**
 * The four sequences of one brain with one lesion: each part at its sequence's level, with a ±5 % texture that is
 * the same in every sequence (one tissue, seen four ways). Only brain voxels become lesion.
 */
export function buildMultiSequenceCase(brain: Volume, spec: MultiSequenceLesionSpec, random: Random): MultiSequenceCase {
  const classMeans = tissueClassMeans(brain.scalars);
  const sequences = Object.fromEntries(
    syntheticSequences.map((sequence) => [sequence, transformContrast(brain, classMeans, sequence)])
  ) as Record<SyntheticSequence, Volume>;
  const [ni, nj, nk] = brain.geometry.dimensions;
  const truth = new Uint8Array(brain.scalars.length);
  const parts = new Uint8Array(brain.scalars.length);
  const boundary = wobblyBoundary(random, 0.15);
  const [ci, cj, ck] = spec.centre;
  const [ri, rj, rk] = spec.radii;
  const reach = 1.4;
  for (let k = Math.max(0, Math.floor(ck - rk * reach)); k <= Math.min(nk - 1, Math.ceil(ck + rk * reach)); k += 1)
    for (let j = Math.max(0, Math.floor(cj - rj * reach)); j <= Math.min(nj - 1, Math.ceil(cj + rj * reach)); j += 1)
      for (let i = Math.max(0, Math.floor(ci - ri * reach)); i <= Math.min(ni - 1, Math.ceil(ci + ri * reach)); i += 1) {
        const index = (k * nj + j) * ni + i;
        if (!(brain.scalars[index]! > 0)) continue;
        const x = (i - ci) / ri;
        const y = (j - cj) / rj;
        const z = (k - ck) / rk;
        const distance = Math.hypot(x, y, z);
        const relative = distance / boundary(Math.atan2(y, x), Math.acos(Math.max(-1, Math.min(1, z / (distance || 1)))));
        if (relative >= 1) continue;
        const part = relative < coreEnd ? 0 : relative < ringEnd ? 1 : 2;
        truth[index] = 1;
        parts[index] = part + 1;
        const texture = 1 + random.uniform(-0.05, 0.05);
        for (const sequence of syntheticSequences) sequences[sequence].scalars[index] = lesionLevels[sequence][part] * texture;
      }
  return { sequences, truth, parts };
}
