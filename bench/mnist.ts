/**
 * The paper's synthetic benchmark: cluttered MNIST 48×48 with 1% of training samples masked
 * (docs/genseg.md#cluttered-mnist). Methods: GenSeg with the laptop recipe (the product's default), GenSeg with the
 * paper's recipe, segmentation-only and AE+segmentation, with the same preset, data and seeds; test Dice next to the
 * paper's row (0.84 / 0.61 / 0.75).
 *
 * Two ways to compare:
 *   equal steps      npm run bench -- mnist --steps 300
 *   equal wall time  npm run bench -- mnist --minutes 5,15,45   (one run per method and seed up to the longest budget,
 *                    evaluated on the test set at every budget; evaluation time is not counted as training time)
 * Other options: [--preset cpu] [--batch 8] [--seeds 1,2,3] [--test-count 10000]
 *   [--models genseg,genseg-paper,segmentation-only,ae-segmentation] [--backend wasm] [--tag NAME]
 *   [--replicas N] (wasm: N data-parallel model replicas in worker threads, main/training/parallel; default 1)
 *   laptop-recipe overrides: [--warm 300] [--seg-per-joint 19] [--joint-labelled 0.5] [--joint-seg-weight 1]
 *     [--seg-absent F] (absent images with empty masks added to each segmentation batch, fraction of the batch;
 *     the product's default 0.25; 0 for the digits-only recipe of earlier sessions' runs)
 *   ablation: [--seg-only-absent F] gives segmentation-only the same absent images
 *   joining separate runs:   --merge tagA,tagB --tag NAME
 * Writes bench/results/mnist-<tag>.json and, for a sweep, a plot of test Dice against wall time (SVG, and PNG when
 * Chromium is installed).
 *
 * Training batches follow the authors' samplers: uniform over training digits for GenSeg's joint steps and AE+seg (a
 * sample is labelled when its digit is in the 1%), labelled digits only for segmentation-only and for GenSeg's
 * segmentation steps; the laptop recipe draws its share of labelled digits into every joint batch.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend, type BackendCandidate } from '../main/training/backend/selectBackend';
import { Random } from '../main/common';
import {
  createTrainerOn,
  absentPerSegmentationBatch,
  labelledPerJointBatch,
  planStep,
  resolveRecipe,
  type TrainingMethod,
  type PresetName,
  type Trainer,
  type TrainingBatch,
  type TrainingRecipe
} from '../main/training/index';
import {
  generateSample,
  loadMnistDigits,
  paperClutter,
  permute,
  splitDigits,
  type DigitSet
} from './training/clutteredMnist';
import {
  benchMethodNames,
  parseOptions,
  readList,
  readNumber,
  readSweepOptions,
  type BenchMethod
} from './training/options';
import { readReports, resultsFolder } from './training/reports';
import { renderSweepPlot } from './training/sweepPlot';

type Method = BenchMethod;
const paperRow: Record<Method, number> = {
  genseg: 0.84,
  'genseg-paper': 0.84,
  'segmentation-only': 0.61,
  'ae-segmentation': 0.75
};
const names = benchMethodNames;
const modelOf: Record<Method, TrainingMethod> = {
  genseg: 'genseg',
  'genseg-paper': 'genseg',
  'segmentation-only': 'segmentation-only',
  'ae-segmentation': 'ae-segmentation'
};
const size = paperClutter.size;

interface Mark {
  /** Budget reached: minutes of training (sweep) or steps. */
  budget: number;
  steps: number;
  trainSeconds: number;
  labelledSeen: number;
  softDice: number;
  hardDice: number;
}

interface RunResult {
  method: Method;
  seed: number;
  marks: Mark[];
}

