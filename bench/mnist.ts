/**
 * The paper's synthetic benchmark: cluttered MNIST 48×48 with 1% of training samples masked (genseg.md section 4),
 * GenSeg against segmentation-only and AE+segmentation with the same preset, steps and seeds; test Dice next to the
 * paper's row (0.84 / 0.61 / 0.75). Training batches follow the authors' samplers: uniform over training digits for
 * GenSeg and AE+seg (a sample is labelled when its digit is in the 1%), labelled digits only for segmentation-only.
 *   npm run bench -- mnist [--preset cpu] [--steps 300] [--batch 8] [--seeds 1,2,3] [--test-count 10000]
 *                          [--models genseg,segmentation-only,ae-segmentation] [--seg-weight 0.01] [--backend wasm]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend, type BackendCandidate } from '../main/training/backend/selectBackend';
import { Random } from '../main/training/genseg/random';
import { createTrainer, type ModelKind, type PresetName, type Trainer, type TrainingBatch } from '../main/training/index';
import { generateSample, loadMnistDigits, paperClutter, permute, splitDigits, type DigitSet } from './training/clutteredMnist';
import { parseOptions, readList, readNumber } from './training/options';

const paperRow: Record<ModelKind, number> = { genseg: 0.84, 'segmentation-only': 0.61, 'ae-segmentation': 0.75 };
const names: Record<ModelKind, string> = { genseg: 'Proposed (GenSeg)', 'segmentation-only': 'Only segmentation', 'ae-segmentation': 'AE baseline' };
const size = paperClutter.size;

interface RunResult {
  model: ModelKind;
  seed: number;
  steps: number;
  labelledSeen: number;
  trainSeconds: number;
  softDice: number;
  hardDice: number;
}

export default async function runMnistBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const preset = (options.get('preset') ?? 'cpu') as PresetName;
  const steps = readNumber(options, 'steps', 300);
  const batchSize = readNumber(options, 'batch', 8);
  const seeds = readList(options, 'seeds', ['1']).map(Number);
  const testCount = readNumber(options, 'test-count', 10000);
  const models = readList(options, 'models', ['genseg', 'segmentation-only', 'ae-segmentation']) as ModelKind[];
  const segmentationWeight = readNumber(options, 'seg-weight', 0.01);
  const backendOrder = readList(options, 'backend', ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']) as BackendCandidate[];
  const backend = await selectBackend(backendOrder);
  const started = Date.now();
  const { train } = splitDigits(loadMnistDigits('train'), 500, 0);
  const test = loadMnistDigits('test');
  // 1% of the training digits carry masks (segment_fraction = 0.01), chosen with a separate seed.
  const labelledCount = Math.max(1, Math.floor(0.01 * train.count + 0.5));
  const labelledDigits = permute(train.count, new Random(1234)).slice(0, labelledCount);
  const testSet = generateTestSet(test, Math.min(testCount, test.count));
  const results: RunResult[] = [];
  for (const seed of seeds) {
    for (const model of models) {
      const run = { model, seed, steps, batchSize, preset, segmentationWeight };
      const result = await trainAndEvaluate(run, train, new Set(labelledDigits), labelledDigits, testSet);
      results.push(result);
      console.log(`${names[model]} seed ${seed}: test soft Dice ${result.softDice.toFixed(3)}, hard ${result.hardDice.toFixed(3)} (${result.trainSeconds.toFixed(0)} s, ${result.labelledSeen} labelled samples seen)`);
    }
  }
  const summary = printTable(results, models);
  const report = {
    bench: 'mnist',
    preset,
    steps,
    batch: `${batchSize}+${batchSize}`,
    seeds,
    testCount: testSet.count,
    segmentationWeight,
    backend: backend.candidate,
    wallSeconds: (Date.now() - started) / 1000,
    summary,
    runs: results,
    date: new Date().toISOString()
  };
  const folder = join(import.meta.dirname, 'results');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `mnist-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`\nJSON: ${file}`);
}

interface TestSet {
  count: number;
  images: Float32Array;
  masks: Float32Array;
}

function generateTestSet(digits: DigitSet, count: number): TestSet {
  const random = new Random(2024);
  const images = new Float32Array(count * size * size);
  const masks = new Float32Array(count * size * size);
  for (let i = 0; i < count; i++) {
    const sample = generateSample(digits, paperClutter, random, i);
    images.set(sample.presence, i * size * size);
    masks.set(sample.mask, i * size * size);
  }
  return { count, images, masks };
}

interface RunSettings {
  model: ModelKind;
  seed: number;
  steps: number;
  batchSize: number;
  preset: PresetName;
  segmentationWeight: number;
}

async function trainAndEvaluate(
  run: RunSettings,
  train: DigitSet,
  labelledSet: Set<number>,
  labelledDigits: number[],
  testSet: TestSet
): Promise<RunResult> {
  const trainer = createTrainer({
    model: run.model,
    preset: run.preset,
    family: 'mnist48',
    height: size,
    width: size,
    channels: 1,
    seed: run.seed,
    losses: { segmentation: run.segmentationWeight }
  });
  const random = new Random(run.seed * 7919);
  let labelledSeen = 0;
  const start = Date.now();
  for (let step = 0; step < run.steps; step++) {
    const onlyLabelled = run.model === 'segmentation-only';
    const batch = sampleBatch(train, labelledSet, onlyLabelled ? labelledDigits : null, run.batchSize, random);
    labelledSeen += batch.labelled.filter(Boolean).length;
    await trainer.trainStep(batch);
  }
  const trainSeconds = (Date.now() - start) / 1000;
  const { softDice, hardDice } = await evaluate(trainer, testSet);
  trainer.dispose();
  return { model: run.model, seed: run.seed, steps: run.steps, labelledSeen, trainSeconds, softDice, hardDice };
}

/** A batch of presence/absence pairs; digits from `only` when given (labelled-only sampler), else uniform. */
function sampleBatch(train: DigitSet, labelledSet: Set<number>, only: number[] | null, count: number, random: Random): TrainingBatch {
  const imagesA = new Float32Array(count * size * size);
  const imagesB = new Float32Array(only ? 0 : count * size * size);
  const masksA = new Float32Array(count * size * size);
  const labelled: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const digit = only ? only[Math.floor(random.nextUniform() * only.length)] : undefined;
    const sample = generateSample(train, paperClutter, random, digit);
    imagesA.set(sample.presence, i * size * size);
    if (!only) imagesB.set(sample.absence, i * size * size);
    const isLabelled = labelledSet.has(sample.digitIndex);
    if (isLabelled) masksA.set(sample.mask, i * size * size);
    labelled.push(isLabelled);
  }
  return { imagesA, imagesB, masksA, labelled };
}

