import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppCore } from '../app';
import { getTrainingSequences, listCaseSequences } from '../project';
import { prepareDemoProject } from './runDemo';
import { transformPoint } from '../imaging';
import type { Vec3, Volume } from '../imaging';
import { Random } from '../common';
import { buildDemoCases, lesionSlices } from './buildDemoCases';
import { downsampleVolume } from './downsampleVolume';
import { insertLesion } from './insertLesion';

function ball(size: number): Volume {
  const scalars = new Int16Array(size ** 3).map((_, index) => {
    const i = index % size;
    const j = Math.floor(index / size) % size;
    const k = Math.floor(index / size ** 2);
    return Math.hypot(i - size / 2, j - size / 2, k - size / 2) < size * 0.4 ? 300 + ((i * 7 + j * 3 + k) % 20) : 0;
  });
  return { geometry: { dimensions: [size, size, size], voxelToPatient: [-1, 0, 0, 10, 0, -1.5, 0, 20, 0, 0, 2, -30, 0, 0, 0, 1] }, scalars };
}

describe('sample brains', () => {
  it('downsamples by blocks and puts each block where its voxels were in patient space', () => {
    const volume = ball(12);
    const small = downsampleVolume(volume, [2, 3, 1]);
    expect(small.geometry.dimensions).toEqual([6, 4, 12]);
    const centre = (i: number, j: number, k: number): Vec3 => {
      const corners = [transformPoint(volume.geometry.voxelToPatient, [i * 2, j * 3, k]), transformPoint(volume.geometry.voxelToPatient, [i * 2 + 1, j * 3 + 2, k])];
      return [0, 1, 2].map((axis) => (corners[0]![axis]! + corners[1]![axis]!) / 2) as Vec3;
    };
    for (const [i, j, k] of [[0, 0, 0], [5, 3, 11], [2, 1, 6]] as Vec3[]) {
      const got = transformPoint(small.geometry.voxelToPatient, [i, j, k]);
      centre(i, j, k).forEach((value, axis) => expect(got[axis]).toBeCloseTo(value, 9));
    }
    expect(small.scalars).toBeInstanceOf(Int16Array);
  });

  it('inserts a lesion inside the brain only, brighter than the tissue, reproducibly', () => {
    const volume = ball(32);
    const spec = { centre: [16, 16, 16] as Vec3, radii: [4, 5, 3] as Vec3, contrast: 0.6, massEffect: 2 };
    const first = insertLesion(volume, spec, new Random(3));
    const again = insertLesion(volume, spec, new Random(3));
    const lesionVoxels = first.mask.reduce((sum, value) => sum + value, 0);
    expect(lesionVoxels).toBeGreaterThan(100);
    expect(Array.from(first.mask)).toEqual(Array.from(again.mask));
    for (let index = 0; index < first.mask.length; index += 1) {
      if (first.mask[index]) {
        expect(volume.scalars[index]).not.toBe(0);
        expect(first.volume.scalars[index]).toBeGreaterThan(340);
      }
      if (volume.scalars[index] === 0) expect(first.volume.scalars[index]).toBe(0);
    }
    expect(lesionSlices(first.mask, [32, 32, 32]).length).toBeGreaterThanOrEqual(5);
  });

  it('builds twelve cases from the four shipped brains, eight with a lesion', async () => {
    const cases = await buildDemoCases();
    expect(cases).toHaveLength(12);
    expect(cases.filter((c) => c.hasLesion)).toHaveLength(8);
    for (const demoCase of cases.filter((c) => c.hasLesion)) {
      expect(lesionSlices(demoCase.truth, demoCase.volume.geometry.dimensions).length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('multi-sequence demo project', () => {
  it('holds every case as T1 (reference), T1c, T2 and FLAIR on one grid, with the chosen channels and no case lacking one', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'genseg-demo-sequences-'));
    const core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
    try {
      const demo = await prepareDemoProject(core, { maskFraction: 0.03, sequences: ['FLAIR', 'T1c'] });
      expect(demo.volumeIds).toHaveLength(12);
      for (const volumeId of demo.volumeIds) {
        const sequences = await listCaseSequences(demo.project, volumeId);
        expect(sequences.map((sequence) => [sequence.name, sequence.placement?.kind ?? 'reference'])).toEqual([
          ['T1', 'reference'],
          ['T1c', 'same-grid'],
          ['T2', 'same-grid'],
          ['FLAIR', 'same-grid']
        ]);
      }
      const chosen = await getTrainingSequences(demo.project);
      expect(chosen.names).toEqual(['FLAIR', 'T1c']);
      expect(chosen.incomplete).toEqual([]);
      expect(demo.drawn.length).toBeGreaterThanOrEqual(2);
    } finally {
      await core.close();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 300_000);
});
