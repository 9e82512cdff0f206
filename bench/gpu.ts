/**
 * GenSeg's training step on WebGPU against the same step in PyTorch with CUDA (bench/reference/genseg_step.py), on the
 * same machine: seconds per step for each preset and the ratio (PyTorch's time / WebGPU's time; 1 = as fast).
 * MNIST-48 geometry, batch 8+8 with one labelled sample, like `npm run bench -- train`.
 *   npm run bench -- gpu [--presets cpu,paper] [--steps 5] [--batch 8] [--software] [--no-torch]
 *                        [--python python3] [--torch-device cuda] [--reference FILE] [--out DIR]
 * `--software` accepts a software adapter (SwiftShader), to try the bench on a machine without a GPU. scripts/gpu-bench.sh
 * bundles this file with Node, dawn.node and the Vulkan loader for a GPU server that has none of them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../main/training/backend/selectBackend';
import { readConvMacCount } from '../main/training/genseg/layers/conv';
// Not through main/training/index: that pulls in the project store (sqlite3), which the bundle leaves out.
import { createTrainer } from '../main/training/createTrainer';
import type { PresetName } from '../main/training/genseg/presets';
import { createSyntheticBatch } from '../main/training/testing/syntheticBatch';
import { median, parseOptions, readList, readNumber } from './training/options';

const geometry = { height: 48, width: 48, channels: 1 };
const widths: Record<PresetName, number> = { paper: 1, cpu: 0.25, tiny: 0.125 };

interface WebGpuRow {
  preset: PresetName;
  firstStepSeconds: number | null;
  secondsPerStep: number | null;
  gflopPerStep: number | null;
  note: string;
}

interface TorchRow {
  preset: PresetName;
  secondsPerStep: number | null;
  device: string;
  note: string;
}

export default async function runGpuBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const presets = readList(options, 'presets', ['cpu', 'paper']) as PresetName[];
  const steps = readNumber(options, 'steps', 5);
  const batchSize = readNumber(options, 'batch', 8);
  const started = Date.now();
  let backend: Awaited<ReturnType<typeof selectBackend>>;
  try {
    backend = await selectBackend({ order: ['webgpu'], allowSoftwareGpu: options.has('software') });
  } catch (error) {
    console.error(`WebGPU cannot start here: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  console.log(`WebGPU: ${backend.description}`);
  const rows: WebGpuRow[] = [];
  for (const preset of presets) {
    const row = await timeWebGpu(preset, batchSize, steps);
    rows.push(row);
    console.log(`  ${preset}: ${format(row.secondsPerStep)} s/step (first step ${format(row.firstStepSeconds)} s) ${row.note}`);
  }
  const torch = options.has('no-torch')
    ? []
    : presets.map((preset) => runTorch(preset, batchSize, steps, options));
  printTable(backend.description, rows, torch);
  const result = {
    bench: 'gpu',
    webgpu: backend.description,
    geometry,
    batch: `${batchSize}+${batchSize}`,
    steps,
    rows,
    torch,
    wallSeconds: (Date.now() - started) / 1000,
    date: new Date().toISOString()
  };
  const folder = options.get('out') ?? join(import.meta.dirname, 'results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `gpu-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`\nJSON: ${file}`);
}

async function timeWebGpu(preset: PresetName, batchSize: number, steps: number): Promise<WebGpuRow> {
  const labelled = new Array<boolean>(batchSize).fill(false);
  labelled[0] = true;
  const batch = createSyntheticBatch({ count: batchSize, ...geometry, labelled, seed: 1 });
  const row: WebGpuRow = { preset, firstStepSeconds: null, secondsPerStep: null, gflopPerStep: null, note: '' };
  let trainer: ReturnType<typeof createTrainer> | null = null;
  try {
    trainer = createTrainer({ model: 'genseg', preset, ...geometry, seed: 1 });
    const macsBefore = readConvMacCount();
    const first = performance.now();
    await trainer.trainStep(batch);
    row.firstStepSeconds = (performance.now() - first) / 1000;
    // Forward conv MACs → FLOPs: 2 per MAC, backward about twice the forward (as bench/train.ts counts them).
    row.gflopPerStep = (2 * 3 * (readConvMacCount() - macsBefore)) / 1e9;
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      await trainer.trainStep(batch);
      times.push((performance.now() - start) / 1000);
    }
    row.secondsPerStep = times.length > 0 ? median(times) : row.firstStepSeconds;
    row.note = times.length > 0 ? `median of ${times.length}` : 'first step only';
  } catch (error) {
    row.note = `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  } finally {
    trainer?.dispose();
  }
  return row;
}

function runTorch(preset: PresetName, batchSize: number, steps: number, options: Map<string, string>): TorchRow {
  const device = options.get('torch-device') ?? 'cuda';
  const script = options.get('reference') ?? join(import.meta.dirname, 'reference', 'genseg_step.py');
  const python = options.get('python') ?? 'python3';
  const args = [script, '--family', 'mnist48', '--width', String(widths[preset]), '--batch', String(batchSize)];
  args.push('--steps', String(Math.max(steps, 5)), '--warmup', '2', '--device', device);
  try {
    const output = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const parsed = JSON.parse(output.trim().split('\n').pop()!) as { secondsPerStep: number; version: string; deviceName?: string };
    return { preset, secondsPerStep: parsed.secondsPerStep, device: parsed.deviceName ?? device, note: `torch ${parsed.version}` };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').pop();
    return { preset, secondsPerStep: null, device, note: `unavailable: ${stderr ?? String(error).split('\n')[0]}` };
  }
}

function format(value: number | null): string {
  return value === null ? '-' : value < 10 ? value.toFixed(3) : value.toFixed(1);
}

function printTable(webgpu: string, rows: WebGpuRow[], torch: TorchRow[]): void {
  console.log(`\nGenSeg step, 48×48, MNIST-48 layout. WebGPU: ${webgpu}`);
  console.log('preset  WebGPU s/step  first step s  GFLOP/step  PyTorch s/step  PyTorch on                      ratio');
  for (const row of rows) {
    const reference = torch.find((t) => t.preset === row.preset);
    const ratio =
      reference?.secondsPerStep && row.secondsPerStep ? (reference.secondsPerStep / row.secondsPerStep).toFixed(2) : '-';
    const torchNote = reference ? (reference.secondsPerStep === null ? reference.note : reference.device) : 'not run';
    console.log(
      `${row.preset.padEnd(7)} ${format(row.secondsPerStep).padStart(13)} ${format(row.firstStepSeconds).padStart(13)} ${format(row.gflopPerStep).padStart(11)} ${format(reference?.secondsPerStep ?? null).padStart(15)}  ${torchNote.slice(0, 30).padEnd(30)} ${ratio.padStart(6)}`
    );
  }
  console.log('ratio = PyTorch seconds per step / WebGPU seconds per step (above 1: WebGPU is faster)');
}
