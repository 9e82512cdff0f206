import type { PreparedSlice, SliceDomains } from '../data';
import type { Trainer } from '../trainingTypes';
import type { ModelEvaluation } from './jobTypes';

/** Lets the process's event loop run (a stop message, an IPC disconnect) between two pieces of synchronous work. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Asked between batches: true ends the work early (the user pressed Stop). */
export type ShouldStop = () => boolean;

/**
 * Predicts slices in small batches so memory stays bounded whatever the number of slices: `batchSize` slices per model
 * copy, so data-parallel replicas each get that many at once. Between batches it yields to the event loop and, when
 * `shouldStop` says so, returns what it has (fewer outputs than images).
 */
export async function predictSlices(
  trainer: Trainer,
  images: Float32Array[],
  batchSize = 8,
  shouldStop: ShouldStop = () => false
): Promise<Float32Array[]> {
  const [height, width, channels] = trainer.inputShape;
  const size = height * width * channels;
  const perCall = batchSize * (trainer.parallelism ?? 1);
  const outputs: Float32Array[] = [];
  for (let start = 0; start < images.length; start += perCall) {
    await yieldToEventLoop();
    if (shouldStop()) break;
    const chunk = images.slice(start, start + perCall);
    const batch = new Float32Array(chunk.length * size);
    chunk.forEach((image, index) => batch.set(image, index * size));
    const probabilities = await trainer.predict(batch);
    for (let index = 0; index < chunk.length; index += 1) {
      outputs.push(probabilities.slice(index * height * width, (index + 1) * height * width));
    }
  }
  return outputs;
}

/** At most this many held-out present and absent slices each are scored for AUROC once the user has pressed Stop. */
export const stoppedEvaluationSlices = 64;

/** Every `step`-th item, so that a shortened evaluation still spans the held-out volumes. */
function spread<T>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, index) => items[Math.floor(index * step)]!);
}

/**
 * The two heads of every model version's evaluation: Dice on the held-out masked slices, and the AUROC of the
 * predicted tumour area as a present-versus-absent score on the held-out tagged slices. After a Stop the user waits
 * for it, so it reuses a Dice already measured on the same slices (`knownDice`) and scores AUROC on a spread sample
 * of at most `stoppedEvaluationSlices` per domain; the counts it returns say how many slices it scored.
 */
export async function evaluateModel(
  trainer: Trainer,
  validation: SliceDomains,
  options: { stopped?: boolean; knownDice?: number | null } = {}
): Promise<ModelEvaluation> {
  const limit = options.stopped ? stoppedEvaluationSlices : Infinity;
  const heldOut = { labelled: validation.labelled, present: spread(validation.present, limit), absent: spread(validation.absent, limit) };
  const dice =
    heldOut.labelled.length === 0 ? null : options.stopped && options.knownDice != null ? options.knownDice : await computeDice(trainer, heldOut);
  let auroc: number | null = null;
  if (heldOut.present.length > 0 && heldOut.absent.length > 0) {
    const area = (map: Float32Array) => map.reduce((count, value) => count + (value > 0.5 ? 1 : 0), 0);
    const presentScores = (
      await predictSlices(
        trainer,
        heldOut.present.map((slice) => slice.image)
      )
    ).map(area);
    const absentScores = (
      await predictSlices(
        trainer,
        heldOut.absent.map((slice) => slice.image)
      )
    ).map(area);
    auroc = computeAuroc(presentScores, absentScores);
  }
  return {
    dice,
    auroc,
    heldOutLabelledSlices: heldOut.labelled.length,
    heldOutPresentSlices: heldOut.present.length,
    heldOutAbsentSlices: heldOut.absent.length
  };
}

/** At most this many held-out slices tagged absent take part in choosing the best weights (a spread sample). */
export const selectionAbsentSlices = 32;

/**
 * The held-out slices that choose which weights a model version keeps: the masked slices, and a spread sample of the
 * slices tagged absent, whose truth is an empty mask. Weights make the sample stand for the held-out scans: each masked
 * slice for `present / labelled` tumour slices, each sampled absent slice for `absent / sample` absent slices.
 */
export interface SelectionSlices {
  labelled: PreparedSlice[];
  absent: PreparedSlice[];
  labelledWeight: number;
  absentWeight: number;
}

