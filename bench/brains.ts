/**
 * GenSeg against its baselines on the demo's brains (the shipped sample brains with synthetic lesions, tagged and with
 * a few drawn masks exactly as `npm run demo` builds them), at equal wall time. The project is built once per
 * invocation and its train/validation split follows the volumes' random ids, so compare methods within one invocation
 * (`--models a,b`): two invocations train on different splits.
 * Training uses the product's own data path (buildTrainingSet: per-volume normalisation, aspect-kept fitting, the
 * stable split by volume, augmentation) and the same batch/plan choice as the training job; evaluation predicts every
 * slice of every scan and compares with the exact lesion masks in the model's input grid.
 *   npm run bench -- brains --minutes 2,5,10 [--mask-fraction 0.03] [--size 96] [--batch 8] [--seeds 1]
 *                           [--models genseg,genseg-paper,segmentation-only,ae-segmentation] [--tag NAME]
 *   laptop-recipe overrides: [--warm N] [--seg-per-joint N] [--joint-labelled F] [--joint-seg-weight W]
 *   [--seg-absent F[,F…]]: slices tagged absent added to each segmentation batch as empty masks, as a fraction of the
 *     batch; with a list, GenSeg (laptop recipe) and segmentation-only run once per value on the same split, so
 *     `--seg-absent 0,0.5` pairs each method with and without them.
 *   npm run bench -- brains --merge tagA,tagB[,…] --tag NAME: one table and plot of runs made separately
 * Prints a table (hard Dice pooled over lesion scans, mean per-scan Dice, false-alarm pixels per healthy scan) and
 * writes bench/results/brains-<tag>.json with a plot of Dice against training minutes.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppCore } from '../main/app';
import { prepareDemoProject } from '../main/demo/runDemo';
import { selectBackend } from '../main/training/backend/selectBackend';
import { BatchSampler, buildTrainingSet, createVolumeSlicer, fitMask, paperAugmentation } from '../main/training/data';
import { openProjectData } from '../main/training/job/runTrainingJob';
import {
  absentPerSegmentationBatch,
  createTrainer,
  labelledPerJointBatch,
  nextTrainingStep,
  resolveRecipe,
  type TrainingMethod,
  type Trainer,
  type TrainingRecipe
} from '../main/training/index';
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
const names = benchMethodNames;

interface EvaluationScan {
  hasLesion: boolean;
  images: Float32Array[];
  truth: Float32Array[];
}

interface Scores {
  pooledDice: number;
  meanDice: number;
  falsePixelsPerHealthyScan: number;
}

interface BrainsRun {
  method: Method;
  /** The method with its share of absent slices, as the table and the plot name it. */
  variant: string;
  absentFraction: number;
  seed: number;
  marks: ({ minutes: number; steps: number } & Scores)[];
}

