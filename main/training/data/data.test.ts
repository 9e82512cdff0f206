import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppCore } from '../../app';
import { saveMaskSlices, setTumourRanges, tagScan } from '../../annotation';
import { addImportedVolume } from '../../project';
import { augmentSlice, paperAugmentation } from './augmentSlice';
import { BatchSampler } from './BatchSampler';
import { buildTrainingSet, describeMissingData } from './buildTrainingSet';
import { normalizeVolume } from './normalizeVolume';
import { Random } from '../../common';
import { computeSliceFit, fitMask, fitSlice, unfitSlice } from './sliceFitting';

function disc(columns: number, rows: number, cx: number, cy: number, r: number): Uint8Array {
  return Uint8Array.from({ length: columns * rows }, (_, i) =>
    Math.hypot((i % columns) - cx, Math.floor(i / columns) - cy) < r ? 1 : 0
  );
}

function dice(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let both = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    both += a[i]! > 0.5 && b[i]! > 0.5 ? 1 : 0;
    sum += (a[i]! > 0.5 ? 1 : 0) + (b[i]! > 0.5 ? 1 : 0);
  }
  return (2 * both) / sum;
}

describe('slice fitting', () => {
  it('keeps the physical aspect and centres the slice', () => {
    const fit = computeSliceFit(100, 50, 1, 1, 64, 64);
    const image = fitSlice(new Float32Array(100 * 50).fill(1), fit, -1);
    expect(image[32 * 64 + 32]).toBe(1);
    expect(image[2 * 64 + 32]).toBe(-1);
    expect(image[(64 - 3) * 64 + 32]).toBe(-1);
    expect(image[32 * 64 + 1]).toBe(1);
    // Anisotropic voxels: 50 columns of 2 mm are as wide as 100 rows of 1 mm.
    const square = computeSliceFit(50, 100, 2, 1, 64, 64);
    expect(square.stepX * 2).toBeCloseTo(square.stepY * 1);
  });

  it('takes a fitted mask back to the source grid where it overlays the original', () => {
    const source = disc(120, 90, 70, 40, 15);
    const fit = computeSliceFit(120, 90, 0.9, 1.2, 48, 48);
    const back = unfitSlice(fitMask(source, fit), fit);
    expect(dice(back, source)).toBeGreaterThan(0.9);
  });
});

describe('normalisation', () => {
  it('gives nonzero voxels mean 0 and standard deviation 0.2, clipped to [-1, 1]', () => {
    const scalars = Int16Array.from({ length: 10_000 }, (_, i) => (i < 1000 ? 0 : 100 + (i % 50)));
    const normalized = normalizeVolume(scalars);
    const values = Array.from(normalized.subarray(1000));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    expect(mean).toBeCloseTo(0, 5);
    expect(std).toBeCloseTo(0.2, 3);
    expect(Math.min(...normalized)).toBeGreaterThanOrEqual(-1);
  });
});

describe('augmentation', () => {
  it('moves the mask exactly with the image and is reproducible from its seed', () => {
    const mask = Float32Array.from(disc(32, 32, 12, 18, 6));
    const settings = paperAugmentation(32);
    const first = augmentSlice(mask, mask, 32, 32, { ...settings, intensityShift: 0 }, new Random(7));
    const again = augmentSlice(mask, mask, 32, 32, { ...settings, intensityShift: 0 }, new Random(7));
    expect(Array.from(first.image)).toEqual(Array.from(first.mask!));
    expect(Array.from(first.image)).toEqual(Array.from(again.image));
    expect(Array.from(first.image)).not.toEqual(Array.from(mask));
  });

  // A checkpoint's sampler state replays the same batches only if a seed keeps drawing the same transforms: these
  // fingerprints were taken from the first implementation (session 10 made it faster without changing a value).
  it('draws exactly the transforms its seeds always drew', () => {
    const fingerprint = (values: Float32Array) =>
      createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex').slice(0, 12);
    const cases = [
      { height: 96, width: 96, channels: 1, seed: 1, settings: paperAugmentation(96) },
      { height: 40, width: 56, channels: 1, seed: 2, settings: paperAugmentation(40) },
      { height: 33, width: 17, channels: 2, seed: 3, settings: { ...paperAugmentation(33), warpGrid: 5 } },
      { height: 24, width: 24, channels: 1, seed: 4, settings: { ...paperAugmentation(24), warpSigma: 0 } },
      { height: 1, width: 9, channels: 1, seed: 5, settings: paperAugmentation(1) }
    ];
    const seen = cases.map(({ height, width, channels, seed, settings }) => {
      const random = new Random(seed);
      const image = Float32Array.from({ length: height * width * channels }, () => random.uniform(-1, 1));
      const mask = Float32Array.from({ length: height * width }, () => (random.next() < 0.3 ? 1 : 0));
      const draws = [0, 1, 2].map(() => augmentSlice(image, mask, height, width, settings, random, channels));
      return draws.map(({ image: out, mask: moved }) => `${fingerprint(out)}/${fingerprint(moved!)}`).join(' ');
    });
    expect(seen).toEqual([
      'c1d7c82091c7/9cab6279302e ffefbb089dad/3d648d810e2d 08efdd14590f/2beb6e98bf03',
      '21c4ed031bb1/83e3e8e6904e c72c16607283/7d35293b4e9b 68e5c668af71/a5c032c1d2f8',
      'b075637ae51a/1f164a47e3de b7ff92956d3f/85e68a81a8d4 2bc794516762/27b2f9951e68',
      '0c7507febd96/25d567b7fa82 843d9c5faec9/374f0f836b9b 4ea3543e6392/f2bf8c5edf57',
      'a0595da6d58f/688db27d5e8f 96d189334095/069fbca2d087 648a3357b040/688db27d5e8f'
    ]);
  });
});

