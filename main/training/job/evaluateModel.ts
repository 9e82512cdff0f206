import type { SliceDomains } from '../data';
import type { Trainer } from '../trainingTypes';
import type { ModelEvaluation } from './jobTypes';

/** Predicts slices in small batches so memory stays bounded whatever the number of slices. */
export async function predictSlices(trainer: Trainer, images: Float32Array[], batchSize = 8): Promise<Float32Array[]> {
  const [height, width, channels] = trainer.inputShape;
  const size = height * width * channels;
  const outputs: Float32Array[] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const chunk = images.slice(start, start + batchSize);
    const batch = new Float32Array(chunk.length * size);
    chunk.forEach((image, index) => batch.set(image, index * size));
    const probabilities = await trainer.predict(batch);
    for (let index = 0; index < chunk.length; index += 1) {
      outputs.push(probabilities.slice(index * height * width, (index + 1) * height * width));
    }
  }
  return outputs;
}

/**
 * The two heads of every model version's evaluation: Dice on the held-out masked slices, and the AUROC of the
 * predicted tumour area as a present-versus-absent score on the held-out tagged slices.
 */
export async function evaluateModel(trainer: Trainer, heldOut: SliceDomains): Promise<ModelEvaluation> {
  const dice = heldOut.labelled.length > 0 ? await computeDice(trainer, heldOut) : null;
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

export async function computeDice(trainer: Trainer, domains: Pick<SliceDomains, 'labelled'>): Promise<number> {
  const predictions = await predictSlices(
    trainer,
    domains.labelled.map((slice) => slice.image)
  );
  let overlap = 0;
  let total = 0;
  predictions.forEach((prediction, index) => {
    const mask = domains.labelled[index]!.mask!;
    for (let pixel = 0; pixel < prediction.length; pixel += 1) {
      const predicted = prediction[pixel]! > 0.5 ? 1 : 0;
      overlap += predicted * mask[pixel]!;
      total += predicted + mask[pixel]!;
    }
  });
  return total === 0 ? 1 : (2 * overlap) / total;
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
