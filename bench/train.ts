/**
 * Training speed: steps/s of each preset on each available backend for GenSeg and the baselines (MNIST-48 geometry,
 * batch 8+8 with one labelled sample, like docs/genseg.md#reference-speed-pytorch), and the same cpu-preset GenSeg step
 * in PyTorch (bench/reference/genseg_step.py, Debian python3-torch) timed in the same run, with the ratio and FLOPs per
 * step.
 * Each configuration also reports its engine kernel calls per step (tf.profile around one step: on a GPU each is one
 * or more dispatches; on webgpu the dispatches are counted too) and, for GenSeg on the cpu preset, the kernels that took the most time.
 * Each also times prediction as the proposal job does it (predict ms/slice: predictSlices, 8 slices per model copy).
 *   npm run bench -- train [--backends wasm,cpu] [--presets tiny,cpu,paper] [--models genseg,segmentation-only,ae-segmentation]
 *                          [--steps 5] [--batch 8] [--max-seconds 120] [--no-torch] [--all-presets-on-cpu]
 *                          [--threads 1,2] [--replicas 1,2] [--rounds 3] [--composed] [--size 48]
 * --threads: wasm thread counts to compare (default: every core but one); --rounds: repeat every configuration this
 * many times, interleaved (1 thread, 2 threads, 1 thread, ...), and report medians over all timed steps;
 * --replicas: on wasm, also time data-parallel training (main/training/parallel): that many model replicas in worker
 * threads, each with --threads threads, on shards of the same batch (1 = one trainer on this thread, the default);
 * --composed: also time GenSeg with the composed tfjs ops instead of the fused layer kernels (the code before them).
 * --size: the square input size (default 48, MNIST-48 geometry); 96 is the app's own cpu-preset training size, where
 * the networks take the brain layout (docs/genseg.md) and the PyTorch reference is run with the same layout and size.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enableFusedKernels } from '../main/training/backend/fusedLayerKernels';
import { recordInnerKernels } from '../main/training/backend/kernelRunner';
import { activateBackend, type BackendCandidate } from '../main/training/backend/selectBackend';
import { chooseWasmThreadCount } from '../main/training/backend/wasmThreads';
import { tf } from '../main/training/tf';
import { readConvMacCount } from '../main/training/genseg/layers/conv';
import { createTrainerOn, predictSlices, type TrainingMethod, type PresetName } from '../main/training/index';
import { createSyntheticBatch } from '../main/training/testing/syntheticBatch';
import type { Trainer } from '../main/training/trainingTypes';
import { median, parseOptions, readList, readNumber } from './training/options';

interface Row {
  backend: string;
  /** wasm threads (1 = the unthreaded SIMD build); null for other backends. */
  threads: number | null;
  /** Data-parallel replicas in worker threads (1: one trainer on the bench's own thread). */
  replicas: number;
  preset: string;
  model: string;
  secondsPerStep: number | null;
  stepsPerSecond: number | null;
  gflopPerStep: number | null;
  /** Engine kernel calls in one step (tf.profile). */
  kernelCalls: number | null;
  /** On webgpu: the GPU programs dispatched in that step (several per fused kernel, none for ops run on the CPU). */
  dispatches?: number;
  /** For GenSeg on the cpu preset: the kernels with the most time in the profiled step. */
  topKernels?: { name: string; calls: number; ms: number }[];
  /** The backend kernels run inside the fused and composed ones in that step (tf.profile sees only the outer). */
  innerKernels?: { name: string; calls: number; ms: number }[];
  note: string;
  /** Every timed step, over all rounds. */
  times: number[];
  /** CPU seconds of the whole process (every thread) per timed step: robust to a loaded machine, unlike wall time. */
  cpuTimes: number[];
  cpuSecondsPerStep: number | null;
  /** Prediction as the proposal job does it (predictSlices, 8 slices per model copy per call): ms per slice, each timing. */
  predictTimes: number[];
  predictMsPerSlice: number | null;
}