export function selectionSlicesOf(validation: SliceDomains): SelectionSlices | null {
  if (validation.labelled.length === 0) return null;
  const absent = spread(validation.absent, selectionAbsentSlices);
  return {
    labelled: validation.labelled,
    absent,
    labelledWeight: Math.max(1, validation.present.length / validation.labelled.length),
    absentWeight: absent.length === 0 ? 0 : validation.absent.length / absent.length
  };
}

export interface SelectionResult {
  /** Global Dice over the held-out masked slices (what the model version reports). */
  dice: number;
  /**
   * What the best weights are chosen on: the pooled Dice of the held-out scans as their proposals would score,
   * estimated from the masked slices and the false pixels on the sampled absent slices. A model that paints every
   * slice scores near 0 here even when its Dice on one masked slice is not 0 (docs/decisions.md, 61).
   */
  score: number;
}

/**
 * Below this selection score the weights have not found the held-out tumour (a model that paints every pixel still
 * overlaps it a little); such scores count as 0, and among weights at 0 the newest, longest trained, are kept.
 */
export const selectionScoreFloor = 0.01;

/** Whether weights scoring `score` replace the best so far (`best`: null before the first validation). */
export function beatsSelection(score: number, best: number | null | undefined): boolean {
  const counted = score < selectionScoreFloor ? 0 : score;
  if (best == null) return true;
  const bestCounted = best < selectionScoreFloor ? 0 : best;
  return counted > bestCounted || (counted === 0 && bestCounted === 0);
}

/** Scores weights for selection; null when `shouldStop` cut the prediction short. */
export async function scoreSelection(
  trainer: Trainer,
  slices: SelectionSlices,
  shouldStop: ShouldStop = () => false
): Promise<SelectionResult | null> {
  const images = [...slices.labelled, ...slices.absent].map((slice) => slice.image);
  const predictions = await predictSlices(trainer, images, 8, shouldStop);
  if (predictions.length < images.length) return null;
  return scorePredictions(predictions, slices);
}

/** The selection result of probabilities predicted for `slices.labelled`, then `slices.absent`, in that order. */
export function scorePredictions(predictions: Float32Array[], slices: SelectionSlices): SelectionResult {
  let overlap = 0;
  let total = 0;
  let falsePixels = 0;
  predictions.forEach((prediction, index) => {
    const mask = slices.labelled[index]?.mask;
    for (let pixel = 0; pixel < prediction.length; pixel += 1) {
      const predicted = prediction[pixel]! > 0.5 ? 1 : 0;
      if (!mask) {
        falsePixels += predicted;
        continue;
      }
      overlap += predicted * mask[pixel]!;
      total += predicted + mask[pixel]!;
    }
  });
  const dice = total === 0 ? 1 : (2 * overlap) / total;
  const weightedTotal = slices.labelledWeight * total + slices.absentWeight * falsePixels;
  return { dice, score: weightedTotal === 0 ? 1 : (2 * slices.labelledWeight * overlap) / weightedTotal };
}

/** Global Dice over the labelled slices; null when `shouldStop` cut the prediction short. */
export async function computeDice(
  trainer: Trainer,
  domains: Pick<SliceDomains, 'labelled'>,
  shouldStop: ShouldStop = () => false
): Promise<number | null> {
  const predictions = await predictSlices(
    trainer,
    domains.labelled.map((slice) => slice.image),
    8,
    shouldStop
  );
  if (predictions.length < domains.labelled.length) return null;
  return scorePredictions(predictions, { labelled: domains.labelled, absent: [], labelledWeight: 1, absentWeight: 0 }).dice;
}

/** Probability that a random positive scores above a random negative (ties count half): the Mann–Whitney form. */
export function computeAuroc(positives: number[], negatives: number[]): number {
  const all = [
    ...positives.map((score) => ({ score, positive: true })),
    ...negatives.map((score) => ({ score, positive: false }))
  ];
  all.sort((a, b) => a.score - b.score);
  let rankSumPositive = 0;
  for (let start = 0; start < all.length;) {
    let end = start;
    while (end + 1 < all.length && all[end + 1]!.score === all[start]!.score) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index += 1) if (all[index]!.positive) rankSumPositive += averageRank;
    start = end + 1;
  }
  const p = positives.length;
  const n = negatives.length;
  return (rankSumPositive - (p * (p + 1)) / 2) / (p * n);
}