export default async function runBrainsBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  if (options.has('merge')) return mergeReports(readList(options, 'merge', []), options.get('tag') ?? 'merged');
  const minutes = readList(options, 'minutes', ['2', '5'])
    .map(Number)
    .sort((a, b) => a - b);
  const maskFraction = readNumber(options, 'mask-fraction', 0.03);
  const size = readNumber(options, 'size', 96);
  const { batchSize, seeds, methods, tag, laptop } = readSweepOptions(options);
  const absentFractions = readList(options, 'seg-absent', [String(laptop.absentFractionPerSegmentationBatch)]).map(
    Number
  );
  const variants = methods.flatMap((method): { method: Method; absent: number }[] =>
    method === 'genseg' || method === 'segmentation-only'
      ? absentFractions.map((absent) => ({ method, absent }))
      : [{ method, absent: 0 }]
  );
  const variantName = ({ method, absent }: { method: Method; absent: number }) =>
    absentFractions.length > 1 || absent > 0 ? `${names[method]} + absent ${absent}` : names[method];
  const backend = await selectBackend();
  const folder = mkdtempSync(join(tmpdir(), 'genseg-bench-brains-'));
  const core = createAppCore({
    workspaceFolder: join(folder, 'workspace'),
    logger: { info: () => {}, error: () => {} }
  });
  try {
    const demo = await prepareDemoProject(core, { outFolder: folder, maskFraction });
    const source = await openProjectData(demo.project.folder);
    const set = await buildTrainingSet(source, size, size);
    const scans: EvaluationScan[] = [];
    for (const [index, volumeId] of demo.volumeIds.entries()) {
      const record = (await source.store.volumes.get(volumeId))!;
      const slicer = await createVolumeSlicer(source, record, size, size);
      const [columns, rows, slices] = record.dimensions;
      const truth = demo.cases[index]!.truth;
      scans.push({
        hasLesion: demo.cases[index]!.hasLesion,
        images: Array.from({ length: slices }, (_, k) => slicer.image(k)),
        truth: Array.from({ length: slices }, (_, k) =>
          fitMask(truth.subarray(k * columns * rows, (k + 1) * columns * rows), slicer.fit)
        )
      });
    }
    await source.store.close();
    console.log(
      `Demo brains: ${demo.cases.length} scans, ${demo.tumourSlices} tumour slices, ${demo.drawn.length} drawn masks (${((100 * demo.drawn.length) / demo.tumourSlices).toFixed(1)} %); training data ${JSON.stringify(set.snapshot)}; backend ${backend.candidate}`
    );
    const runs: BrainsRun[] = [];
    for (const seed of seeds) {
      for (const variant of variants) {
        const { method, absent } = variant;
        const recipe =
          method === 'genseg-paper'
            ? resolveRecipe('paper')
            : { ...laptop, absentFractionPerSegmentationBatch: absent };
        const model: TrainingMethod = method === 'genseg-paper' ? 'genseg' : method;
        const trainer = createTrainer({ model, preset: 'cpu', height: size, width: size, channels: 1, seed });
        const sampler = new BatchSampler(set.train, size, size, {
          batchSize,
          minimumLabelledPerBatch: labelledPerJointBatch(recipe, batchSize),
          augmentation: paperAugmentation(size),
          seed
        });
        const marks = await trainWithMarks(trainer, model, recipe, sampler, minutes, scans, (line) =>
          console.log(`${variantName(variant)} seed ${seed} ${line}`)
        );
        runs.push({ method, variant: variantName(variant), absentFraction: absent, seed, marks });
        trainer.dispose();
      }
    }
    printTable(runs, minutes);
    const results = resultsFolder;
    mkdirSync(results, { recursive: true });
    const report = {
      bench: 'brains',
      minutes,
      maskFraction,
      drawnMasks: demo.drawn.length,
      tumourSlices: demo.tumourSlices,
      size,
      batch: batchSize,
      preset: 'cpu',
      laptopRecipe: laptop,
      snapshot: set.snapshot,
      backend: backend.candidate,
      runs,
      date: new Date().toISOString()
    };
    writeFileSync(join(results, `brains-${tag}.json`), JSON.stringify(report, null, 2));
    const title = `Demo brains, ${demo.drawn.length} drawn masks (${((100 * demo.drawn.length) / demo.tumourSlices).toFixed(1)} % of tumour slices), ${size}×${size}, cpu preset: pooled Dice`;
    const written = await plotRuns(join(results, `brains-${tag}`), title, runs);
    console.log(`\nJSON: ${join(results, `brains-${tag}.json`)}\nPlot: ${written.join(', ')}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Mean over seeds of each variant at each budget: steps, pooled Dice, mean Dice, false pixels per healthy scan. */
function printTable(runs: BrainsRun[], minutes: number[]): void {
  console.log(
    '\nmethod                                minutes  seeds   steps   pooled Dice   mean Dice   false pixels / healthy scan'
  );
  for (const variant of [...new Set(runs.map((run) => run.variant))]) {
    for (const budget of minutes) {
      const marks = runs
        .filter((r) => r.variant === variant)
        .flatMap((r) => r.marks.filter((m) => m.minutes === budget));
      const mean = (pick: (m: (typeof marks)[number]) => number) =>
        marks.reduce((sum, m) => sum + pick(m), 0) / marks.length;
      console.log(
        [
          variant.padEnd(36),
          String(budget).padStart(8),
          String(marks.length).padStart(6),
          mean((m) => m.steps)
            .toFixed(0)
            .padStart(7),
          mean((m) => m.pooledDice)
            .toFixed(3)
            .padStart(13),
          mean((m) => m.meanDice)
            .toFixed(3)
            .padStart(11),
          mean((m) => m.falsePixelsPerHealthyScan)
            .toFixed(0)
            .padStart(12)
        ].join(' ')
      );
    }
  }
}

function plotRuns(path: string, title: string, runs: BrainsRun[]): Promise<string[]> {
  const series = [...new Set(runs.map((run) => run.variant))].map((variant) => ({
    name: variant,
    points: runs
      .filter((r) => r.variant === variant)
      .flatMap((r) => r.marks.map((m) => ({ x: m.minutes, y: m.pooledDice })))
  }));
  return renderSweepPlot(path, title, 'training minutes', series);
}

/**
 * Joins runs made by separate invocations (one per core, or one per seed) into one table and one plot:
 * npm run bench -- brains --merge tagA,tagB --tag NAME. Each invocation draws its own split, so each seed's methods
 * are paired with each other, not across invocations.
 */
async function mergeReports(tags: string[], tag: string): Promise<void> {
  const folder = resultsFolder;
  const reports = readReports<{
    minutes: number[];
    drawnMasks: number;
    tumourSlices: number;
    size: number;
    runs: BrainsRun[];
  }>('brains', tags);
  const runs = reports.flatMap((report) => report.runs);
  const minutes = [...new Set(reports.flatMap((report) => report.minutes))].sort((a, b) => a - b);
  printTable(runs, minutes);
  writeFileSync(
    join(folder, `brains-${tag}.json`),
    JSON.stringify({ bench: 'brains', merged: tags, reports }, null, 2)
  );
  const { drawnMasks, tumourSlices, size } = reports[0]!;
  const title = `Demo brains, ${drawnMasks} drawn masks (${((100 * drawnMasks) / tumourSlices).toFixed(1)} % of tumour slices), ${size}×${size}, cpu preset, ${reports.length} splits: pooled Dice`;
  const written = await plotRuns(join(folder, `brains-${tag}`), title, runs);
  console.log(`\nJSON: ${join(folder, `brains-${tag}.json`)}\nPlot: ${written.join(', ')}`);
}

async function trainWithMarks(
  trainer: Trainer,
  model: TrainingMethod,
  recipe: TrainingRecipe,
  sampler: BatchSampler,
  minutes: number[],
  scans: EvaluationScan[],
  log: (line: string) => void
): Promise<({ minutes: number; steps: number } & Scores)[]> {
  const pending = [...minutes];
  const marks: ({ minutes: number; steps: number } & Scores)[] = [];
  let seconds = 0;
  while (pending.length > 0) {
    // Segmentation-only is the paper's baseline (labelled slices only) unless the run gives it absent slices too.
    const absent = absentPerSegmentationBatch(recipe, sampler.batchSize);
    const { batch, plan } =
      model === 'segmentation-only' && absent > 0
        ? { batch: sampler.nextLabelledBatch(absent), plan: undefined }
        : nextTrainingStep(model, recipe, trainer.stepCount, sampler);
    const start = performance.now();
    await trainer.trainStep(batch, plan);
    seconds += (performance.now() - start) / 1000;
    while (pending.length > 0 && seconds >= pending[0]! * 60) {
      const budget = pending.shift()!;
      const scores = await evaluate(trainer, scans);
      marks.push({ minutes: budget, steps: trainer.stepCount, ...scores });
      log(
        `at ${budget} min: pooled Dice ${scores.pooledDice.toFixed(3)}, mean ${scores.meanDice.toFixed(3)}, ${scores.falsePixelsPerHealthyScan.toFixed(0)} false pixels per healthy scan (${trainer.stepCount} steps)`
      );
    }
  }
  return marks;
}

async function evaluate(trainer: Trainer, scans: EvaluationScan[]): Promise<Scores> {
  let overlap = 0;
  let total = 0;
  let falsePixels = 0;
  let healthy = 0;
  const dices: number[] = [];
  for (const scan of scans) {
    let both = 0;
    let sum = 0;
    for (let start = 0; start < scan.images.length; start += 32) {
      const chunk = scan.images.slice(start, start + 32);
      const pixels = chunk[0]!.length;
      const input = new Float32Array(chunk.length * pixels);
      chunk.forEach((image, index) => input.set(image, index * pixels));
      const probabilities = await trainer.predict(input);
      for (let index = 0; index < chunk.length; index += 1) {
        const truth = scan.truth[start + index]!;
        for (let pixel = 0; pixel < pixels; pixel += 1) {
          const predicted = probabilities[index * pixels + pixel]! > 0.5 ? 1 : 0;
          both += predicted * truth[pixel]!;
          sum += predicted + truth[pixel]!;
        }
      }
    }
    if (scan.hasLesion) {
      overlap += both;
      total += sum;
      dices.push(sum === 0 ? 1 : (2 * both) / sum);
    } else {
      falsePixels += sum;
      healthy += 1;
    }
  }
  return {
    pooledDice: total === 0 ? 1 : (2 * overlap) / total,
    meanDice: dices.reduce((a, b) => a + b, 0) / Math.max(1, dices.length),
    falsePixelsPerHealthyScan: falsePixels / Math.max(1, healthy)
  };
}
