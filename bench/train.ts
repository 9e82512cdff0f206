/**
 * Training speed: steps/s of each preset on each available backend for GenSeg and the baselines (MNIST-48 geometry,
 * batch 8+8 with one labelled sample, like docs/genseg.md#reference-speed-pytorch), and the same cpu-preset GenSeg step
 * in PyTorch (bench/reference/genseg_step.py, Debian python3-torch) timed in the same run, with the ratio and FLOPs per
 * step.
 *   npm run bench -- train [--backends wasm,cpu] [--presets tiny,cpu,paper] [--models genseg,segmentation-only,ae-segmentation]
 *                          [--steps 5] [--batch 8] [--max-seconds 120] [--no-torch] [--all-presets-on-cpu]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { activateBackend, type BackendCandidate } from '../main/training/backend/selectBackend';
import { readConvMacCount } from '../main/training/genseg/layers/conv';
import { createTrainer, type TrainingMethod, type PresetName } from '../main/training/index';
import { createSyntheticBatch } from '../main/training/testing/syntheticBatch';
import { median, parseOptions, readList, readNumber } from './training/options';

interface Row {
  backend: string;
  preset: string;
  model: string;
  secondsPerStep: number | null;
  stepsPerSecond: number | null;
  gflopPerStep: number | null;
  note: string;
}

const geometry = { height: 48, width: 48, channels: 1 };

export default async function runTrainBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const backends = readList(options, 'backends', ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']) as BackendCandidate[];
  const presets = readList(options, 'presets', ['tiny', 'cpu', 'paper']) as PresetName[];
  const models = readList(options, 'models', ['segmentation-only', 'ae-segmentation', 'genseg']) as TrainingMethod[];
  const steps = readNumber(options, 'steps', 5);
  const batchSize = readNumber(options, 'batch', 8);
  const maxSeconds = readNumber(options, 'max-seconds', 120);
  const rows: Row[] = [];
  const started = Date.now();
  for (const backend of backends) {
    try {
      await activateBackend(backend);
    } catch (error) {
      rows.push({ backend, preset: '-', model: '-', secondsPerStep: null, stepsPerSecond: null, gflopPerStep: null, note: `unavailable: ${String(error).split('\n')[0]}` });
      continue;
    }
    for (const preset of presets) {
      // The plain JS cpu backend runs minutes per step beyond the tiny preset (its filter gradient is a scalar loop).
      if (backend === 'cpu' && preset !== 'tiny' && !options.has('all-presets-on-cpu')) {
        rows.push({ backend, preset, model: '*', secondsPerStep: null, stepsPerSecond: null, gflopPerStep: null, note: 'skipped on cpu (use --all-presets-on-cpu)' });
        continue;
      }
      for (const model of models) {
        const row = await timeConfiguration(backend, preset, model, { steps, batchSize, maxSeconds });
        rows.push(row);
        // A wasm heap past 2 GB breaks its 32-bit offsets; the module is unusable afterwards, so stop using it.
        if (/memory access out of bounds|out of memory/i.test(row.note)) break;
      }
    }
  }
  const torch = options.has('no-torch') ? [] : [1, 2].map((threads) => runTorchReference(threads, batchSize, steps));
  const wasmGenSeg = rows.find((r) => r.backend === 'wasm' && r.preset === 'cpu' && r.model === 'genseg');
  const bestTorch = torch.filter((t) => t !== null).sort((a, b) => a!.secondsPerStep - b!.secondsPerStep)[0] ?? null;
  const ratio = wasmGenSeg?.secondsPerStep && bestTorch ? bestTorch.secondsPerStep / wasmGenSeg.secondsPerStep : null;
  printTable(rows, torch, ratio);
  const result = { bench: 'train', geometry, batch: `${batchSize}+${batchSize}`, steps, rows, torch, wasmSpeedOverTorch: ratio, wallSeconds: (Date.now() - started) / 1000, date: new Date().toISOString() };
  const folder = join(import.meta.dirname, 'results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `train-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`\nJSON: ${file}`);
}

async function timeConfiguration(
  backend: string,
  preset: PresetName,
  model: TrainingMethod,
  limits: { steps: number; batchSize: number; maxSeconds: number }
): Promise<Row> {
  const labelled = new Array<boolean>(limits.batchSize).fill(false);
  labelled[0] = true;
  const batch = createSyntheticBatch({ count: limits.batchSize, ...geometry, labelled, seed: 1 });
  const row: Row = { backend, preset, model, secondsPerStep: null, stepsPerSecond: null, gflopPerStep: null, note: '' };
  let trainer: ReturnType<typeof createTrainer> | null = null;
  try {
    trainer = createTrainer({ model, preset, ...geometry, seed: 1 });
    const macsBefore = readConvMacCount();
    const warmStart = Date.now();
    await trainer.trainStep(batch);
    const warmSeconds = (Date.now() - warmStart) / 1000;
    row.gflopPerStep = estimateStepGflop(model, readConvMacCount() - macsBefore);
    // Keep the whole bench bounded: slow combinations get fewer timed steps, or none.
    const affordable = Math.floor(limits.maxSeconds / Math.max(warmSeconds, 1e-3));
    const timedSteps = Math.min(limits.steps, affordable);
    if (timedSteps < 1) {
      // Too slow to repeat within the budget: the first step (which includes warm-up) is the estimate.
      row.secondsPerStep = warmSeconds;
      row.stepsPerSecond = 1 / warmSeconds;
      row.note = 'first step only (includes warm-up)';
      return row;
    }
    const times: number[] = [];
    for (let i = 0; i < timedSteps; i++) {
      const start = process.hrtime.bigint();
      await trainer.trainStep(batch);
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    row.secondsPerStep = median(times);
    row.stepsPerSecond = 1 / row.secondsPerStep;
    row.note = `median of ${timedSteps}`;
  } catch (error) {
    row.note = `failed: ${String(error).split('\n')[0]}`;
  } finally {
    try {
      trainer?.dispose();
    } catch {
      // After a wasm heap failure disposal can fail too; the row already says why.
    }
  }
  return row;
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

function runTorchReference(threads: number, batchSize: number, steps: number): TorchResult | null {
  const script = join(import.meta.dirname, 'reference', 'genseg_step.py');
  try {
    const output = execFileSync(
      '/usr/bin/python3',
      [script, '--family', 'mnist48', '--width', '0.25', '--batch', String(batchSize), '--steps', String(Math.max(steps, 5)), '--warmup', '2', '--threads', String(threads)],
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
  console.log('\nbackend  preset  model               s/step   steps/s  GFLOP/step  note');
  for (const r of rows) {
    console.log(
      `${r.backend.padEnd(8)} ${r.preset.padEnd(7)} ${r.model.padEnd(19)} ${format(r.secondsPerStep, 3).padStart(7)} ${format(r.stepsPerSecond, 3).padStart(8)} ${format(r.gflopPerStep, 1).padStart(11)}  ${r.note}`
    );
  }
  for (const t of torch) {
    if (!t) continue;
    console.log(`pytorch  cpu     genseg (${t.threads} thread${t.threads > 1 ? 's' : ''})   ${t.secondsPerStep.toFixed(3).padStart(7)} ${(1 / t.secondsPerStep).toFixed(3).padStart(8)} ${t.gflopPerStep.toFixed(1).padStart(11)}  torch ${t.version}`);
  }
  if (ratio !== null) console.log(`\nwasm cpu-preset GenSeg speed / best PyTorch CPU speed = ${ratio.toFixed(2)} (target ≥ 0.5)`);
}
