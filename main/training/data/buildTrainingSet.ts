import type { ProjectStore, VolumeRecord } from '../../db';
import { createScalarArray } from '../../imaging';
import { hashToUnit } from '../../common';
import { computeSliceFit, fitMask, fitSlice, type SliceFit } from './sliceFitting';
import { normalizeVolume, normalizedBackground } from './normalizeVolume';
import { describeMissingSequences, loadCaseChannels, type ChannelSource } from './caseChannels';

export interface PreparedSlice {
  volumeId: string;
  sliceIndex: number;
  /** Normalised image fitted into the model input, height x width x channels (channels fastest). */
  image: Float32Array;
  /** Fitted mask in {0, 1} for labelled slices. */
  mask: Float32Array | null;
}

export interface SliceDomains {
  /** Domain A: tumour present. */
  present: PreparedSlice[];
  /** Domain B: tumour absent. */
  absent: PreparedSlice[];
  /** Present slices with a drawn mask (a subset of `present`). */
  labelled: PreparedSlice[];
}

export interface TrainingSet {
  inputSize: [number, number];
  train: SliceDomains;
  validation: SliceDomains;
  trainVolumeIds: string[];
  validationVolumeIds: string[];
  snapshot: DataSnapshot;
  /** The sequence names used as channels, in order; empty: one channel, the reference. */
  sequences: string[];
  /** Tagged cases that lack some of `sequences`: training refuses to start while there are any. */
  missingSequences: { volumeId: string; volumeName: string; missing: string[] }[];
}

export interface DataSnapshot {
  volumes: number;
  validationVolumes: number;
  presentSlices: number;
  absentSlices: number;
  labelledSlices: number;
  validationPresentSlices: number;
  validationAbsentSlices: number;
  validationLabelledSlices: number;
}

export interface VolumeSource {
  store: ProjectStore;
  readVoxels(volume: Pick<VolumeRecord, 'cacheFile'>): Promise<Uint8Array>;
}

/** What each volume contributes, before any voxel is read. */
interface VolumePlan {
  volume: VolumeRecord;
  present: number[];
  absent: number[];
  masked: Map<number, Uint8Array>;
  channels: ChannelSource[];
}

/**
 * Derives the training data from the store (docs/architecture.md#training-data): present slices form domain A, absent
 * slices domain B, slices with a drawn tumour the labelled subset. The split into training and validation is by volume
 * and depends only on each volume's id, so it is stable across runs.
 */
export async function planTrainingData(
  store: ProjectStore,
  sequences: readonly string[] = [],
  missingSequences: TrainingSet['missingSequences'] = []
): Promise<VolumePlan[]> {
  const plans: VolumePlan[] = [];
  for (const volume of await store.volumes.list()) {
    const labels = await store.sliceLabels.listForVolume(volume.id);
    const masks = await store.masks.getSlices(volume.id);
    const masked = new Map(
      masks
        .filter((slice) => slice.labels.some((value) => value !== 0))
        .map((slice) => [slice.sliceIndex, slice.labels])
    );
    const present = labels.filter((label) => label.state === 'present').map((label) => label.sliceIndex);
    const absent = labels.filter((label) => label.state === 'absent').map((label) => label.sliceIndex);
    if (present.length + absent.length === 0) continue;
    const { sources, missing } = await loadCaseChannels(store, volume, sequences);
    if (missing.length > 0) missingSequences.push({ volumeId: volume.id, volumeName: volume.name, missing });
    else plans.push({ volume, present, absent, masked, channels: sources });
  }
  return plans;
}

/** Stable split: about a fifth of the volumes by id hash, never leaving training without a labelled volume. */
export function splitVolumes(plans: VolumePlan[]): { train: VolumePlan[]; validation: VolumePlan[] } {
  const ordered = [...plans].sort((a, b) => hashToUnit(a.volume.id) - hashToUnit(b.volume.id));
  const validation = ordered.filter((plan) => hashToUnit(plan.volume.id) < 0.2);
  if (validation.length === 0 && ordered.length >= 3) validation.push(ordered[0]!);
  let train = ordered.filter((plan) => !validation.includes(plan));
  if (!train.some((plan) => plan.masked.size > 0)) {
    const moved = [...validation].reverse().find((plan) => plan.masked.size > 0);
    if (moved) {
      validation.splice(validation.indexOf(moved), 1);
      train = ordered.filter((plan) => !validation.includes(plan));
    }
  }
  return { train, validation };
}