function makeDomains() {
  const slice = (id: string, index: number, labelled: boolean) => ({
    volumeId: id,
    sliceIndex: index,
    image: new Float32Array(16).fill(index),
    mask: labelled ? new Float32Array(16).fill(1) : null
  });
  const present = Array.from({ length: 40 }, (_, i) => slice('a', i, i === 3));
  return {
    present,
    absent: Array.from({ length: 30 }, (_, i) => slice('b', 100 + i, false)),
    labelled: present.filter((s) => s.mask)
  };
}

describe('batch sampler', () => {
  it('puts the requested number of labelled slices in every batch', () => {
    const sampler = new BatchSampler(makeDomains(), 4, 4, {
      batchSize: 8,
      minimumLabelledPerBatch: 1,
      augmentation: null,
      seed: 1
    });
    for (let step = 0; step < 20; step += 1) {
      const batch = sampler.nextBatch();
      expect(batch.labelled.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(batch.imagesA.length).toBe(8 * 16);
      expect(batch.imagesB.length).toBe(8 * 16);
    }
    expect(sampler.stepsPerEpoch).toBe(5);
  });

  it('samples uniformly when no minimum is asked (the paper recipe): most batches lack a label', () => {
    const sampler = new BatchSampler(makeDomains(), 4, 4, {
      batchSize: 8,
      minimumLabelledPerBatch: 0,
      augmentation: null,
      seed: 1
    });
    const withLabel = Array.from({ length: 50 }, () => sampler.nextBatch().labelled.some(Boolean)).filter(
      Boolean
    ).length;
    expect(withLabel).toBeLessThan(20);
  });

  it('draws batches of labelled slices only, without absence images, for segmentation steps', () => {
    const sampler = new BatchSampler(makeDomains(), 4, 4, {
      batchSize: 8,
      minimumLabelledPerBatch: 4,
      augmentation: null,
      seed: 2
    });
    const batch = sampler.nextLabelledBatch();
    expect(batch.labelled).toEqual(Array(8).fill(true));
    expect(batch.imagesB.length).toBe(0);
    expect(Array.from(batch.masksA).every((value) => value === 1)).toBe(true);
    expect(sampler.nextBatch().labelled.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    const empty = { ...makeDomains(), labelled: [] };
    expect(() =>
      new BatchSampler(empty, 4, 4, {
        batchSize: 8,
        minimumLabelledPerBatch: 0,
        augmentation: null,
        seed: 2
      }).nextLabelledBatch()
    ).toThrow(/no labelled slice/);
  });

  it('adds absent slices with empty masks to a segmentation batch when asked', () => {
    const domains = makeDomains();
    const sampler = new BatchSampler(domains, 4, 4, {
      batchSize: 8,
      minimumLabelledPerBatch: 0,
      augmentation: null,
      seed: 5
    });
    const batch = sampler.nextLabelledBatch(4);
    expect(batch.labelled).toEqual(Array(12).fill(true));
    expect(batch.imagesB.length).toBe(0);
    // The first 8 are the labelled slice (image value 3, mask 1); the last 4 are absent slices (values ≥ 100, mask 0).
    expect(Array.from(batch.masksA.subarray(0, 8 * 16)).every((value) => value === 1)).toBe(true);
    expect(Array.from(batch.masksA.subarray(8 * 16)).every((value) => value === 0)).toBe(true);
    expect(Array.from(batch.imagesA.subarray(8 * 16)).every((value) => value >= 100)).toBe(true);
    // The store's slices are not touched: absent slices keep no mask.
    expect(domains.absent.every((slice) => slice.mask === null)).toBe(true);
    // Without absent slices in the project, the batch is labelled slices only.
    const noAbsent = new BatchSampler({ ...makeDomains(), absent: [] }, 4, 4, {
      batchSize: 8,
      minimumLabelledPerBatch: 0,
      augmentation: null,
      seed: 5
    });
    expect(noAbsent.nextLabelledBatch(4).labelled.length).toBe(8);
  });

  it('continues identically after its state is saved and restored', () => {
    const options = { batchSize: 8, minimumLabelledPerBatch: 1, augmentation: paperAugmentation(4), seed: 3 };
    const original = new BatchSampler(makeDomains(), 4, 4, options);
    for (let step = 0; step < 7; step += 1) original.nextBatch();
    const restored = new BatchSampler(makeDomains(), 4, 4, { ...options, seed: 99 });
    restored.setState(original.getState());
    for (let step = 0; step < 5; step += 1) {
      expect(Array.from(restored.nextBatch().imagesA)).toEqual(Array.from(original.nextBatch().imagesA));
    }
  });
});

describe('training set from the store', () => {
  it('takes present, absent and masked slices, splits by volume stably, and says what is missing', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'genseg-data-'));
    const core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
    try {
      const summary = await core.workspace.createProject('Data');
      const project = await core.workspace.getProject(summary.id);
      const dims: [number, number, number] = [20, 16, 12];
      const ids: string[] = [];
      for (let v = 0; v < 6; v += 1) {
        const scalars = Uint16Array.from({ length: 20 * 16 * 12 }, (_, i) => (i * (v + 1)) % 300);
        const volume = {
          geometry: { dimensions: dims, voxelToPatient: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1] },
          scalars
        };
        ids.push(
          (
            await addImportedVolume(
              project,
              { volume, description: { sourceFormat: 'nifti', sourceFiles: [], warnings: [] } },
              `v${v}`
            )
          ).id
        );
      }
      const source = {
        store: project.store,
        readVoxels: (volume: { cacheFile: string }) => project.volumeCache.read(volume.cacheFile)
      };
      expect(describeMissingData(await buildTrainingSet(source, 16, 16))).toMatch(
        /no slices are tagged tumour-present.*absent.*no tumour has been drawn/
      );
      const volumes = await project.store.volumes.list();
      for (const [index, volume] of volumes.entries()) {
        if (index % 2 === 0) await tagScan(project.store, volume, 'absent');
        else await setTumourRanges(project.store, volume, [{ first: 4, last: 7 }]);
      }
      for (const volume of volumes.filter((_, index) => index % 2 === 1)) {
        await saveMaskSlices(project.store, volume, [{ sliceIndex: 5, labels: disc(20, 16, 10, 8, 4) }], {
          provenance: 'user',
          author: 't'
        });
      }
      const set = await buildTrainingSet(source, 16, 16);
      expect(describeMissingData(set)).toBeNull();
      expect(set.trainVolumeIds.length + set.validationVolumeIds.length).toBe(6);
      expect(set.validationVolumeIds.length).toBeGreaterThanOrEqual(1);
      expect(set.trainVolumeIds.some((id) => set.validationVolumeIds.includes(id))).toBe(false);
      const total = set.snapshot.presentSlices + set.snapshot.validationPresentSlices;
      expect(total).toBe(3 * 4);
      expect(set.snapshot.absentSlices + set.snapshot.validationAbsentSlices).toBe(3 * 12 + 3 * 8);
      expect(set.snapshot.labelledSlices).toBeGreaterThanOrEqual(1);
      for (const slice of [...set.train.present, ...set.validation.present]) expect(ids).toContain(slice.volumeId);
      const again = await buildTrainingSet(source, 16, 16);
      expect(again.validationVolumeIds).toEqual(set.validationVolumeIds);
    } finally {
      await core.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
