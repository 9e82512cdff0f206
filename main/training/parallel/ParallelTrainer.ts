/**
 * Data-parallel training on the CPU: one model replica per worker thread, each on a contiguous shard of every batch,
 * gradients summed through shared memory before each optimizer update (replicaExchange.ts), so every replica applies
 * the whole batch's gradient and all keep the same weights. The calling thread only splits batches and collects
 * reports: it stays free while a step runs (a Stop message is read at once, the next batch can be prepared).
 *
 * Why replicas and not more threads per kernel: at the app's training sizes, XNNPACK's threads (and PyTorch's own)
 * gain about 1.1× from a second core on a GenSeg step, while two single-threaded copies on two cores do 1.8× the work
 * (main/training/README.md, docs/decisions.md entry 73).
 *
 * The step is the same computation as one trainer's on the whole batch: losses that are means are weighted by each
 * shard's share, the Dice loss pools its sums over the shards (genseg/losses.ts), random draws are made for the whole
 * batch and sliced (genseg/forward.ts), and terms exist in every replica or in none (the batch's labelled count).
 * Prediction is split the same way, each replica on a contiguous part of the images.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../common';
import type { TrainerOptions } from '../createTrainer';
import type { StepPlan } from '../recipe/trainingRecipe';
import type { Checkpoint, StepReport, Trainer, TrainingBatch, TrainingMethod } from '../trainingTypes';
import { abortExchange, allocateExchange, type ExchangeLayout } from './replicaExchange';
import type { ReplicaReply, ReplicaRequest, ReplicaStarted, ReplicaStepped } from './replicaProtocol';
import { splitBatch } from './splitBatch';

export interface ParallelPlan {
  /** Model replicas, one worker thread each (at least 2). */
  replicas: number;
  /** wasm threads inside each replica. */
  threadsPerReplica: number;
  /**
   * Compare the replicas' weights every this many steps (and before every checkpoint is saved); default 25. The
   * comparison reads every weight, about 20 ms of a cpu-preset step, so it is not made every step.
   */
  verifyEvery?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

class ReplicaFailure extends Error {
  constructor(
    message: string,
    readonly aborted: boolean
  ) {
    super(message);
  }
}