export async function buildTrainingSet(
  source: VolumeSource,
  height: number,
  width: number,
  sequences: readonly string[] = []
): Promise<TrainingSet> {
  const missingSequences: TrainingSet['missingSequences'] = [];
  const { train, validation } = splitVolumes(await planTrainingData(source.store, sequences, missingSequences));
  const trainDomains = await prepareDomains(source, train, height, width);
  const validationDomains = await prepareDomains(source, validation, height, width);
  return {
    inputSize: [height, width],
    train: trainDomains,
    validation: validationDomains,
    trainVolumeIds: train.map((plan) => plan.volume.id),
    validationVolumeIds: validation.map((plan) => plan.volume.id),
    sequences: [...sequences],
    missingSequences,
    snapshot: {
      volumes: train.length + validation.length,
      validationVolumes: validation.length,
      presentSlices: trainDomains.present.length,
      absentSlices: trainDomains.absent.length,
      labelledSlices: trainDomains.labelled.length,
      validationPresentSlices: validationDomains.present.length,
      validationAbsentSlices: validationDomains.absent.length,
      validationLabelledSlices: validationDomains.labelled.length
    }
  };
}

/** Why training cannot start, in the user's words, or null when it can. */
export function describeMissingData(set: TrainingSet): string | null {
  if (set.missingSequences.length > 0)
    return `Training cannot start: it uses ${set.sequences.join(', ')} as its channels, and these tagged cases lack some of them: ${describeMissingSequences(set.missingSequences)}. Add the sequences to those cases, or choose fewer sequences for the project.`;
  const missing: string[] = [];
  if (set.train.present.length === 0) missing.push('no slices are tagged tumour-present');
  if (set.train.absent.length === 0) missing.push('no slices are tagged tumour-absent');
  if (set.train.labelled.length === 0) missing.push('no tumour has been drawn on any slice');
  if (missing.length === 0) return null;
  return `Training cannot start yet: ${missing.join(', ')}. GenSeg needs tumour-present and tumour-absent scans or slices, and a mask on at least one slice.`;
}

async function prepareDomains(
  source: VolumeSource,
  plans: VolumePlan[],
  height: number,
  width: number
): Promise<SliceDomains> {
  const domains: SliceDomains = { present: [], absent: [], labelled: [] };
  for (const plan of plans) {
    const slicer = await createVolumeSlicer(source, plan.volume, height, width, plan.channels);
    for (const sliceIndex of plan.present) {
      const labels = plan.masked.get(sliceIndex);
      const slice: PreparedSlice = {
        volumeId: plan.volume.id,
        sliceIndex,
        image: slicer.image(sliceIndex),
        mask: labels ? fitMask(labels, slicer.fit) : null
      };
      domains.present.push(slice);
      if (slice.mask) domains.labelled.push(slice);
    }
    for (const sliceIndex of plan.absent) {
      domains.absent.push({ volumeId: plan.volume.id, sliceIndex, image: slicer.image(sliceIndex), mask: null });
    }
  }
  return domains;
}

export interface VolumeSlicer {
  fit: SliceFit;
  image(sliceIndex: number): Float32Array;
}

/**
 * Reads and normalises one case and cuts model-sized slices along its acquisition axis. `channels` are the case's
 * sequences in channel order, all on the volume's grid (by default the volume alone); each is normalised on its own,
 * as the paper normalises each MR sequence, and the fitted slices are interleaved channel-fastest (NHWC).
 */
export async function createVolumeSlicer(
  source: Pick<VolumeSource, 'readVoxels'>,
  volume: VolumeRecord,
  height: number,
  width: number,
  channels: ChannelSource[] = [volume]
): Promise<VolumeSlicer> {
  const [columns, rows] = volume.dimensions;
  const [spacingX, spacingY] = inPlaneSpacing(volume.voxelToPatient);
  const fit = computeSliceFit(columns, rows, spacingX, spacingY, height, width);
  const sliceSize = columns * rows;
  const prepared: { normalized: Float32Array; background: number }[] = [];
  for (const channel of channels) {
    const bytes = await source.readVoxels(channel);
    const scalars = createScalarArray(channel.scalarType, bytes.slice().buffer);
    const normalized = normalizeVolume(scalars);
    prepared.push({ normalized, background: normalizedBackground(normalized, scalars) });
  }
  const fitChannel = (channel: { normalized: Float32Array; background: number }, sliceIndex: number) =>
    fitSlice(channel.normalized.subarray(sliceIndex * sliceSize, (sliceIndex + 1) * sliceSize), fit, channel.background);
  return {
    fit,
    image: (sliceIndex) => {
      if (prepared.length === 1) return fitChannel(prepared[0]!, sliceIndex);
      const count = prepared.length;
      const output = new Float32Array(height * width * count);
      prepared.forEach((channel, c) => {
        const plane = fitChannel(channel, sliceIndex);
        for (let pixel = 0; pixel < plane.length; pixel += 1) output[pixel * count + c] = plane[pixel]!;
      });
      return output;
    }
  };
}

/** Millimetres between neighbouring voxels along i (columns) and j (rows): the lengths of the affine's columns. */
export function inPlaneSpacing(voxelToPatient: number[]): [number, number] {
  const column = (c: number) => Math.hypot(voxelToPatient[c]!, voxelToPatient[4 + c]!, voxelToPatient[8 + c]!);
  return [column(0) || 1, column(1) || 1];
}
