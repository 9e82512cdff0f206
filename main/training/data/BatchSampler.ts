import type { TrainingBatch } from '../trainingTypes';
import { augmentSlice, type AugmentationSettings } from './augmentSlice';
import type { PreparedSlice, SliceDomains } from './buildTrainingSet';
import { Random, type RandomState } from '../../common';

export interface BatchSamplerOptions {
  batchSize: number;
  /** At least this many labelled slices in every batch (0 = the paper's uniform sampling). */
  minimumLabelledPerBatch: number;
  augmentation: AugmentationSettings | null;
  seed: number;
  /** Image channels (the case's sequences); 1 by default. Masks always have one. */
  channels?: number;
}

export interface BatchSamplerState {
  random: RandomState | number;
  epoch: number;
  cursor: number;
  order: number[];
}

/**
 * Draws GenSeg batches: `batchSize` present slices (an epoch is one pass over them, reshuffled each epoch, as the
 * authors' sampler does) with at least `minimumLabelledPerBatch` labelled ones, and as many absent slices drawn afresh.
 * Deterministic from its seed; its state can be saved in a checkpoint and restored.
 */
export class BatchSampler {
  private readonly random: Random;
  private epoch = 0;
  private cursor = 0;
  private order: number[] = [];

  constructor(
    private readonly domains: SliceDomains,
    private readonly height: number,
    private readonly width: number,
    private readonly options: BatchSamplerOptions
  ) {
    if (domains.present.length === 0) throw new Error('BatchSampler needs at least one present slice');
    this.random = new Random(options.seed);
    this.startEpoch();
  }

  get batchSize(): number {
    return this.options.batchSize;
  }

  get stepsPerEpoch(): number {
    return Math.max(1, Math.ceil(this.domains.present.length / this.options.batchSize));
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  nextBatch(): TrainingBatch {
    const { batchSize } = this.options;
    const chosen: PreparedSlice[] = [];
    const wanted = Math.min(
      this.options.minimumLabelledPerBatch,
      batchSize,
      this.domains.labelled.length > 0 ? batchSize : 0
    );
    for (let index = 0; index < wanted; index += 1)
      chosen.push(this.domains.labelled[this.random.integer(this.domains.labelled.length)]!);
    while (chosen.length < batchSize) {
      if (this.cursor >= this.order.length) this.startEpoch();
      chosen.push(this.domains.present[this.order[this.cursor++]!]!);
    }
    const absent =
      this.domains.absent.length > 0
        ? Array.from({ length: batchSize }, () => this.domains.absent[this.random.integer(this.domains.absent.length)]!)
        : [];
    return this.assemble(chosen, absent);
  }

  /**
   * A batch of `batchSize` labelled slices, without absence images: for segmentation steps and segmentation-only.
   * `absentCount` slices tagged absent follow them as labelled samples with an empty mask (an absence tag is a mask:
   * nothing to segment); none when the project has no absent slice.
   */
  nextLabelledBatch(absentCount = 0): TrainingBatch {
    const { labelled, absent } = this.domains;
    if (labelled.length === 0) throw new Error('BatchSampler has no labelled slice to draw');
    const chosen = Array.from(
      { length: this.options.batchSize },
      () => labelled[this.random.integer(labelled.length)]!
    );
    if (absent.length > 0 && absentCount > 0) {
      // One empty mask serves them all: masks are only read (augmentation writes new arrays).
      const empty = new Float32Array(this.height * this.width);
      for (let index = 0; index < absentCount; index += 1)
        chosen.push({ ...absent[this.random.integer(absent.length)]!, mask: empty });
    }
    return this.assemble(chosen, []);
  }

  getState(): BatchSamplerState {
    return { random: this.random.getState(), epoch: this.epoch, cursor: this.cursor, order: [...this.order] };
  }

  setState(state: BatchSamplerState): void {
    this.random.setState(state.random);
    this.epoch = state.epoch;
    this.cursor = state.cursor;
    this.order = [...state.order];
  }

  private startEpoch(): void {
    if (this.order.length > 0) this.epoch += 1;
    this.order = this.random.shuffle(Array.from({ length: this.domains.present.length }, (_, index) => index));
    this.cursor = 0;
  }

  private assemble(present: PreparedSlice[], absent: PreparedSlice[]): TrainingBatch {
    const size = this.height * this.width;
    const imageSize = size * (this.options.channels ?? 1);
    const imagesA = new Float32Array(present.length * imageSize);
    const masksA = new Float32Array(present.length * size);
    const imagesB = new Float32Array(absent.length * imageSize);
    const labelled: boolean[] = [];
    present.forEach((slice, index) => {
      const augmented = this.augment(slice.image, slice.mask);
      imagesA.set(augmented.image, index * imageSize);
      if (augmented.mask) masksA.set(augmented.mask, index * size);
      labelled.push(slice.mask !== null);
    });
    absent.forEach((slice, index) => imagesB.set(this.augment(slice.image, null).image, index * imageSize));
    return { imagesA, imagesB, masksA, labelled };
  }

  private augment(image: Float32Array, mask: Float32Array | null): { image: Float32Array; mask: Float32Array | null } {
    if (!this.options.augmentation) return { image, mask };
    return augmentSlice(image, mask, this.height, this.width, this.options.augmentation, this.random, this.options.channels ?? 1);
  }
}
