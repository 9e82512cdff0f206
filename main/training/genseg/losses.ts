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
 * Soft Dice loss pooled over every pixel of the given (labelled) samples: −(2Σpt + 1) / (Σt + Σp + 1), as fcn_maker's
 * dice_loss with smooth = 1. `sampleWeights` (1 = labelled, 0 = not) selects the samples; weights are 0/1, so
 * multiplying both factors of the intersection by them is the same as gathering the labelled samples.
 */
export function computeSoftDiceLoss(probabilities: Tensor, targets: Tensor, sampleWeights?: Tensor): Scalar {
  const weighted = sampleWeights ? tf.mul(probabilities, sampleWeights) : probabilities;
  const weightedTargets = sampleWeights ? tf.mul(targets, sampleWeights) : targets;
  const intersection = tf.sum(tf.mul(weighted, weightedTargets));
  const numerator = tf.add(tf.mul(intersection, 2), 1);
  const denominator = tf.add(tf.add(tf.sum(weightedTargets), tf.sum(weighted)), 1);
  return tf.neg(tf.div(numerator, denominator)) as Scalar;
}

function averageOverScales(terms: Scalar[]): Scalar {
  return tf.div(tf.addN(terms), terms.length);
}
