import type { Random } from '../common';
import { createScalarArray, scalarTypeNameOf, type Vec3, type Volume } from '../imaging';

export interface LesionSpec {
  /** Centre in voxel coordinates. */
  centre: Vec3;
  /** Semi-axes in voxels. */
  radii: Vec3;
  /** Relative brightness change of the lesion core (0.6 = 60 % brighter than the brain's mean). */
  contrast: number;
  /** Largest outward push of the surrounding tissue, in voxels. */
  massEffect: number;
}

/**
 * The radius factor of an irregular blob in each direction (polar angle theta, azimuth phi): 1 plus four random angular
 * harmonics of amplitude up to `amplitude`. Draws its numbers from `random` in a fixed order (seeded lesions repeat).
 */
export function wobblyBoundary(random: Random, amplitude: number): (theta: number, phi: number) => number {
  const harmonics = Array.from({ length: 4 }, () => ({
    a: random.uniform(-amplitude, amplitude),
    m: 1 + random.integer(3),
    n: 1 + random.integer(3),
    phase: random.uniform(0, 2 * Math.PI)
  }));
  return (theta, phi) =>
    1 + harmonics.reduce((sum, h) => sum + h.a * Math.cos(h.m * theta + h.phase) * Math.sin(h.n * phi + h.phase), 0);
}

/**
 * Inserts a tumour-like lesion: an irregular blob (an ellipsoid whose boundary wobbles with a few random angular
 * harmonics) limited to the brain, a bright textured core with a less bright rim, and a little mass effect that pushes
 * neighbouring tissue outwards. Returns the new volume and the exact lesion mask.
 */
export function insertLesion(volume: Volume, spec: LesionSpec, random: Random): { volume: Volume; mask: Uint8Array } {
  const [ni, nj, nk] = volume.geometry.dimensions;
  const source = volume.scalars;
  const brainMean = meanOfNonzero(source);
  const boundary = wobblyBoundary(random, 0.18);
  const output = createScalarArray(scalarTypeNameOf(source), source.length);
  output.set(source);
  const mask = new Uint8Array(source.length);
  const maximum = maxOfType(output);
  const reach = 2.2;
  const [ci, cj, ck] = spec.centre;
  const [ri, rj, rk] = spec.radii;
  for (let k = Math.max(0, Math.floor(ck - rk * reach)); k <= Math.min(nk - 1, Math.ceil(ck + rk * reach)); k += 1) {
    for (let j = Math.max(0, Math.floor(cj - rj * reach)); j <= Math.min(nj - 1, Math.ceil(cj + rj * reach)); j += 1) {
      for (let i = Math.max(0, Math.floor(ci - ri * reach)); i <= Math.min(ni - 1, Math.ceil(ci + ri * reach)); i += 1) {
        const index = (k * nj + j) * ni + i;
        const x = (i - ci) / ri;
        const y = (j - cj) / rj;
        const z = (k - ck) / rk;
        const distance = Math.hypot(x, y, z);
        const edge = boundary(Math.atan2(y, x), Math.acos(Math.max(-1, Math.min(1, z / (distance || 1)))));
        const relative = distance / edge;
        if (relative < 1) {
          if (source[index] === 0) continue;
          mask[index] = 1;
          const core = relative < 0.65;
          const texture = 1 + random.uniform(-0.08, 0.08);
          const value = brainMean * (1 + (core ? spec.contrast : spec.contrast * 0.5)) * texture;
          output[index] = Math.min(maximum, Math.round(value));
        } else if (relative < reach && spec.massEffect > 0) {
          // Tissue just outside is pushed outwards: sample from closer to the centre.
          const push = (spec.massEffect * Math.exp(-((relative - 1) ** 2) / 0.5)) / Math.max(distance, 1e-6);
          const value = sampleNearest(source, ni, nj, nk, i - x * ri * push, j - y * rj * push, k - z * rk * push);
          if (source[index] !== 0) output[index] = value;
        }
      }
    }
  }
  return { volume: { geometry: volume.geometry, scalars: output }, mask };
}

function sampleNearest(data: ArrayLike<number>, ni: number, nj: number, nk: number, i: number, j: number, k: number): number {
  const ii = Math.min(ni - 1, Math.max(0, Math.round(i)));
  const jj = Math.min(nj - 1, Math.max(0, Math.round(j)));
  const kk = Math.min(nk - 1, Math.max(0, Math.round(k)));
  return data[(kk * nj + jj) * ni + ii]!;
}

export function meanOfNonzero(data: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let index = 0; index < data.length; index += 1) {
    if (data[index] !== 0) {
      sum += data[index]!;
      count += 1;
    }
  }
  return count ? sum / count : 0;
}

function maxOfType(array: ArrayLike<number>): number {
  if (array instanceof Uint8Array) return 255;
  if (array instanceof Int16Array) return 32767;
  if (array instanceof Uint16Array) return 65535;
  return Number.MAX_VALUE;
}

/** A lesion centre well inside the brain: a random voxel whose neighbourhood is brain, away from the edges. */
export function chooseLesionCentre(volume: Volume, radii: Vec3, random: Random): Vec3 {
  const [ni, nj, nk] = volume.geometry.dimensions;
  const threshold = meanOfNonzero(volume.scalars) * 0.5;
  const at = (i: number, j: number, k: number) => volume.scalars[(Math.round(k) * nj + Math.round(j)) * ni + Math.round(i)]!;
  for (let attempt = 0; attempt < 2000; attempt += 1) {
    const i = random.uniform(radii[0] * 2, ni - radii[0] * 2);
    const j = random.uniform(radii[1] * 2, nj - radii[1] * 2);
    const k = random.uniform(Math.min(radii[2] * 2, nk / 2), Math.max(nk - radii[2] * 2, nk / 2));
    const probes: Vec3[] = [[0, 0, 0], [radii[0], 0, 0], [-radii[0], 0, 0], [0, radii[1], 0], [0, -radii[1], 0]];
    if (probes.every(([a, b]) => at(i + a * 1.5, j + b * 1.5, k) > threshold)) return [i, j, k];
  }
  return [ni / 2, nj / 2, nk / 2];
}
