/** Messages between a ParallelTrainer and its replica workers (replicaWorker.ts), each request answered once by id. */
import type { TrainerOptions } from '../createTrainer';
import type { StepPlan } from '../recipe/trainingRecipe';
import type { Checkpoint, StepReport, TrainingBatch } from '../trainingTypes';
import type { ExchangeLayout } from './replicaExchange';
import type { ReplicaShard } from './replicaLink';

export type ReplicaRequest =
  | { type: 'start'; options: TrainerOptions; threads: number }
  | { type: 'attach'; buffer: SharedArrayBuffer; layout: ExchangeLayout; index: number }
  | { type: 'load'; checkpoint: Checkpoint }
  | { type: 'step'; batch: TrainingBatch; shard: ReplicaShard; plan?: StepPlan; verify: boolean }
  | { type: 'fingerprint' }
  | { type: 'predict'; images: Float32Array }
  | { type: 'save' };

export interface ReplicaStarted {
  parameters: Record<string, number>;
  /** Parameters and variables of the whole model: the room one replica needs in the exchange. */
  floats: number;
  variables: number;
}

export interface ReplicaStepped {
  report: StepReport;
  /** When asked: a hash of every trainable weight after the step (replicas that stay in step have the same). */
  fingerprint: number | null;
}

export type ReplicaReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string; /** It failed because another replica did. */ aborted: boolean };
