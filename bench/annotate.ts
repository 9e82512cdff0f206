/**
 * A simulated annotator on the demo's brains (truth known): held-out Dice against annotation minutes, for two
 * policies and two methods, with the model training in the background at a fixed compute budget (issue 17, item 3).
 *
 *   npm run bench -- annotate [--minutes 30] [--seeds 1,2,3] [--size 48] [--preset tiny] [--batch 8]
 *                             [--steps-per-minute 40] [--version-minutes 3] [--eval-minutes 2]
 *                             [--policies suggest,random] [--methods genseg,segmentation-only]
 *                             [--tag-seconds 3] [--range-seconds 10] [--mask-seconds 30] [--review-seconds 5]
 *                             [--accept-dice 0.7] [--extra-sets 1] [--held-out-sets 1] [--sequence FLAIR]
 *                             [--out PATH]
 *
 * The cases: the demo's twelve (four shipped brains, each healthy and with two synthetic lesions) plus `--extra-sets`
 * more lesion scans per brain drawn with other seeds of the demo's lesion generator (the pool the annotator works on),
 * and `--held-out-sets` further lesion sets that nobody annotates: the Dice is measured on those only, pooled over all
 * their slices (a proposal painted on a healthy slice of a lesion scan counts against it). With `--sequence NAME` (T1,
 * T1c, T2 or FLAIR) the cases are the multi-sequence demo's (main/demo/multiSequenceBrain.ts: lesions with a core, an
 * enhancing ring and oedema), each imported as that one sequence: lesions a model can learn to find on scans nobody drew
 * on, where the single-sequence demo's faint lesions are not found at this budget (docs/results/annotate-96-*.json).
 *
 * The annotator works on a real project through the app's own functions (tagScan, setTumourRanges, saveMaskSlices,
 * acceptProposal, rejectProposal) and answers from the truth:
 *   - suggest: takes the top entry of the app's `suggestNext` each time (its costs are the bench's costs). A review
 *     accepts each proposed slice whose Dice with the truth is at least --accept-dice, rejects the rest (marking
 *     slices without tumour absent), and costs what suggestNext says (the review cost per undecided slice).
 *   - random: tags every scan in import order, then draws masks on tumour slices picked uniformly at random.
 * Training runs "in the background" on a clock that is the annotator's, not the machine's: every simulated minute the
 * model takes exactly --steps-per-minute training steps on the data saved by then (the data set is rebuilt from the
 * store when it changed), so every arm gets the same compute whatever the machine's load (docs/decisions.md, entry
 * "suggest"). Steps that find no usable data (no mask yet) are forfeited, as a background job would idle. Every
 * --version-minutes the suggest policy's model publishes a model version with its held-out Dice on the project's own
 * validation scans and proposals for every scan without a drawn mask, as continuous training does.
 * The target (issue 17): the Dice that random-order masking with segmentation-only reaches at 30 minutes, reached by
 * the suggestions with GenSeg in 10 minutes or fewer. Writes JSON and a plot (default bench/results/annotate-<time>).
 *   npm run bench -- annotate --replot PATH [--merge OTHER[,OTHER…]]: the table, crossing points and plot again from
 *   PATH.json (a run that was stopped keeps the arms it finished there); with --merge, the runs of OTHER.json (other
 *   seeds run as separate processes) are joined into PATH.json first.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { acceptProposal, recordProposal, rejectProposal, saveMaskSlices, setSliceStates, setTumourRanges, tagScan } from '../main/annotation';
import { createAppCore } from '../main/app';
import { Random, createId } from '../main/common';
import type { AnnotationCosts } from '../main/contract';
import type { ProjectStore, VolumeRecord } from '../main/db';
import { buildDemoCases, lesionSlices, sampleBrainsFolder, type DemoCase } from '../main/demo/buildDemoCases';
import { syntheticSequences, type SyntheticSequence } from '../main/demo/multiSequenceBrain';
import { suggestNext } from '../main/inference';
import { addImportedVolume, type Project } from '../main/project';
import { selectBackend } from '../main/training/backend/selectBackend';
import { BatchSampler, buildTrainingSet, createVolumeSlicer, fitMask, paperAugmentation, type TrainingSet } from '../main/training/data';
import {
  computeDice,
  createTrainer,
  labelledPerJointBatch,
  nextTrainingStep,
  openProjectData,
  predictSlices,
  proposeVolume,
  resolveRecipe,
  type PresetName,
  type Trainer,
  type TrainingMethod
} from '../main/training/index';
import { parseOptions, readList, readNumber } from './training/options';
import { resultsFolder } from './training/reports';
import { renderSweepPlot } from './training/sweepPlot';

type Policy = 'suggest' | 'random';

interface PoolScan {
  demo: DemoCase;
  record: VolumeRecord;
  tumourSlices: number[];
}

interface HeldOutScan {
  images: Float32Array[];
  truth: Float32Array[];
}

interface Mark {
  minute: number;
  dice: number;
  steps: number;
  forfeitedSteps: number;
  masks: number;
  actions: Record<string, number>;
}

interface ArmRun {
  policy: Policy;
  method: TrainingMethod;
  seed: number;
  marks: Mark[];
  /** The annotator's actions in order: minute started, kind, seconds. */
  log: { at: number; kind: string; seconds: number }[];
}