/** Global Dice over the whole test set, soft (the authors' metric) and thresholded at 0.5. */
async function evaluate(trainer: Trainer, testSet: TestSet): Promise<{ softDice: number; hardDice: number }> {
  const chunk = 50;
  let intersection = 0;
  let sums = 0;
  let hardIntersection = 0;
  let hardSums = 0;
  for (let start = 0; start < testSet.count; start += chunk) {
    const end = Math.min(testSet.count, start + chunk);
    const probabilities = await trainer.predict(testSet.images.subarray(start * size * size, end * size * size));
    const masks = testSet.masks.subarray(start * size * size, end * size * size);
    for (let i = 0; i < probabilities.length; i++) {
      const p = probabilities[i]!;
      const t = masks[i]!;
      const hard = p > 0.5 ? 1 : 0;
      intersection += p * t;
      sums += p + t;
      hardIntersection += hard * t;
      hardSums += hard + t;
    }
  }
  return { softDice: (2 * intersection) / sums, hardDice: (2 * hardIntersection) / hardSums };
}

function printTable(results: RunResult[], models: ModelKind[]): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  console.log('\nmethod              steps  seeds  test soft Dice   test hard Dice   paper (1% labels)');
  for (const model of models) {
    const runs = results.filter((r) => r.model === model);
    const soft = describe(runs.map((r) => r.softDice));
    const hard = describe(runs.map((r) => r.hardDice));
    summary[model] = { softDice: soft, hardDice: hard, paper: paperRow[model] };
    console.log(
      `${names[model].padEnd(19)} ${String(runs[0]?.steps ?? 0).padStart(5)}  ${String(runs.length).padStart(5)}  ${format(soft).padStart(14)}   ${format(hard).padStart(14)}   ${paperRow[model].toFixed(2)}`
    );
  }
  return summary;
}

function describe(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

function format(stats: { mean: number; std: number }): string {
  return `${stats.mean.toFixed(3)} (${stats.std.toFixed(3)})`;
}