export default async function runMnistBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  if (options.has('merge')) {
    await mergeReports(readList(options, 'merge', []), options.get('tag') ?? 'merged');
    return;
  }
  const preset = (options.get('preset') ?? 'cpu') as PresetName;
  const minutes = readList(options, 'minutes', []).map(Number);
  const steps = readNumber(options, 'steps', 300);
  const testCount = readNumber(options, 'test-count', 10000);
  const { batchSize, seeds, methods, tag, laptop: recipe } = readSweepOptions(options);
  const backendOrder = readList(options, 'backend', [
    'tfjs-node-gpu',
    'tfjs-node',
    'wasm',
    'cpu'
  ]) as BackendCandidate[];
  const backend = await selectBackend(backendOrder);
  const started = Date.now();
  const { train } = splitDigits(loadMnistDigits('train'), 500, 0);
  const test = loadMnistDigits('test');
  // 1% of the training digits carry masks (segment_fraction = 0.01), chosen with a separate seed.
  const labelledCount = Math.max(1, Math.floor(0.01 * train.count + 0.5));
  const labelledDigits = permute(train.count, new Random(1234)).slice(0, labelledCount);
  const testSet = generateTestSet(test, Math.min(testCount, test.count));
  const budgets =
    minutes.length > 0 ? { unit: 'minutes' as const, marks: minutes } : { unit: 'steps' as const, marks: [steps] };
  const data = { train, labelledSet: new Set(labelledDigits), labelledDigits, testSet };
  const segmentationOnlyAbsent = readNumber(options, 'seg-only-absent', 0);
  const replicas = backend.candidate === 'wasm' ? readNumber(options, 'replicas', 1) : 1;
  const results: RunResult[] = [];
  for (const seed of seeds) {
    for (const method of methods) {
      const settings = { method, seed, batchSize, preset, recipe, budgets, segmentationOnlyAbsent, replicas };
      const result = await trainAndEvaluate(settings, data);
      results.push(result);
    }
  }
  const summary = printTable(results, methods, budgets.unit);
  const report = {
    bench: 'mnist',
    preset,
    budgets,
    batch: `${batchSize}+${batchSize}`,
    replicas,
    seeds,
    labelledDigits: labelledCount,
    trainingDigits: train.count,
    testCount: testSet.count,
    laptopRecipe: recipe,
    segmentationOnlyAbsent,
    backend: backend.candidate,
    wallSeconds: (Date.now() - started) / 1000,
    summary,
    runs: results,
    date: new Date().toISOString()
  };
  const folder = resultsFolder;
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `mnist-${tag}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`\nJSON: ${file}`);
  if (budgets.unit === 'minutes') {
    const series = methods.map((method) => ({
      name: names[method],
      points: results
        .filter((r) => r.method === method)
        .flatMap((r) => r.marks.map((m) => ({ x: m.budget, y: m.softDice })))
    }));
    const title = `Cluttered MNIST 48×48, 1% masks, ${preset} preset, ${backend.candidate}: test Dice against training time`;
    const written = await renderSweepPlot(join(folder, `mnist-${tag}`), title, 'training minutes', series);
    console.log(`Plot: ${written.join(', ')}`);
  }
}

/**
 * Joins the JSON of runs made separately (for example one process per core, each pinned with taskset) into one table
 * and one plot: npm run bench -- mnist --merge tagA,tagB --tag NAME.
 */
async function mergeReports(tags: string[], tag: string): Promise<void> {
  const folder = resultsFolder;
  const reports = readReports<{
    runs: RunResult[];
    budgets: { unit: 'minutes' | 'steps' };
    preset: string;
    backend: string;
  }>('mnist', tags);
  const runs = reports.flatMap((report) => report.runs);
  const methods = [...new Set(runs.map((run) => run.method))];
  const unit = reports[0]!.budgets.unit;
  const summary = printTable(runs, methods, unit);
  writeFileSync(
    join(folder, `mnist-${tag}.json`),
    JSON.stringify({ bench: 'mnist', merged: tags, reports, summary }, null, 2)
  );
  const series = methods.map((method) => ({
    name: names[method],
    points: runs.filter((r) => r.method === method).flatMap((r) => r.marks.map((m) => ({ x: m.budget, y: m.softDice })))
  }));
  const title = `Cluttered MNIST 48×48, 1% masks, ${reports[0]!.preset} preset, ${reports[0]!.backend}: test Dice against training ${unit}`;
  const written = await renderSweepPlot(join(folder, `mnist-${tag}`), title, `training ${unit}`, series);
  console.log(`\nJSON: ${join(folder, `mnist-${tag}.json`)}\nPlot: ${written.join(', ')}`);
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
  method: Method;
  seed: number;
  batchSize: number;
  preset: PresetName;
  recipe: TrainingRecipe;
  budgets: { unit: 'minutes' | 'steps'; marks: number[] };
  /** Ablation: absent images with empty masks per segmentation-only batch, as a fraction of the batch. */
  segmentationOnlyAbsent: number;
  /** Data-parallel replicas (1: one trainer on this thread). */
  replicas: number;
}

interface BenchData {
  train: DigitSet;
  labelledSet: Set<number>;
  labelledDigits: number[];
  testSet: TestSet;
}

async function trainAndEvaluate(run: RunSettings, data: BenchData): Promise<RunResult> {
  const model = modelOf[run.method];
  const trainerOptions = { model, preset: run.preset, family: 'mnist48' as const, height: size, width: size, channels: 1, seed: run.seed };
  const trainer = await createTrainerOn({ parallel: run.replicas > 1 ? { replicas: run.replicas, threadsPerReplica: 1 } : null }, trainerOptions);
  const recipe = run.method === 'genseg' ? run.recipe : run.method === 'genseg-paper' ? resolveRecipe('paper') : null;
  const random = new Random(run.seed * 7919);
  const marks: Mark[] = [];
  const pending = [...run.budgets.marks].sort((a, b) => a - b);
  let labelledSeen = 0;
  let trainSeconds = 0;
  const reached = (budget: number) =>
    run.budgets.unit === 'minutes' ? trainSeconds >= budget * 60 : trainer.stepCount >= budget;
  while (pending.length > 0) {
    const plan = recipe ? planStep(recipe, trainer.stepCount) : undefined;
    let batch: TrainingBatch;
    if (model === 'segmentation-only' || plan?.kind === 'segmentation') {
      // Absent images with empty masks: GenSeg's recipe share, or the ablation that gives them to segmentation-only.
      const absent = recipe
        ? absentPerSegmentationBatch(recipe, run.batchSize)
        : Math.round(run.segmentationOnlyAbsent * run.batchSize);
      batch = sampleBatch(data, data.labelledDigits.length, run.batchSize, false, random, absent);
    } else {
      const labelled = recipe ? labelledPerJointBatch(recipe, run.batchSize) : 0;
      batch = sampleBatch(data, labelled, run.batchSize, true, random);
    }
    labelledSeen += batch.labelled.filter(Boolean).length;
    const start = performance.now();
    await trainer.trainStep(batch, plan);
    trainSeconds += (performance.now() - start) / 1000;
    while (pending.length > 0 && reached(pending[0]!)) {
      const budget = pending.shift()!;
      const dice = await evaluate(trainer, data.testSet);
      marks.push({ budget, steps: trainer.stepCount, trainSeconds, labelledSeen, ...dice });
      console.log(
        `${names[run.method]} seed ${run.seed} at ${budget} ${run.budgets.unit}: test soft Dice ${dice.softDice.toFixed(3)}, hard ${dice.hardDice.toFixed(3)} (${trainer.stepCount} steps, ${trainSeconds.toFixed(0)} s, ${labelledSeen} labelled samples seen)`
      );
    }
  }
  trainer.dispose();
  return { method: run.method, seed: run.seed, marks };
}

/**
 * A batch: `labelled` samples drawn from the labelled digits (all of them when it equals their count, the
 * labelled-only sampler), the rest uniform over the training digits; absence images when `withAbsence`.
 */
function sampleBatch(
  data: BenchData,
  labelled: number,
  count: number,
  withAbsence: boolean,
  random: Random,
  absentAsEmptyMasks = 0
): TrainingBatch {
  const onlyLabelled = labelled >= data.labelledDigits.length;
  const total = count + absentAsEmptyMasks;
  const imagesA = new Float32Array(total * size * size);
  const imagesB = new Float32Array(withAbsence ? count * size * size : 0);
  const masksA = new Float32Array(total * size * size);
  const flags: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const fromLabelled = onlyLabelled || i < labelled;
    const digit = fromLabelled
      ? data.labelledDigits[Math.floor(random.next() * data.labelledDigits.length)]
      : undefined;
    const sample = generateSample(data.train, paperClutter, random, digit);
    imagesA.set(sample.presence, i * size * size);
    if (withAbsence) imagesB.set(sample.absence, i * size * size);
    const isLabelled = data.labelledSet.has(sample.digitIndex);
    if (isLabelled) masksA.set(sample.mask, i * size * size);
    flags.push(isLabelled);
  }
  // Absence images as labelled samples with an empty mask (their mask rows stay 0).
  for (let i = count; i < total; i++) {
    imagesA.set(generateSample(data.train, paperClutter, random).absence, i * size * size);
    flags.push(true);
  }
  return { imagesA, imagesB, masksA, labelled: flags };
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

function printTable(results: RunResult[], methods: Method[], unit: string): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  const budgets = [...new Set(results.flatMap((r) => r.marks.map((m) => m.budget)))].sort((a, b) => a - b);
  console.log(
    `\nmethod                  ${unit.padStart(7)}  steps (mean)  seeds  test soft Dice   test hard Dice   paper (1% labels)`
  );
  for (const method of methods) {
    const rows: Record<string, unknown> = {};
    for (const budget of budgets) {
      const marks = results
        .filter((r) => r.method === method)
        .flatMap((r) => r.marks.filter((m) => m.budget === budget));
      if (marks.length === 0) continue;
      const soft = describe(marks.map((m) => m.softDice));
      const hard = describe(marks.map((m) => m.hardDice));
      const stepsMean = describe(marks.map((m) => m.steps)).mean;
      rows[String(budget)] = { softDice: soft, hardDice: hard, steps: stepsMean, seeds: marks.length };
      console.log(
        `${names[method].padEnd(23)} ${String(budget).padStart(7)}  ${stepsMean.toFixed(0).padStart(12)}  ${String(marks.length).padStart(5)}  ${format(soft).padStart(14)}   ${format(hard).padStart(14)}   ${paperRow[method].toFixed(2)}`
      );
    }
    summary[method] = { byBudget: rows, paper: paperRow[method] };
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
