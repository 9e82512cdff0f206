/**
 * Loss terms of GenSeg and the baselines (docs/genseg.md#losses-and-optimisation). Every image loss is a mean absolute
 * error averaged per sample then over the batch, which for equal-sized samples is the mean over everything.
 */
import { tf, type Scalar, type Tensor, type Tensor4D } from '../tf';

export function computeMeanAbsoluteError(prediction: Tensor, target: Tensor): Scalar {
  return tf.mean(tf.abs(tf.sub(prediction, target)));
}

/** Hinge loss of one discriminator: relu(1 − D(real)) + relu(1 + D(fake)), each averaged over pixels, then scales. */
export function computeHingeDiscriminatorLoss(real: Tensor4D[], fake: Tensor4D[]): Scalar {
  const realTerm = averageOverScales(real.map((out) => tf.mean(tf.relu(tf.sub(1, out)))));
  const fakeTerm = averageOverScales(fake.map((out) => tf.mean(tf.relu(tf.add(1, out)))));
  return tf.add(realTerm, fakeTerm);
}

/** The generator's hinge term −D(fake), averaged over pixels, then scales. */
export function computeHingeGeneratorLoss(fake: Tensor4D[]): Scalar {
  return averageOverScales(fake.map((out) => tf.neg(tf.mean(out)) as Scalar));
}

/**
 * Data-parallel replicas each hold part of the batch, and the Dice pools its sums over the whole batch, so it does not
 * split into per-replica losses. `sum` adds the replicas' [Σpt, Σt, Σp]; `share` is this replica's weight when the
 * replicas' gradients are summed (see parallel/replicaExchange.ts).
 */
export interface DiceSumPool {
  sum(local: number[]): number[];
  share: number;
}

/**
 * Soft Dice loss pooled over every pixel of the given (labelled) samples: −(2Σpt + 1) / (Σt + Σp + 1), as fcn_maker's
 * dice_loss with smooth = 1. `sampleWeights` (1 = labelled, 0 = not) selects the samples; weights are 0/1, so
 * multiplying both factors of the intersection by them is the same as gathering the labelled samples.
 *
 * With a `pool`, this replica's part of the whole batch's loss: its value is the whole batch's Dice loss, and its
 * gradient, once scaled by `share` and summed over the replicas, is the whole batch's gradient: with N = 2I + 1 and
 * D = T + P + 1 from the pooled sums, ∂L/∂I = −2/D and ∂L/∂P = N/D² (T has no gradient), applied to this replica's
 * own I and P.
 */
export function computeSoftDiceLoss(probabilities: Tensor, targets: Tensor, sampleWeights?: Tensor, pool?: DiceSumPool): Scalar {
  const weighted = sampleWeights ? tf.mul(probabilities, sampleWeights) : probabilities;
  const weightedTargets = sampleWeights ? tf.mul(targets, sampleWeights) : targets;
  const intersection = tf.sum(tf.mul(weighted, weightedTargets));
  const targetSum = tf.sum(weightedTargets);
  const predictionSum = tf.sum(weighted);
  if (pool) {
    const local = [intersection, targetSum, predictionSum].map((sum) => sum.dataSync()[0]!);
    const [i, t, p] = pool.sum(local) as [number, number, number];
    const numerator = 2 * i + 1;
    const denominator = t + p + 1;
    const byIntersection = -2 / denominator / pool.share;
    const byPrediction = numerator / (denominator * denominator) / pool.share;
    // The constant makes the value the pooled loss; the two products carry the gradient and are zero in value.
    const constant = -numerator / denominator - byIntersection * local[0]! - byPrediction * local[2]!;
    return tf.add(tf.add(tf.mul(intersection, byIntersection), tf.mul(predictionSum, byPrediction)), constant) as Scalar;
  }
  const numerator = tf.add(tf.mul(intersection, 2), 1);
  const denominator = tf.add(tf.add(targetSum, predictionSum), 1);
  return tf.neg(tf.div(numerator, denominator)) as Scalar;
}

function averageOverScales(terms: Scalar[]): Scalar {
  return tf.div(tf.addN(terms), terms.length);
}
