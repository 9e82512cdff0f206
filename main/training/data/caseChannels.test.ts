import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../app';
import { saveMaskSlices, setTumourRanges, tagScan } from '../../annotation';
import { Random } from '../../common';
import { addImportedVolume, groupVolumesIntoCase, setTrainingSequences, type Project } from '../../project';
import type { Volume } from '../../imaging';
import { augmentSlice, paperAugmentation } from './augmentSlice';
import { BatchSampler } from './BatchSampler';
import { buildTrainingSet, describeMissingData, type VolumeSource } from './buildTrainingSet';
import { describeChannelMismatch, resolveCaseChannels } from './caseChannels';

const [columns, rows, slices] = [24, 20, 6];
let folder: string;
let core: AppCore;
let project: Project;
let source: VolumeSource;

/** A small scan whose voxels follow `value(i, j, k)`, on one grid in scanner coordinates. */
function scan(value: (i: number, j: number, k: number) => number): Volume {
  const scalars = new Float32Array(columns * rows * slices);
  for (let k = 0; k < slices; k += 1)
    for (let j = 0; j < rows; j += 1) for (let i = 0; i < columns; i += 1) scalars[i + columns * (j + rows * k)] = value(i, j, k);
  return { geometry: { dimensions: [columns, rows, slices], voxelToPatient: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] }, scalars };
}

async function add(name: string, volume: Volume): Promise<string> {
  return (
    await addImportedVolume(project, { volume, description: { sourceFormat: 'nifti', sourceFiles: [`/scans/${name}.nii.gz`], warnings: [], frameOfReference: 'nifti:1' } }, name)
  ).id;
}

