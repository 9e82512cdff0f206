/**
 * What a trainer needs to be one replica of a data-parallel step: its share of the batch, the batch's totals that
 * decide the step's shape, and the exchange that sums gradients with the other replicas. A trainer without a link
 * trains alone, exactly as before.
 */
import { collectGradients } from '../genseg/collectGradients';
import type { DiceSumPool } from '../genseg/losses';
import type { AmsGrad } from '../optim/amsGrad';
import { tf, type Tensor, type Variable } from '../tf';
import type { ReplicaExchange } from './replicaExchange';

export interface ReplicaShard {
  /** This replica's rows over the batch's rows: its gradients are scaled by it before they are summed. */
  share: number;
  /** Labelled samples in the whole batch (a term exists in every replica or in none). */
  labelledCount: number;
  /** Where this replica's rows sit in the batch: random draws are made for the whole batch, then sliced. */
  rows: { offset: number; total: number };
}

export interface ReplicaLink {
  readonly exchange: ReplicaExchange;
  shard: ReplicaShard;
}

/**
 * Applies a step's gradients: alone, as they are; as a replica, after summing every replica's share-weighted
 * gradients, so each replica applies the gradient of the whole batch.
 */
export function applyStepGradients(
  optimizer: AmsGrad,
  grads: Record<string, Tensor>,
  variables: Variable[],
  replica: ReplicaLink | null
): void {
  const local = collectGradients(grads, variables);
  if (!replica) {
    optimizer.applyGradients(local);
    return;
  }
  const summed = replica.exchange.reduceGradients(local, variables, replica.shard.share);
  optimizer.applyGradients(summed);
  tf.dispose([...summed.values()]);
}

/** The forward context of a training step: a replica's rows of the batch, so random draws cover the whole batch. */
export function trainingContext(replica: ReplicaLink | null): { training: true; batchRows?: ReplicaShard['rows'] } {
  return { training: true, batchRows: replica?.shard.rows };
}

/** Labelled samples in the whole batch: a replica's shard may hold none where the batch has some. */
export function batchLabelledCount(replica: ReplicaLink | null, localCount: number): number {
  return replica?.shard.labelledCount ?? localCount;
}

/** The Dice loss's sums pooled over the replicas (see computeSoftDiceLoss). */
export function diceSumPool(replica: ReplicaLink | null): DiceSumPool | undefined {
  if (!replica) return undefined;
  return { share: replica.shard.share, sum: (local) => replica.exchange.sumNumbers(local) };
}