/** Input geometry of every timed step (--size); ≥ 96 px selects the brain layout, as createTrainer does. */
interface Geometry {
  height: number;
  width: number;
  channels: number;
}

export default async function runTrainBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const backends = readList(options, 'backends', ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']) as BackendCandidate[];
  const presets = readList(options, 'presets', ['tiny', 'cpu', 'paper']) as PresetName[];
  const models = readList(options, 'models', ['segmentation-only', 'ae-segmentation', 'genseg']) as TrainingMethod[];
  const steps = readNumber(options, 'steps', 5);
  const batchSize = readNumber(options, 'batch', 8);
  const maxSeconds = readNumber(options, 'max-seconds', 120);
  const threadCounts = readList(options, 'threads', [String(chooseWasmThreadCount())]).map(Number);
  const replicaCounts = readList(options, 'replicas', ['1']).map(Number);
  const rounds = readNumber(options, 'rounds', 1);
  const variants = options.has('composed') ? [true, false] : [true];
  const size = readNumber(options, 'size', 48);
  const geometry: Geometry = { height: size, width: size, channels: 1 };
  const rows = new Map<string, Row>();
  const started = Date.now();
  for (let round = 0; round < rounds; round++) {
    for (const backend of backends) {
      for (const threads of backend === 'wasm' ? threadCounts : [null]) {
        const label = threads === null ? backend : `${backend}×${threads}`;
        try {
          await activateBackend(backend, threads === null ? {} : { wasmThreads: threads });
        } catch (error) {
          rows.set(label, { ...emptyRow(backend, threads, '-', '-'), note: `unavailable: ${String(error).split('\n')[0]}` });
          continue;
        }
        for (const replicas of backend === 'wasm' ? replicaCounts : [1]) {
          await runPresets(rows, { backend, geometry, threads, replicas, presets, models, variants, options, steps, batchSize, maxSeconds });
        }
      }
    }
  }
  const table = [...rows.values()];
  for (const row of table) {
    if (row.times.length === 0) continue;
    row.secondsPerStep = median(row.times);
    row.stepsPerSecond = 1 / row.secondsPerStep;
    row.cpuSecondsPerStep = row.cpuTimes.length > 0 ? median(row.cpuTimes) : null;
    row.predictMsPerSlice = row.predictTimes.length > 0 ? median(row.predictTimes) : null;
    if (!row.note) row.note = `median of ${row.times.length}`;
  }
  const torch = options.has('no-torch') ? [] : [1, 2].map((threads) => runTorchReference(threads, batchSize, steps, geometry));
  const wasmGenSeg = table
    .filter((r) => r.backend === 'wasm' && r.preset === 'cpu' && r.model === 'genseg' && r.secondsPerStep !== null)
    .sort((a, b) => a.secondsPerStep! - b.secondsPerStep!)[0];
  const bestTorch = torch.filter((t) => t !== null).sort((a, b) => a!.secondsPerStep - b!.secondsPerStep)[0] ?? null;
  const ratio = wasmGenSeg?.secondsPerStep && bestTorch ? bestTorch.secondsPerStep / wasmGenSeg.secondsPerStep : null;
  printTable(table, torch, ratio);
  const result = { bench: 'train', geometry, batch: `${batchSize}+${batchSize}`, steps, rounds, rows: table, torch, wasmSpeedOverTorch: ratio, wallSeconds: (Date.now() - started) / 1000, date: new Date().toISOString() };
  const folder = join(import.meta.dirname, 'results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `train-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`\nJSON: ${file}`);
}

function emptyRow(backend: string, threads: number | null, preset: string, model: string, replicas = 1): Row {
  return { backend, threads, replicas, preset, model, secondsPerStep: null, stepsPerSecond: null, gflopPerStep: null, kernelCalls: null, note: '', times: [], cpuTimes: [], cpuSecondsPerStep: null, predictTimes: [], predictMsPerSlice: null };
}

interface PresetRun {
  backend: BackendCandidate;
  geometry: Geometry;
  threads: number | null;
  replicas: number;
  presets: PresetName[];
  models: TrainingMethod[];
  variants: boolean[];
  options: Map<string, string>;
  steps: number;
  batchSize: number;
  maxSeconds: number;
}

async function runPresets(rows: Map<string, Row>, run: PresetRun): Promise<void> {
  const { backend, threads, replicas, options } = run;
  for (const preset of run.presets) {
    // The plain JS cpu backend runs minutes per step beyond the tiny preset (its filter gradient is a scalar loop).
    if (backend === 'cpu' && preset !== 'tiny' && !options.has('all-presets-on-cpu')) {
      rows.set(`cpu ${preset}`, { ...emptyRow(backend, threads, preset, '*'), note: 'skipped on cpu (use --all-presets-on-cpu)' });
      continue;
    }
    for (const model of run.models) {
      for (const fused of model === 'genseg' ? run.variants : [true]) {
        const name = fused ? model : `${model} (composed ops)`;
        const key = `${backend} ${threads} ${replicas} ${preset} ${name}`;
        const row = rows.get(key) ?? emptyRow(backend, threads, preset, name, replicas);
        rows.set(key, row);
        const previous = enableFusedKernels(fused);
        try {
          await timeConfiguration(row, preset, model, run);
        } finally {
          enableFusedKernels(previous);
        }
        // A wasm heap past 2 GB breaks its 32-bit offsets; the module is unusable afterwards, so stop using it.
        if (/memory access out of bounds|out of memory/i.test(row.note)) return;
      }
    }
  }
}

async function timeConfiguration(
  row: Row,
  preset: PresetName,
  model: TrainingMethod,
  limits: { steps: number; batchSize: number; maxSeconds: number; geometry: Geometry; threads: number | null; replicas: number }
): Promise<void> {
  const { geometry } = limits;
  const labelled = new Array<boolean>(limits.batchSize).fill(false);
  labelled[0] = true;
  const batch = createSyntheticBatch({ count: limits.batchSize, ...geometry, labelled, seed: 1 });
  let trainer: Trainer | null = null;
  const parallel = limits.replicas > 1;
  try {
    const trainerOptions = { model, preset, ...geometry, seed: 1 };
    trainer = await createTrainerOn(
      { parallel: parallel ? { replicas: limits.replicas, threadsPerReplica: limits.threads ?? 1 } : null },
      trainerOptions
    );
    const macsBefore = readConvMacCount();
    const warmStart = Date.now();
    await trainer.trainStep(batch);
    const warmSeconds = (Date.now() - warmStart) / 1000;
    // Replicas are fresh worker threads each round (cold JIT, empty operator caches): their second and third steps
    // are still 10-20% slow, where this thread's trainer is warm from earlier rounds. Two more untimed steps.
    if (parallel) for (let i = 0; i < 2; i++) await trainer.trainStep(batch);
    // The replicas' convolutions run in their own threads, where this thread's counter does not see them.
    if (!parallel) row.gflopPerStep = estimateStepGflop(model, readConvMacCount() - macsBefore);
    // Keep the whole bench bounded: slow combinations get fewer timed steps, or none.
    const affordable = Math.floor(limits.maxSeconds / Math.max(warmSeconds, 1e-3));
    const timedSteps = Math.min(limits.steps, affordable);
    if (timedSteps < 1) {
      // Too slow to repeat within the budget: the first step (which includes warm-up) is the estimate.
      row.times.push(warmSeconds);
      row.note = 'first step only (includes warm-up)';
      return;
    }
    for (let i = 0; i < timedSteps; i++) {
      const start = process.hrtime.bigint();
      const cpuStart = process.cpuUsage();
      await trainer.trainStep(batch);
      const cpu = process.cpuUsage(cpuStart);
      row.times.push(Number(process.hrtime.bigint() - start) / 1e9);
      row.cpuTimes.push((cpu.user + cpu.system) / 1e6);
    }
    await timePrediction(row, trainer, batch.imagesA, limits.batchSize);
    // tf.profile sees this thread's engine only: the replicas' kernels are not counted.
    if (row.kernelCalls === null && !parallel) {
      const inner = recordInnerKernels(true)!;
      try {
        const dispatches = await countWebGpuDispatches(async () => {
          profileStep(row, await tf.profile(async () => void (await trainer!.trainStep(batch))));
        });
        if (dispatches !== null) row.dispatches = dispatches;
      } finally {
        recordInnerKernels(false);
      }
      if (row.topKernels) row.innerKernels = [...inner.entries()].map(([name, k]) => ({ name, ...k })).sort((a, b) => b.ms - a.ms).slice(0, 8);
    }
  } catch (error) {
    row.note = `failed: ${String(error).split('\n')[0]}`;
  } finally {
    try {
      trainer?.dispose();
    } catch {
      // After a wasm heap failure disposal can fail too; the row already says why.
    }
  }
}

/** Predicts 32 slices (the batch's images over and over) twice, as the proposal job would, and keeps ms per slice. */
async function timePrediction(row: Row, trainer: Trainer, images: Float32Array, count: number): Promise<void> {
  const size = images.length / count;
  const slices = Array.from({ length: 32 }, (_, index) => images.slice((index % count) * size, ((index % count) + 1) * size));
  await predictSlices(trainer, slices.slice(0, 8 * (trainer.parallelism ?? 1)));
  for (let repeat = 0; repeat < 2; repeat++) {
    const start = process.hrtime.bigint();
    await predictSlices(trainer, slices);
    row.predictTimes.push(Number(process.hrtime.bigint() - start) / 1e6 / slices.length);
  }
}

/**
 * WebGPU programs dispatched while `body` runs (every tfjs-backend-webgpu program goes through the backend's
 * recordAndSubmit, counted here for the bench only); null on other backends.
 */
async function countWebGpuDispatches(body: () => Promise<void>): Promise<number | null> {
  const backend = tf.backend() as unknown as { recordAndSubmit?: (...args: unknown[]) => unknown };
  const original = backend.recordAndSubmit;
  if (tf.getBackend() !== 'webgpu' || typeof original !== 'function') {
    await body();
    return null;
  }
  let count = 0;
  backend.recordAndSubmit = function (this: unknown, ...args: unknown[]) {
    count += 1;
    return original.apply(this, args);
  };
  try {
    await body();
  } finally {
    delete backend.recordAndSubmit;
  }
  return count;
}

/** Kernel calls of one profiled step, and for the cpu-preset GenSeg rows the kernels that took the most time. */
function profileStep(row: Row, profile: { kernels: { name: string; kernelTimeMs: number | { error: string } | Promise<number | { error: string }> }[] }): void {
  row.kernelCalls = profile.kernels.length;
  if (row.preset !== 'cpu' || !row.model.startsWith('genseg')) return;
  const byName = new Map<string, { name: string; calls: number; ms: number }>();
  for (const kernel of profile.kernels) {
    const entry = byName.get(kernel.name) ?? { name: kernel.name, calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    byName.set(kernel.name, entry);
  }
  row.topKernels = [...byName.values()].sort((a, b) => b.ms - a.ms).slice(0, 8);
}

/**
 * Forward conv MACs of one step, counted, turned into FLOPs: 2 per MAC, and a backward pass costing about twice the
 * forward. For GenSeg the discriminator step's passes on detached fakes need no input gradient, so this slightly
 * overestimates; it is the same rule as docs/genseg.md#compute.
 */
function estimateStepGflop(model: TrainingMethod, forwardMacs: number): number {
  void model;
  return (2 * 3 * forwardMacs) / 1e9;
}

interface TorchResult {
  threads: number;
  secondsPerStep: number;
  gflopPerStep: number;
  version: string;
}

/** The reference's architecture family and size for `geometry` (the layout createTrainer picks for it). */
function torchGeometry(geometry: Geometry): string[] {
  const { height, width } = geometry;
  if (Math.min(height, width) >= 96) return ['--family', 'brain', '--size', String(height), String(width)];
  if (height !== 48 || width !== 48) throw new Error('--size: the PyTorch reference has the MNIST-48 layout at 48 only; use --no-torch');
  return ['--family', 'mnist48'];
}

function runTorchReference(threads: number, batchSize: number, steps: number, geometry: Geometry): TorchResult | null {
  const script = join(import.meta.dirname, 'reference', 'genseg_step.py');
  try {
    const output = execFileSync(
      '/usr/bin/python3',
      [script, ...torchGeometry(geometry), '--width', '0.25', '--batch', String(batchSize), '--steps', String(Math.max(steps, 5)), '--warmup', '2', '--threads', String(threads)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
    );
    const parsed = JSON.parse(output.trim().split('\n').pop()!) as { secondsPerStep: number; gflopPerStep: number; version: string };
    return { threads, secondsPerStep: parsed.secondsPerStep, gflopPerStep: parsed.gflopPerStep, version: parsed.version };
  } catch (error) {
    console.error(`PyTorch reference (${threads} threads) failed: ${String(error).split('\n')[0]}`);
    return null;
  }
}

function printTable(rows: Row[], torch: (TorchResult | null)[], ratio: number | null): void {
  const format = (value: number | null, digits: number): string => (value === null ? '-' : value.toFixed(digits));
  console.log('\nbackend   threads preset  model                           s/step   steps/s  CPU s/step  GFLOP/step  calls/step  predict ms/slice  note');
  // Data-parallel rows read "replicas×threads each": 2×1 is two single-threaded replicas.
  const threadsOf = (r: Row): string => (r.replicas > 1 ? `${r.replicas}×${r.threads ?? 1}` : String(r.threads ?? '-'));
  for (const r of rows) {
    console.log(
      `${r.backend.padEnd(9)} ${threadsOf(r).padStart(7)} ${r.preset.padEnd(7)} ${r.model.padEnd(31)} ${format(r.secondsPerStep, 3).padStart(7)} ${format(r.stepsPerSecond, 3).padStart(8)} ${format(r.cpuSecondsPerStep, 3).padStart(11)} ${format(r.gflopPerStep, 1).padStart(11)} ${String(r.kernelCalls ?? '-').padStart(11)} ${format(r.predictMsPerSlice, 1).padStart(17)}  ${r.note}${r.dispatches === undefined ? '' : `, ${r.dispatches} GPU dispatches`}`
    );
  }
  for (const t of torch) {
    if (!t) continue;
    console.log(`pytorch   ${String(t.threads).padStart(7)} cpu     ${'genseg'.padEnd(31)} ${t.secondsPerStep.toFixed(3).padStart(7)} ${(1 / t.secondsPerStep).toFixed(3).padStart(8)} ${'-'.padStart(11)} ${t.gflopPerStep.toFixed(1).padStart(11)} ${'-'.padStart(11)} ${'-'.padStart(17)}  torch ${t.version}`);
  }
  for (const r of rows.filter((row) => row.topKernels)) {
    const label = `${r.backend}${r.threads ? `×${r.threads}` : ''} ${r.model}`;
    console.log(`\ntop kernels, ${label}, cpu preset (one profiled step, ms): ${r.topKernels!.map((k) => `${k.name} ${k.ms.toFixed(0)} (${k.calls})`).join(', ')}`);
    if (r.innerKernels?.length) console.log(`  inside them: ${r.innerKernels.map((k) => `${k.name} ${k.ms.toFixed(0)} (${k.calls})`).join(', ')}`);
  }
  if (ratio !== null) console.log(`\nwasm cpu-preset GenSeg speed / best PyTorch CPU speed = ${ratio.toFixed(2)} (target ≥ 0.5)`);
}