const t1 = (i: number, j: number) => 100 + i + (j % 3);
const t2 = (i: number, j: number) => 400 - 7 * j + (i % 5);

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-channels-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
  project = await core.workspace.getProject((await core.workspace.createProject('Channels')).id);
  source = { store: project.store, readVoxels: (volume) => project.volumeCache.read(volume.cacheFile) };
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('case sequences as channels', () => {
  it('stacks the named sequences in the chosen order, each normalised on its own, and refuses cases that lack one', async () => {
    // Case 1: T1 (reference) and T2; case 2 and 3: T1 and T2, added in the other order; case 4: T1 only.
    const cases: string[] = [];
    for (const [index, order] of [['T1', 'T2'], ['T2', 'T1'], ['T1', 'T2']].entries()) {
      const ids = [];
      for (const name of order) ids.push(await add(`case${index + 1}_${name.toLowerCase()}`, scan(name === 'T1' ? t1 : t2)));
      await groupVolumesIntoCase(project, ids[0]!, [ids[1]!]);
      cases.push(ids[0]!);
    }
    const lonely = await add('case4_t1', scan(t1));
    for (const id of [...cases, lonely]) {
      const volume = (await project.store.volumes.get(id))!;
      if (id === cases[2] || id === lonely) await tagScan(project.store, volume, 'absent');
      else {
        await setTumourRanges(project.store, volume, [{ first: 2, last: 3 }]);
        await saveMaskSlices(project.store, volume, [{ sliceIndex: 2, labels: new Uint8Array(columns * rows).fill(1, 40, 200) }], { provenance: 'user', author: 'test' });
      }
    }

    const single = await buildTrainingSet(source, 16, 16);
    expect(single.train.present[0]!.image.length).toBe(16 * 16);
    const both = await buildTrainingSet(source, 16, 16, ['T1', 'T2']);
    expect(both.missingSequences).toEqual([{ volumeId: lonely, volumeName: 'case4_t1', missing: ['T2'] }]);
    expect(describeMissingData(both)).toBe(
      'Training cannot start: it uses T1, T2 as its channels, and these tagged cases lack some of them: case4_t1 (T2). Add the sequences to those cases, or choose fewer sequences for the project.'
    );
    const t1Only = await buildTrainingSet(source, 16, 16, ['t1']);
    const t2Only = await buildTrainingSet(source, 16, 16, ['T2']);
    const swapped = await buildTrainingSet(source, 16, 16, ['T2', 'T1']);
    expect(t2Only.missingSequences.map((entry) => entry.volumeName)).toEqual(['case4_t1']);
    // Every case's slices, in both orders: channel c of the stack is that sequence alone, whatever order it was added in.
    const all = (set: Awaited<ReturnType<typeof buildTrainingSet>>) => [...set.train.present, ...set.validation.present];
    const find = (set: Awaited<ReturnType<typeof buildTrainingSet>>, volumeId: string, sliceIndex: number) =>
      all(set).find((slice) => slice.volumeId === volumeId && slice.sliceIndex === sliceIndex)!.image;
    for (const volumeId of cases.slice(0, 2)) {
      const stacked = find(both, volumeId, 2);
      const reversed = find(swapped, volumeId, 2);
      const first = find(t1Only, volumeId, 2);
      const second = find(t2Only, volumeId, 2);
      expect(stacked.length).toBe(16 * 16 * 2);
      for (let pixel = 0; pixel < 16 * 16; pixel += 1) {
        expect([stacked[2 * pixel], stacked[2 * pixel + 1]]).toEqual([first[pixel], second[pixel]]);
        expect([reversed[2 * pixel], reversed[2 * pixel + 1]]).toEqual([second[pixel], first[pixel]]);
      }
    }

    // The project's choice is what training reads; the incomplete cases are listed for the user.
    const chosen = await setTrainingSequences(project, ['T1', 'T2']);
    expect(chosen.incomplete).toEqual([{ volumeId: lonely, volumeName: 'case4_t1', missing: ['T2'] }]);
    expect(chosen.available).toEqual([{ name: 'T1', cases: 4 }, { name: 'T2', cases: 3 }]);
  });

  it('moves every channel with the same transform and shifts each on its own; one channel draws as before', () => {
    const height = 12;
    const width = 10;
    const plane = Float32Array.from({ length: height * width }, (_, n) => Math.sin(n) * 0.5);
    const twoChannels = new Float32Array(height * width * 2);
    plane.forEach((value, pixel) => {
      twoChannels[2 * pixel] = value;
      twoChannels[2 * pixel + 1] = value;
    });
    const settings = paperAugmentation(height);
    const one = augmentSlice(plane, null, height, width, settings, new Random(5));
    const two = augmentSlice(twoChannels, null, height, width, settings, new Random(5), 2);
    const differences = new Set<string>();
    for (let pixel = 0; pixel < height * width; pixel += 1) {
      // Channel 0 is the one-channel result exactly: the same transform and the same first shift.
      expect(two.image[2 * pixel]).toBe(one.image[pixel]);
      differences.add((two.image[2 * pixel + 1]! - two.image[2 * pixel]!).toFixed(5));
    }
    // Channel 1 moved identically (one constant difference: its own shift), and that shift differs from channel 0's.
    expect(differences.size).toBe(1);
    expect([...differences][0]).not.toBe('0.00000');
  });

  it('draws batches of channels-wide images with one-channel masks', async () => {
    const set = await buildTrainingSet(source, 16, 16, ['T1', 'T2']);
    const sampler = new BatchSampler(set.train, 16, 16, { batchSize: 2, minimumLabelledPerBatch: 1, augmentation: null, seed: 3, channels: 2 });
    const batch = sampler.nextBatch();
    expect(batch.imagesA.length).toBe(2 * 16 * 16 * 2);
    expect(batch.masksA.length).toBe(2 * 16 * 16);
    expect(batch.imagesB.length).toBe(2 * 16 * 16 * 2);
  });
});

describe('channel order through checkpoints', () => {
  it('accepts the same names in the same order only, and says why otherwise', () => {
    expect(describeChannelMismatch(['T1', 'T2'], ['t1', 't2'])).toBeNull();
    expect(describeChannelMismatch(undefined, [])).toBeNull();
    expect(describeChannelMismatch(['T1', 'T2'], ['T2', 'T1'])).toBe('the model was trained on T1, T2 and the project now uses T2, T1');
    expect(describeChannelMismatch(undefined, ['T1'])).toBe('the model was trained on one channel, the reference scan and the project now uses T1');
  });

  it('finds sequences by name, the reference by its confirmed name or its guess', () => {
    const volume = { id: 'v', name: 'case', seriesDescription: 'AX T1 POST GD', sourceFiles: [], sequenceName: null, cacheFile: 'a', scalarType: 'int16' } as never;
    const flair = { id: 's', name: 'FLAIR', cacheFile: 'b', scalarType: 'float32' } as never;
    expect(resolveCaseChannels(volume, [flair], ['flair', 'T1c'])).toEqual({ sources: [flair, volume], missing: [] });
    expect(resolveCaseChannels(volume, [flair], ['T2', 'FLAIR'])).toEqual({ sources: [flair], missing: ['T2'] });
  });
});
