import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Random } from '../common';
import { computeSpacing, readNiftiFile, type Vec3 } from '../imaging';
import { sampleBrainsFolder } from './buildDemoCases';
import { chooseLesionCentre } from './insertLesion';
import { buildMultiSequenceCase, syntheticSequences, tissueClassMeans } from './multiSequenceBrain';

/** The 99.5th percentile of a sequence's normal brain voxels (nonzero, outside the lesion). */
function normalCeiling(values: ArrayLike<number>, truth: Uint8Array): number {
  const normal = new Float32Array(values.length);
  let count = 0;
  for (let index = 0; index < values.length; index += 1) if (values[index]! > 0 && !truth[index]) normal[count++] = values[index]!;
  const sorted = normal.subarray(0, count).sort();
  return sorted[Math.floor(0.995 * (count - 1))]!;
}

describe('synthetic multi-sequence brains', () => {
  it.each(['colin27', 'icbm152', 'mni152'])('%s: every sequence alone misses part of the lesion, together they show all of it', async (brain) => {
    const { volume } = await readNiftiFile(join(sampleBrainsFolder, `${brain}.nii.gz`));
    const random = new Random(18);
    const spacing = computeSpacing(volume.geometry.voxelToPatient);
    const radii = [14, 12, 12].map((mm, axis) => mm / spacing[axis]!) as Vec3;
    const built = buildMultiSequenceCase(volume, { centre: chooseLesionCentre(volume, radii, random), radii }, random);
    const lesionVoxels = built.truth.reduce((sum, value) => sum + value, 0);
    expect(lesionVoxels).toBeGreaterThan(200);
    for (const part of [1, 2, 3]) expect(built.parts.filter((value) => value === part).length).toBeGreaterThan(lesionVoxels * 0.05);

    // Tissue classes swapped: CSF is darker than white matter on T1, brighter on T2.
    const [csf, , wm] = tissueClassMeans(volume.scalars);
    const indexNear = (target: number) => volume.scalars.findIndex((value, index) => Math.abs(value - target) < 1 && !built.truth[index]);
    const [csfVoxel, wmVoxel] = [indexNear(csf), indexNear(wm)];
    expect(built.sequences.T1.scalars[csfVoxel]!).toBeLessThan(built.sequences.T1.scalars[wmVoxel]!);
    expect(built.sequences.T2.scalars[csfVoxel]!).toBeGreaterThan(built.sequences.T2.scalars[wmVoxel]!);

    // A lesion voxel "stands out" in a sequence when it is brighter than 99.5 % of that sequence's normal brain.
    const standsOut = new Uint8Array(built.truth.length);
    const fractions: Record<string, number> = {};
    for (const sequence of syntheticSequences) {
      const values = built.sequences[sequence].scalars;
      const ceiling = normalCeiling(values, built.truth);
      let found = 0;
      for (let index = 0; index < values.length; index += 1)
        if (built.truth[index] && values[index]! > ceiling) {
          found += 1;
          standsOut[index] = 1;
        }
      fractions[sequence] = found / lesionVoxels;
    }
    const together = standsOut.reduce((sum, value) => sum + value, 0) / lesionVoxels;
    for (const sequence of syntheticSequences) expect(fractions[sequence]).toBeLessThan(0.8);
    expect(fractions.T1).toBe(0);
    expect(together).toBeGreaterThan(0.97);
  });
});