interface Settings {
  minutes: number;
  size: number;
  preset: PresetName;
  batch: number;
  stepsPerMinute: number;
  versionMinutes: number;
  evalMinutes: number;
  costs: AnnotationCosts;
  acceptDice: number;
  /** The multi-sequence demo's cases, imported as this one sequence (--sequence). */
  sequence?: SyntheticSequence;
}

const armName = (policy: Policy, method: TrainingMethod) =>
  `${policy === 'suggest' ? 'suggestions' : 'import order, random masks'} · ${method === 'genseg' ? 'GenSeg' : 'segmentation-only'}`;

export default async function runAnnotateBench(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const replot = options.get('replot');
  if (replot) return plotReport(resolve(replot), readList(options, 'merge', []).map((other) => resolve(other)));
  const settings: Settings = {
    minutes: readNumber(options, 'minutes', 30),
    size: readNumber(options, 'size', 48),
    preset: (options.get('preset') ?? 'tiny') as PresetName,
    batch: readNumber(options, 'batch', 8),
    stepsPerMinute: readNumber(options, 'steps-per-minute', 40),
    versionMinutes: readNumber(options, 'version-minutes', 3),
    evalMinutes: readNumber(options, 'eval-minutes', 2),
    costs: {
      tagScan: readNumber(options, 'tag-seconds', 3),
      markRange: readNumber(options, 'range-seconds', 10),
      drawMaskSlice: readNumber(options, 'mask-seconds', 30),
      reviewProposalSlice: readNumber(options, 'review-seconds', 5)
    },
    acceptDice: readNumber(options, 'accept-dice', 0.7)
  };
  const seeds = readList(options, 'seeds', ['1', '2', '3']).map(Number);
  const policies = readList(options, 'policies', ['suggest', 'random']) as Policy[];
  const methods = readList(options, 'methods', ['genseg', 'segmentation-only']) as TrainingMethod[];
  const extraSets = readNumber(options, 'extra-sets', 1);
  const heldOutSets = readNumber(options, 'held-out-sets', 1);
  const sequence = options.get('sequence') as SyntheticSequence | undefined;
  if (sequence !== undefined && !syntheticSequences.includes(sequence)) throw new Error(`--sequence: one of ${syntheticSequences.join(', ')}`);
  if (sequence !== undefined) settings.sequence = sequence;
  const buildCases = async (seed: number) =>
    sequence === undefined
      ? buildDemoCases(seed)
      : (await buildDemoCases(seed, sampleBrainsFolder, { sequences: true })).map((c) => ({ ...c, volume: c.sequences![sequence] }));
  const out = resolve(options.get('out') ?? join(resultsFolder, `annotate-${Date.now()}`));
  const started = performance.now();

  const backend = await selectBackend();
  const folder = mkdtempSync(join(tmpdir(), 'genseg-bench-annotate-'));
  const core = createAppCore({ workspaceFolder: join(folder, 'workspace'), logger: { info: () => {}, error: () => {} } });
  try {
    // The demo's cases (seed 7), then lesion sets from further seeds: healthy scans would repeat the same four brains.
    const pool = await buildCases(7);
    for (let set = 1; set <= extraSets; set += 1) pool.push(...(await buildCases(7 + set)).filter((c) => c.hasLesion));
    const heldOutCases: DemoCase[] = [];
    for (let set = 1; set <= heldOutSets; set += 1) heldOutCases.push(...(await buildCases(1000 + set)).filter((c) => c.hasLesion));
    const project = await core.workspace.getProject((await core.workspace.createProject('annotate bench')).id);
    const scans: PoolScan[] = [];
    for (const demo of pool) {
      const record = await importCase(project, demo);
      scans.push({ demo, record, tumourSlices: lesionSlices(demo.truth, record.dimensions) });
    }
    const heldOut = await prepareHeldOut(core, heldOutCases, settings.size);
    const tumourSlices = scans.reduce((sum, scan) => sum + scan.tumourSlices.length, 0);
    console.log(
      `Pool${sequence ? ` (multi-sequence cases, ${sequence} only)` : ''}: ${scans.length} scans (${scans.filter((s) => s.demo.hasLesion).length} with a lesion, ${tumourSlices} tumour slices); held out: ${heldOut.length} lesion scans nobody annotates; ${settings.preset} preset, ${settings.size}×${settings.size}, batch ${settings.batch}, ${settings.stepsPerMinute} steps per annotation minute; backend ${backend.candidate}`
    );
    const runs: ArmRun[] = [];
    const writeReport = (partial: boolean) => {
      mkdirSync(dirname(out), { recursive: true });
      const report = {
        bench: 'annotate',
        partial,
      command: `npm run bench -- annotate ${args.join(' ')}`.trim(),
      settings,
      seeds,
      pool: { scans: scans.length, lesionScans: scans.filter((s) => s.demo.hasLesion).length, tumourSlices, extraSets },
      heldOut: { lesionScans: heldOut.length, sets: heldOutSets },
      backend: backend.candidate,
      wallMinutes: (performance.now() - started) / 60000,
        summary: summarise(runs, settings.minutes),
        runs,
        date: new Date().toISOString()
      };
      writeFileSync(`${out}.json`, JSON.stringify(report, null, 2));
    };
    for (const seed of seeds) {
      for (const policy of policies) {
        for (const method of methods) {
          await resetAnnotations(project.store);
          const armStart = performance.now();
          const run = await simulate(project, scans, heldOut, { policy, method, seed, settings }, (line) =>
            console.log(`${armName(policy, method)} seed ${seed} ${line}`)
          );
          console.log(`  (${((performance.now() - armStart) / 60000).toFixed(1)} min wall)`);
          runs.push(run);
          // What is done so far survives an interrupted run.
          writeReport(true);
        }
      }
    }
    writeReport(false);
    await plotReport(out);
  } finally {
    await core.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Prints the summary of `<path>.json` and draws its curves (mean over seeds, each seed's point) to `<path>.png`. */
async function plotReport(path: string, merge: string[] = []): Promise<void> {
  const base = path.replace(/\.json$/, '');
  type Report = { settings: Settings; runs: ArmRun[]; heldOut: { lesionScans: number }; partial: boolean; merged?: object[] };
  const read = (file: string) => JSON.parse(readFileSync(`${file.replace(/\.json$/, '')}.json`, 'utf8')) as Report;
  const report = read(base);
  for (const other of merge.map(read)) {
    if (JSON.stringify(other.settings) !== JSON.stringify(report.settings)) throw new Error('--merge: the runs were made with other settings');
    const key = (run: ArmRun) => `${run.seed}:${run.policy}:${run.method}`;
    const have = new Set(report.runs.map(key));
    report.runs.push(...other.runs.filter((run) => !have.has(key(run))));
    const entry = JSON.stringify({ ...other, runs: undefined, summary: undefined });
    report.merged = [...(report.merged ?? []).filter((seen) => JSON.stringify(seen) !== entry), JSON.parse(entry) as object];
  }
  // Partial while some seed lacks an arm that another seed has.
  const arms = new Set(report.runs.map((run) => `${run.policy}:${run.method}`));
  report.partial = new Set(report.runs.map((run) => run.seed)).size * arms.size > report.runs.length;
  if (merge.length > 0) {
    writeFileSync(`${base}.json`, JSON.stringify({ ...report, summary: summarise(report.runs, report.settings.minutes) }, null, 2));
  }
  const { settings, runs } = report;
  printSummary(summarise(runs, settings.minutes));
  const seeds = new Set(runs.map((run) => run.seed)).size;
  const series = [...new Set(runs.map((run) => armName(run.policy, run.method)))].map((name) => ({
    name,
    points: runs.filter((run) => armName(run.policy, run.method) === name).flatMap((run) => run.marks.map((m) => ({ x: m.minute, y: m.dice })))
  }));
  const written = await renderSweepPlot(
    base,
    `Simulated annotator: held-out Dice (${report.heldOut.lesionScans} scans${settings.sequence ? `, ${settings.sequence}` : ''}), ${settings.preset} ${settings.size}², ${settings.stepsPerMinute} steps per annotation minute, ${seeds} seed${seeds === 1 ? '' : 's'}${report.partial ? ' (partial)' : ''}`,
    'annotation minutes',
    series,
    Math.min(1, Math.max(0.1, Math.ceil(Math.max(...runs.flatMap((run) => run.marks.map((m) => m.dice))) * 10) / 10))
  );
  console.log(`\nJSON: ${base}.json\nPlot: ${written.join(', ')}`);
}

async function importCase(project: Project, demo: DemoCase): Promise<VolumeRecord> {
  const summary = await addImportedVolume(
    project,
    { volume: demo.volume, description: { sourceFormat: 'nifti', sourceFiles: [join('resources', 'sample-brains', demo.source)], warnings: [] } },
    demo.name
  );
  return (await project.store.volumes.get(summary.id))!;
}

/** The held-out scans go into a project of their own (never annotated) so they are fitted exactly as training data is. */
async function prepareHeldOut(core: ReturnType<typeof createAppCore>, cases: DemoCase[], size: number): Promise<HeldOutScan[]> {
  const project = await core.workspace.getProject((await core.workspace.createProject('held out')).id);
  const source = await openProjectData(project.folder);
  const scans: HeldOutScan[] = [];
  for (const demo of cases) {
    const record = await importCase(project, demo);
    const slicer = await createVolumeSlicer(source, record, size, size);
    const [columns, rows, slices] = record.dimensions;
    scans.push({
      images: Array.from({ length: slices }, (_, k) => slicer.image(k)),
      truth: Array.from({ length: slices }, (_, k) => fitMask(demo.truth.subarray(k * columns * rows, (k + 1) * columns * rows), slicer.fit))
    });
  }
  await source.store.close();
  return scans;
}

/** Every arm starts from the same untouched project (same volume ids, so the same validation split). */
async function resetAnnotations(store: ProjectStore): Promise<void> {
  await store.database.transaction(async (tx) => {
    for (const table of ['proposals', 'mask_slice_history', 'mask_slices', 'slice_labels', 'scan_labels', 'model_versions', 'training_metrics', 'training_runs'])
      await tx.run(`DELETE FROM ${table}`);
  });
}

interface Action {
  kind: string;
  seconds: number;
  apply(): Promise<void>;
}

async function simulate(
  project: Project,
  scans: PoolScan[],
  heldOut: HeldOutScan[],
  arm: { policy: Policy; method: TrainingMethod; seed: number; settings: Settings },
  log: (line: string) => void
): Promise<ArmRun> {
  const { policy, method, seed, settings } = arm;
  const { size } = settings;
  const source = await openProjectData(project.folder);
  const store = project.store;
  const recipe = resolveRecipe('laptop');
  const trainer = createTrainer({ model: method, preset: settings.preset, height: size, width: size, channels: 1, seed });
  const random = new Random(seed);
  const byId = new Map(scans.map((scan) => [scan.record.id, scan]));
  const actions: Record<string, number> = {};
  const run: ArmRun = { policy, method, seed, marks: [], log: [] };
  let set: TrainingSet | null = null;
  let sampler: BatchSampler | null = null;
  let dirty = true;
  let refreshes = 0;
  let forfeited = 0;
  let modelDice: number | null = null;
  let minute = 0;

  const usable = (data: TrainingSet) => data.train.labelled.length > 0 && (method !== 'genseg' || data.train.absent.length > 0);
  const countMasks = async () => {
    let total = 0;
    for (const scan of scans) total += (await store.masks.listMaskedSliceIndices(scan.record.id)).length;
    return total;
  };

  /** One simulated minute of background training on the data saved so far; versions and evaluations on schedule. */
  const trainOneMinute = async () => {
    minute += 1;
    if (dirty) {
      set = await buildTrainingSet(source, size, size);
      sampler = usable(set)
        ? new BatchSampler(set.train, size, size, {
            batchSize: settings.batch,
            minimumLabelledPerBatch: labelledPerJointBatch(recipe, settings.batch),
            augmentation: paperAugmentation(size),
            seed: seed * 1000 + refreshes
          })
        : null;
      refreshes += 1;
      dirty = false;
    }
    for (let step = 0; step < settings.stepsPerMinute; step += 1) {
      if (!sampler) {
        forfeited += 1;
        continue;
      }
      // Segmentation-only is the strong baseline: given the absent slices the tags make, as GenSeg's segmentation steps are.
      const { batch, plan } = nextTrainingStep(method, recipe, trainer.stepCount, sampler, true);
      await trainer.trainStep(batch, plan);
    }
    if (policy === 'suggest' && minute % settings.versionMinutes === 0 && trainer.stepCount > 0 && set) {
      modelDice = await publishVersion(project, source, trainer, set, scans, method, settings.preset);
    }
    if (minute % settings.evalMinutes === 0 || minute === settings.minutes) await mark();
  };

  const mark = async () => {
    const dice = trainer.stepCount > 0 ? await heldOutDice(trainer, heldOut) : 0;
    const entry = { minute, dice, steps: trainer.stepCount, forfeitedSteps: forfeited, masks: await countMasks(), actions: { ...actions } };
    run.marks.push(entry);
    log(`at ${minute} min: held-out Dice ${dice.toFixed(3)} (${entry.steps} steps, ${forfeited} forfeited, ${entry.masks} mask slices, actions ${JSON.stringify(actions)})`);
  };

  await mark();
  let clock = 0;
  const horizon = settings.minutes * 60;
  const context: PolicyContext = { store, scans, byId, settings, random, modelDice: () => modelDice };
  const next = () => (policy === 'suggest' ? suggestedAction(context) : randomAction(context));
  while (clock < horizon) {
    const action = (await next()) ?? { kind: 'idle', seconds: 60, apply: async () => {} };
    const end = clock + action.seconds;
    run.log.push({ at: Math.round((clock / 60) * 100) / 100, kind: action.kind, seconds: action.seconds });
    // The model trains while the annotator works; the label reaches the store when the action is done.
    while (minute < Math.min(settings.minutes, Math.floor(end / 60))) await trainOneMinute();
    if (end > horizon) break;
    await action.apply();
    actions[action.kind] = (actions[action.kind] ?? 0) + 1;
    if (action.kind !== 'idle') dirty = true;
    clock = end;
  }
  while (minute < settings.minutes) await trainOneMinute();
  trainer.dispose();
  await source.store.close();
  return run;
}

interface PolicyContext {
  store: ProjectStore;
  scans: PoolScan[];
  byId: Map<string, PoolScan>;
  settings: Settings;
  random: Random;
  modelDice(): number | null;
}

/** The top entry of the app's suggestNext, done as the truth says. */
async function suggestedAction({ store, byId, settings, modelDice }: PolicyContext): Promise<Action | null> {
  const [top] = await suggestNext(store, { limit: 1, costs: settings.costs, modelDice: modelDice() });
  if (!top) return null;
  const scan = byId.get(top.volumeId)!;
  const record = scan.record;
  const seconds = top.seconds;
  switch (top.kind) {
    case 'tag-scan':
      return { kind: top.kind, seconds, apply: () => tagScan(store, record, scan.demo.hasLesion ? 'present' : 'absent') };
    case 'mark-range':
      return {
        kind: top.kind,
        seconds,
        apply: () => setTumourRanges(store, record, [{ first: scan.tumourSlices[0]!, last: scan.tumourSlices.at(-1)! }])
      };
    case 'draw-mask':
      return { kind: top.kind, seconds, apply: () => drawTruth(store, scan, top.sliceIndex!) };
    case 'review-proposal':
      return { kind: top.kind, seconds, apply: () => reviewLiveProposal(store, scan, settings.acceptDice) };
  }
}

/** Import order: tag every scan, then a mask on a tumour slice drawn at random. */
async function randomAction({ store, scans, settings, random }: PolicyContext): Promise<Action | null> {
  for (const scan of scans) {
    if ((await store.sliceLabels.getScanLabel(scan.record.id)).state === 'unknown') {
      return { kind: 'tag-scan', seconds: settings.costs.tagScan, apply: () => tagScan(store, scan.record, scan.demo.hasLesion ? 'present' : 'absent') };
    }
  }
  const candidates: { scan: PoolScan; sliceIndex: number }[] = [];
  for (const scan of scans) {
    const masked = new Set(await store.masks.listMaskedSliceIndices(scan.record.id));
    for (const sliceIndex of scan.tumourSlices) if (!masked.has(sliceIndex)) candidates.push({ scan, sliceIndex });
  }
  if (candidates.length === 0) return null;
  const { scan, sliceIndex } = candidates[random.integer(candidates.length)]!;
  return { kind: 'draw-mask', seconds: settings.costs.drawMaskSlice, apply: () => drawTruth(store, scan, sliceIndex) };
}

/** The annotator draws the truth on one slice (a slice without tumour is marked absent instead). */
async function drawTruth(store: ProjectStore, scan: PoolScan, sliceIndex: number): Promise<void> {
  const [columns, rows] = scan.record.dimensions;
  const labels = scan.demo.truth.slice(sliceIndex * columns * rows, (sliceIndex + 1) * columns * rows);
  if (labels.some((value) => value !== 0)) {
    await saveMaskSlices(store, scan.record, [{ sliceIndex, labels }], { provenance: 'user', author: 'simulated annotator' });
  } else {
    await setSliceStates(store, scan.record, [sliceIndex], 'absent');
  }
}

/** Accepts the proposed slices that match the truth well enough, rejects the others (absent where no tumour is). */
async function reviewLiveProposal(store: ProjectStore, scan: PoolScan, acceptDice: number): Promise<void> {
  const proposal = (await store.proposals.listForVolume(scan.record.id)).find((p) => p.status === 'pending');
  if (!proposal) return;
  const [columns, rows] = scan.record.dimensions;
  const sliceSize = columns * rows;
  const masked = new Set(await store.masks.listMaskedSliceIndices(scan.record.id));
  const accept: number[] = [];
  const rejectAbsent: number[] = [];
  const reject: number[] = [];
  proposal.sliceAreas.forEach((area, sliceIndex) => {
    if (area <= 0 || proposal.reviewedSlices[sliceIndex] !== undefined || masked.has(sliceIndex)) return;
    let both = 0;
    let sum = 0;
    let truthPixels = 0;
    for (let pixel = sliceIndex * sliceSize; pixel < (sliceIndex + 1) * sliceSize; pixel += 1) {
      const truth = scan.demo.truth[pixel]! ? 1 : 0;
      const proposed = proposal.labels[pixel]! ? 1 : 0;
      both += truth * proposed;
      sum += truth + proposed;
      truthPixels += truth;
    }
    if (truthPixels === 0) rejectAbsent.push(sliceIndex);
    else if ((2 * both) / sum >= acceptDice) accept.push(sliceIndex);
    else reject.push(sliceIndex);
  });
  if (accept.length > 0) await acceptProposal(store, scan.record, proposal, { sliceIndices: accept });
  if (rejectAbsent.length > 0) await rejectProposal(store, scan.record, proposal, { sliceIndices: rejectAbsent, markAbsent: true });
  if (reject.length > 0) await rejectProposal(store, scan.record, proposal, { sliceIndices: reject });
  await store.proposals.setStatus(proposal.id, 'reviewed');
}

/**
 * What continuous training does when it publishes: a model version with its Dice on the project's own validation
 * scans, and a proposal for every scan without a drawn mask (stored through recordProposal, as the host stores them).
 */
async function publishVersion(
  project: Project,
  source: Awaited<ReturnType<typeof openProjectData>>,
  trainer: Trainer,
  set: TrainingSet,
  scans: PoolScan[],
  method: TrainingMethod,
  preset: PresetName
): Promise<number | null> {
  const labelled = set.validation.labelled;
  const dice = labelled.length > 0 ? await computeDice(trainer, set.validation) : null;
  const id = createId();
  const evaluation = {
    dice,
    auroc: null,
    heldOutLabelledSlices: labelled.length,
    heldOutPresentSlices: set.validation.present.length,
    heldOutAbsentSlices: set.validation.absent.length
  };
  await project.store.modelVersions.create({
    id,
    runId: null,
    method,
    preset,
    config: {},
    metrics: { evaluation, steps: trainer.stepCount, bestStep: trainer.stepCount, parameters: {} },
    dataSnapshot: { ...set.snapshot },
    backend: 'bench',
    weightsFolder: 'bench',
    createdAt: new Date().toISOString()
  });
  for (const scan of scans) {
    if ((await project.store.masks.listMaskedSliceIndices(scan.record.id)).length > 0) continue;
    const proposal = await proposeVolume(trainer, source, scan.record, project.folder, () => false);
    if (proposal) await recordProposal(project, id, proposal);
  }
  return dice;
}

async function heldOutDice(trainer: Trainer, scans: HeldOutScan[]): Promise<number> {
  let both = 0;
  let sum = 0;
  for (const scan of scans) {
    const predictions = await predictSlices(trainer, scan.images, 16);
    predictions.forEach((prediction, index) => {
      const truth = scan.truth[index]!;
      for (let pixel = 0; pixel < prediction.length; pixel += 1) {
        const p = prediction[pixel]! > 0.5 ? 1 : 0;
        both += p * truth[pixel]!;
        sum += p + truth[pixel]!;
      }
    });
  }
  return sum === 0 ? 0 : (2 * both) / sum;
}

interface ArmSummary {
  name: string;
  policy: Policy;
  method: TrainingMethod;
  /** Mean over seeds at each evaluated minute. */
  curve: { minute: number; dice: number; seeds: number[] }[];
  /** First annotation minute at which the mean curve reaches the target (linear between marks), or null. */
  reachesTargetAt: number | null;
  reachesTargetAtBySeed: (number | null)[];
}

/** The target: random-order masking with segmentation-only at the horizon (30 min); when each arm reaches it. */
/** Below this held-out Dice the target is not a segmentation: an arm that predicts nothing "reaches" it at minute 0. */
const minimumTarget = 0.05;

function summarise(
  runs: ArmRun[],
  horizon: number
): { target: number | null; targetMinute: number; measurable: boolean; arms: ArmSummary[]; targetMet: boolean | null } {
  const reference = runs.filter((run) => run.policy === 'random' && run.method === 'segmentation-only');
  const atHorizon = reference.map((run) => run.marks.find((m) => m.minute === horizon)?.dice ?? 0);
  const target = reference.length > 0 ? atHorizon.reduce((a, b) => a + b, 0) / atHorizon.length : null;
  const arms: ArmSummary[] = [];
  for (const name of [...new Set(runs.map((run) => armName(run.policy, run.method)))]) {
    const arm = runs.filter((run) => armName(run.policy, run.method) === name);
    const minutes = [...new Set(arm.flatMap((run) => run.marks.map((m) => m.minute)))].sort((a, b) => a - b);
    const curve = minutes.map((minute) => {
      const seeds = arm.map((run) => run.marks.find((m) => m.minute === minute)?.dice ?? 0);
      return { minute, dice: seeds.reduce((a, b) => a + b, 0) / seeds.length, seeds };
    });
    arms.push({
      name,
      policy: arm[0]!.policy,
      method: arm[0]!.method,
      curve,
      reachesTargetAt: target === null ? null : crossing(curve, target),
      reachesTargetAtBySeed: arm.map((run) => (target === null ? null : crossing(run.marks.map((m) => ({ minute: m.minute, dice: m.dice })), target)))
    });
  }
  const suggested = arms.find((arm) => arm.policy === 'suggest' && arm.method === 'genseg');
  // A target of (almost) nothing is reached by an untrained model: the comparison says nothing then.
  const measurable = target !== null && target >= minimumTarget;
  const targetMet = suggested && measurable ? suggested.reachesTargetAt !== null && suggested.reachesTargetAt <= 10 : null;
  return { target, targetMinute: horizon, measurable, arms, targetMet };
}

function crossing(curve: { minute: number; dice: number }[], target: number): number | null {
  for (let index = 0; index < curve.length; index += 1) {
    const point = curve[index]!;
    if (point.dice >= target) {
      if (index === 0) return point.minute;
      const before = curve[index - 1]!;
      const fraction = (target - before.dice) / (point.dice - before.dice);
      return Math.round((before.minute + fraction * (point.minute - before.minute)) * 10) / 10;
    }
  }
  return null;
}

function printSummary(summary: ReturnType<typeof summarise>): void {
  if (summary.arms.length === 0) return;
  console.log('\narm                                               ' + summary.arms[0]!.curve.map((p) => String(p.minute).padStart(6)).join(''));
  for (const arm of summary.arms) console.log(arm.name.padEnd(50) + arm.curve.map((p) => p.dice.toFixed(3).padStart(6)).join(''));
  if (summary.target === null) return;
  console.log(`\nTarget: held-out Dice ${summary.target.toFixed(3)} (random order, segmentation-only, at ${summary.targetMinute} min)`);
  for (const arm of summary.arms)
    console.log(`  ${arm.name}: reached at ${arm.reachesTargetAt ?? 'never'} min (per seed ${arm.reachesTargetAtBySeed.map((m) => m ?? 'never').join(', ')})`);
  console.log(
    summary.measurable
      ? `Suggestions with GenSeg within 10 minutes: ${summary.targetMet ? 'yes' : 'no'}`
      : `Not measurable at this budget: the target is below ${minimumTarget} held-out Dice, which a model that predicts nothing reaches.`
  );
}
