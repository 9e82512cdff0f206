/**
 * How a training run on the wasm CPU backend uses its threads: data-parallel model replicas first (two single-threaded
 * replicas do 1.5× the work of one two-threaded trainer on a GenSeg step: main/training/README.md), then threads inside
 * each replica once the batch is too small to split further (at least two images per replica).
 */
import type { DeviceChoice } from '../../contract';
import { selectBackend, type BackendChoice } from '../backend/selectBackend';
import { chooseWasmThreadCount, describeWasmBackend, maxWasmThreads } from '../backend/wasmThreads';
import { createTrainer, type TrainerOptions } from '../createTrainer';
import type { Trainer } from '../trainingTypes';
import { createParallelTrainer, type ParallelPlan } from './ParallelTrainer';

/** Environment variable that caps the replicas (1 turns data parallelism off). */
export const wasmReplicasVariable = 'GENSEG_WASM_REPLICAS';

export interface CpuTrainingPlan extends ParallelPlan {
  /** Threads in all: replicas × threads per replica. */
  threads: number;
}

export function planCpuTraining(
  threads: number,
  batchSize: number,
  env: Record<string, string | undefined> = process.env
): CpuTrainingPlan {
  const cap = Number(env[wasmReplicasVariable]);
  const allowed = Number.isInteger(cap) && cap > 0 ? cap : maxWasmThreads;
  // A batch size that is not a number (a model version saved without one) splits nothing.
  const perTwoImages = Number.isFinite(batchSize) ? Math.floor(batchSize / 2) : 1;
  const replicas = Math.max(1, Math.min(threads, perTwoImages, allowed));
  const threadsPerReplica = Math.max(1, Math.floor(threads / replicas));
  return { replicas, threadsPerReplica, threads: replicas * threadsPerReplica };
}

/** "CPU, 4 threads, WebAssembly, 4 model replicas", for the training panel and the CLI. */
export function describeCpuTraining(plan: CpuTrainingPlan): string {
  const base = describeWasmBackend(plan.threads);
  return plan.replicas > 1 ? `${base}, ${plan.replicas} model replicas` : base;
}

export interface TrainingBackend {
  /** The backend this thread runs, with a description of what trains. */
  choice: BackendChoice;
  /** Set when training runs as data-parallel replicas on the CPU. */
  parallel: CpuTrainingPlan | null;
}

/**
 * Chooses the backend for a training run (selectBackend's order for the device asked for) and, on wasm, how the run
 * uses the CPU threads. This thread then needs only one wasm thread of its own when replicas train.
 */
export async function selectTrainingBackend(device: DeviceChoice, batchSize: number): Promise<TrainingBackend> {
  const plan = planCpuTraining(chooseWasmThreadCount(), batchSize);
  const choice = await selectBackend({ device, ...(plan.replicas > 1 ? { wasmThreads: 1 } : {}) });
  if (choice.candidate !== 'wasm' || plan.replicas < 2) return { choice, parallel: null };
  return { choice: { ...choice, description: describeCpuTraining(plan) }, parallel: plan };
}

/** A trainer for the chosen backend: replicas in worker threads, or one trainer on this thread (`parallel` null). */
export async function createTrainerOn(backend: { parallel: ParallelPlan | null }, options: TrainerOptions): Promise<Trainer> {
  return backend.parallel ? createParallelTrainer(options, backend.parallel) : createTrainer(options);
}
