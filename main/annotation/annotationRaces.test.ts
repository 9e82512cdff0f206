/**
 * Issue 15, finding 2: calls that run at the same time must not lose each other's work. Each test runs the two calls
 * together through the dispatcher, as two browser windows would, many times with different offsets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAppCore, type TestAppCore } from '../app/testing/testAppCore';

let app: TestAppCore;
let projectId: string;
let volumeId: string;
const columns = 8;
const rows = 6;
const slices = 24;

beforeEach(async () => {
  app = createTestAppCore('genseg-races-');
  projectId = (await app.call('createProject', { name: 'Races' })).id;
  volumeId = await app.addVolume(projectId, { columns, rows, slices, spacing: [1, 1, 2], sourceFiles: ['/scans/x.nii'] });
});

afterEach(async () => {
  await app.close();
});

const stroke = () => new Uint8Array(columns * rows).map((_, index) => (index < 5 ? 1 : 0));
const empty = () => new Uint8Array(columns * rows);

/** Lets `count` turns of the event loop pass, so the two calls of a trial start at different offsets. */
async function turns(count: number): Promise<void> {
  for (let n = 0; n < count; n++) await new Promise((resolve) => setImmediate(resolve));
}

type Tagging = (sliceIndex: number) => Promise<unknown>;

const taggings: Record<string, Tagging> = {
  tagScan: () => app.call('tagScan', { projectId, volumeId, state: 'absent' }),
  setTumourRanges: (sliceIndex) =>
    app.call('setTumourRanges', {
      projectId,
      volumeId,
      ranges: [{ first: (sliceIndex + 1) % slices, last: (sliceIndex + 1) % slices }]
    }),
  setSliceStates: (sliceIndex) =>
    app.call('setSliceStates', { projectId, volumeId, sliceIndices: [sliceIndex], state: 'absent' })
};

/**
 * One paired trial: a stroke on slice k and a tag that would make k absent, at once. Whatever order they land in,
 * a slice with tumour drawn must end up present (the tag is refused, or the stroke's own label wins).
 */
async function pairedTrial(tagging: Tagging, trial: number): Promise<boolean> {
  const sliceIndex = trial % slices;
  // Start from no tumour anywhere: erase the strokes of earlier trials.
  const erase = Array.from({ length: slices }, (_, index) => ({ sliceIndex: index, labels: empty() }));
  await app.call('saveMaskSlices', { projectId, volumeId, slices: erase });
  await app.call('tagScan', { projectId, volumeId, state: 'unknown' });
  const save = (async () => {
    await turns(trial % 3);
    await app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex, labels: stroke() }] });
  })();
  const tag = (async () => {
    await turns(Math.floor(trial / 3) % 3);
    await tagging(sliceIndex).catch((error: { code?: string }) => {
      if (error.code !== 'conflict') throw error;
    });
  })();
  await Promise.all([save, tag]);
  const labels = await app.call('getWeakLabels', { projectId, volumeId });
  return labels.slices[sliceIndex] === 'present';
}

describe('annotation races', () => {
  for (const [name, tagging] of Object.entries(taggings)) {
    it(`${name} never writes a slice absent under a stroke saved at the same time (60 paired trials)`, async () => {
      const trials = 60;
      let wrong = 0;
      for (let trial = 0; trial < trials; trial++) if (!(await pairedTrial(tagging, trial))) wrong++;
      console.info(`${name}: ${trials} paired trials with a stroke, ${wrong} labels wrong`);
      expect(wrong).toBe(0);
    });
  }

  it('refuses a mask save based on an older version of a slice, and keeps the newer stroke', async () => {
    const loaded = await app.call('getVolumeMask', { projectId, volumeId });
    expect(loaded.versions).toEqual([]);
    // Window A saves slice 3; window B, which loaded the mask before, saves the same slice from its older copy.
    const first = await app.call('saveMaskSlices', {
      projectId,
      volumeId,
      slices: [{ sliceIndex: 3, labels: stroke(), baseVersion: 0 }]
    });
    expect(first.versions).toEqual([1]);
    await expect(
      app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 3, labels: empty(), baseVersion: 0 }] })
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/slice 4.*changed/i) });
    const after = await app.call('getMaskSlices', { projectId, volumeId, sliceIndices: [3] });
    expect(after.slices[0]).toMatchObject({ version: 1, labels: stroke() });
    expect((await app.call('getVolumeMask', { projectId, volumeId })).versions).toEqual([1]);
    // A save on top of what it read, and one in the same call on a slice nobody changed, both land.
    const second = await app.call('saveMaskSlices', {
      projectId,
      volumeId,
      slices: [
        { sliceIndex: 3, labels: empty(), baseVersion: 1 },
        { sliceIndex: 5, labels: stroke(), baseVersion: 0 }
      ]
    });
    expect(second.versions).toEqual([2, 1]);
  });

  it('refuses the whole save when one of its slices is stale, so nothing is half written', async () => {
    await app.call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 2, labels: stroke() }] });
    await expect(
      app.call('saveMaskSlices', {
        projectId,
        volumeId,
        slices: [
          { sliceIndex: 1, labels: stroke(), baseVersion: 0 },
          { sliceIndex: 2, labels: empty(), baseVersion: 0 }
        ]
      })
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(
      (await app.call('getMaskSlices', { projectId, volumeId, sliceIndices: [1, 2] })).slices.map((s) => s.sliceIndex)
    ).toEqual([2]);
  });

  it('keeps every project when several are created at once', async () => {
    const names = Array.from({ length: 10 }, (_, index) => `At once ${index}`);
    await Promise.all(names.map((name) => app.call('createProject', { name })));
    const listed = (await app.call('listProjects', {})).map((project) => project.name);
    const missing = names.filter((name) => !listed.includes(name));
    console.info(`projects created at once: ${names.length}, missing from projects.json: ${missing.length}`);
    expect(missing).toEqual([]);
  });
});