class ReplicaWorker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;

  constructor(
    readonly worker: Worker,
    private readonly onFailure: (error: Error) => void
  ) {
    worker.on('message', (reply: ReplicaReply) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) pending?.resolve(reply.value);
      else pending?.reject(new ReplicaFailure(reply.message, reply.aborted));
    });
    worker.on('error', (error) => this.fail(new Error(`a training worker failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`a training worker stopped (exit code ${code})`)));
  }

  call<T>(request: ReplicaRequest): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, ...request });
    });
  }

  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.onFailure(error);
  }
}

/** Starts the replicas (each builds the same model from the same seed) and connects them. */
export async function createParallelTrainer(options: TrainerOptions, plan: ParallelPlan): Promise<ParallelTrainer> {
  if (plan.replicas < 2) throw new Error('a parallel trainer needs at least two replicas');
  const trainer = new ParallelTrainer(options, plan);
  try {
    await trainer.start();
  } catch (error) {
    trainer.dispose();
    throw error;
  }
  return trainer;
}

export class ParallelTrainer implements Trainer {
  readonly kind: TrainingMethod;
  readonly inputShape: [number, number, number];
  private step = 0;
  private readonly workers: ReplicaWorker[];
  private exchange: SharedArrayBuffer | null = null;
  private parameters: Record<string, number> = {};
  /** Set once a replica failed or the trainer was disposed: the replicas may no longer agree. */
  private broken: Error | null = null;
  private disposed = false;

  constructor(
    private readonly options: TrainerOptions,
    readonly plan: ParallelPlan
  ) {
    this.kind = options.model;
    this.inputShape = [options.height, options.width, options.channels];
    this.workers = Array.from(
      { length: plan.replicas },
      () => new ReplicaWorker(startModuleWorker(import.meta.url, 'replicaWorker'), (error) => this.breakWith(error))
    );
  }

  get stepCount(): number {
    return this.step;
  }

  async start(): Promise<void> {
    const request: ReplicaRequest = { type: 'start', options: this.options, threads: this.plan.threadsPerReplica };
    const started = await this.all<ReplicaStarted>(() => request);
    this.parameters = started[0]!.parameters;
    const layout: ExchangeLayout = {
      replicas: this.plan.replicas,
      floatsPerReplica: Math.max(...started.map((s) => s.floats)),
      variablesPerReplica: Math.max(...started.map((s) => s.variables))
    };
    const buffer = allocateExchange(layout);
    this.exchange = buffer;
    await this.all((index) => ({ type: 'attach', buffer, layout, index }));
  }

  async trainStep(batch: TrainingBatch, plan?: StepPlan): Promise<StepReport> {
    const shards = splitBatch(batch, this.plan.replicas, this.inputShape);
    const verify = (this.step + 1) % (this.plan.verifyEvery ?? 25) === 0;
    const replies = await this.all<ReplicaStepped>((index) => ({ type: 'step', ...shards[index]!, plan, verify }));
    if (verify) this.verifySame(replies.map((reply) => reply.fingerprint));
    const losses: Record<string, number> = {};
    for (const [index, { report }] of replies.entries()) {
      for (const [name, value] of Object.entries(report.losses)) {
        losses[name] = (losses[name] ?? 0) + value * shards[index]!.shard.share;
      }
    }
    this.step = replies[0]!.report.step;
    return { step: this.step, losses };
  }

  get parallelism(): number {
    return this.workers.length;
  }

  /** Each replica predicts a contiguous part of the images (they hold the same weights), so prediction uses every worker. */
  async predict(images: Float32Array): Promise<Float32Array> {
    const [height, width, channels] = this.inputShape;
    const count = images.length / (height * width * channels);
    if (!Number.isInteger(count)) throw new Error(`the images are not whole ${height}×${width}×${channels} images`);
    if (count === 0) return new Float32Array(0);
    const parts = Math.min(this.workers.length, count);
    // Where each part starts, in output values (one per pixel); its images start `channels` times further.
    const bounds = Array.from({ length: parts + 1 }, (_, part) => Math.floor((part * count) / parts) * height * width);
    const outputs = await this.all<Float32Array>(
      (part) => ({ type: 'predict', images: images.slice(bounds[part]! * channels, bounds[part + 1]! * channels) }),
      this.workers.slice(0, parts)
    );
    const probabilities = new Float32Array(count * height * width);
    outputs.forEach((output, part) => probabilities.set(output, bounds[part]!));
    return probabilities;
  }

  async saveCheckpoint(): Promise<Checkpoint> {
    this.verifySame(await this.all<number>(() => ({ type: 'fingerprint' })));
    return this.workers[0]!.call<Checkpoint>({ type: 'save' });
  }

  async loadCheckpoint(checkpoint: Checkpoint): Promise<void> {
    await this.all(() => ({ type: 'load', checkpoint }));
    this.step = checkpoint.manifest.step;
  }

  countParameters(): Record<string, number> {
    return { ...this.parameters };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.breakWith(new Error('the trainer was disposed'));
    for (const { worker } of this.workers) void worker.terminate();
  }

  /** Sends each replica its request and waits for all; a failure names the replica's own error, not the others'. */
  private async all<T>(request: (index: number) => ReplicaRequest, workers = this.workers): Promise<T[]> {
    this.throwIfBroken();
    const results = await Promise.allSettled(workers.map((worker, index) => worker.call<T>(request(index))));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
    if (failures.length > 0) {
      const cause = failures.find((error) => !(error instanceof ReplicaFailure && error.aborted)) ?? failures[0]!;
      this.breakWith(cause);
      throw cause;
    }
    return results.map((result) => (result as PromiseFulfilledResult<T>).value);
  }

  /** Replicas that ever differ can no longer be trusted to train one model: stop rather than save either. */
  private verifySame(fingerprints: (number | null)[]): void {
    if (new Set(fingerprints).size === 1) return;
    this.breakWith(new Error('the training workers no longer hold the same weights'));
    throw this.broken;
  }

  private breakWith(error: Error): void {
    this.broken ??= error;
    // Replicas waiting for a partner that will not come are woken and fail their step.
    if (this.exchange) abortExchange(this.exchange);
  }

  private throwIfBroken(): void {
    if (this.broken) throw this.broken;
  }
}
