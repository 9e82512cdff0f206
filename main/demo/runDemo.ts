import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventPayload } from '../contract';
import { saveMaskSlices, setTumourRanges, tagScan } from '../annotation';
import { geometryOf } from '../db';
import type { AppCore } from '../app';
import { exportProjectMasks } from '../export';
import { writeNiftiMask } from '../export';
import { addImportedVolume, groupVolumesIntoCase, setTrainingSequences, type Project } from '../project';
import { syntheticSequences } from './multiSequenceBrain';
import type { TrainingMethod } from '../training';
import { buildDemoCases, lesionSlices, type DemoCase } from './buildDemoCases';
import { scoreProposals, type MethodScore } from './scoreProposals';

export interface DemoOptions {
  /** Keep the project and exports here; otherwise the project goes into the workspace. */
  outFolder?: string;
  minutesPerMethod: number;
  /** Train each method for this many steps instead of `minutesPerMethod` (equal steps, for comparisons on a busy machine). */
  stepsPerMethod?: number;
  /** Seeds the synthetic lesions and training (default 7): repeated runs with other seeds show the spread. */
  seed?: number;
  /** Fraction of tumour slices that get a drawn mask (the issue asks for 1-5 %). */
  maskFraction: number;
  methods: DemoMethod[];
  /**
   * Multi-sequence cases (issue 18): every case as T1 (the reference), T1c, T2 and FLAIR, and these sequences, in this
   * order, as the models' channels. Absent: one T1-weighted scan per case, as before.
   */
  sequences?: string[];
  /**
   * More sets of sequences to train every method on, after `sequences`, on the same project (same scans, masks and
   * held-out split): a paired comparison, e.g. all four sequences against FLAIR alone.
   */
  moreSequenceSets?: string[][];
  report(line: string): void;
  progress(fraction: number, label: string): void;
}

/** A method as the demo trains it: the strong baseline is segmentation-only given the absent slices too. */
export interface DemoMethod {
  name: string;
  method: TrainingMethod;
  baselineWithAbsentSlices?: boolean;
}

export const defaultDemoSeed = 7;

/** GenSeg, the paper's baseline, and the baseline that ties GenSeg on these brains (docs/decisions.md, 18). */
export const demoMethods: DemoMethod[] = [
  { name: 'genseg', method: 'genseg' },
  { name: 'segmentation-only', method: 'segmentation-only' },
  { name: 'segmentation-only + absent', method: 'segmentation-only', baselineWithAbsentSlices: true }
];

export interface DemoReport {
  projectId: string;
  projectFolder: string;
  exportFolder: string;
  cases: number;
  tumourSlices: number;
  maskedSlices: number;
  scores: MethodScore[];
  seconds: number;
  files: string[];
}

/**
 * The product's main job on the shipped sample brains: build a project with synthetic lesions, tag it as a clinician
 * would, draw masks on a few slices, train GenSeg and the segmentation-only baseline for the same time, propose masks
 * for every scan, score them against the exact truth, and export everything as NIfTI.
 */
export interface DemoProject {
  projectId: string;
  project: Project;
  cases: DemoCase[];
  /** Volume ids in the order of `cases`. */
  volumeIds: string[];
  tumourSlices: number;
  /** Slices given a drawn mask. */
  drawn: { volumeId: string; sliceIndex: number }[];
}

/**
 * Builds the sample project: the shipped brains with synthetic lesions, every scan tagged (healthy scans absent,
 * lesion scans present over the lesion's slices), and masks drawn on `maskFraction` of the tumour slices (at least
 * two), the largest lesions first, one slice per scan before a second one in any scan.
 */
export async function prepareDemoProject(
  core: AppCore,
  options: { outFolder?: string; maskFraction: number; sequences?: string[] | undefined; seed?: number | undefined }
): Promise<DemoProject> {
  const cases = await buildDemoCases(options.seed ?? defaultDemoSeed, undefined, { sequences: Boolean(options.sequences?.length) });
  const folder = options.outFolder ? join(options.outFolder, 'project') : undefined;
  const { id: projectId } = await core.workspace.createProject(
    `GenSeg demo ${new Date().toISOString().slice(0, 16)}`,
    folder
  );
  const project = await core.workspace.getProject(projectId);
  const volumeIds: string[] = [];
  let tumourSlices = 0;
  const maskCandidates: MaskCandidate[] = [];
  for (const demoCase of cases) {
    const summary = await addImportedVolume(
      project,
      {
        volume: demoCase.volume,
        description: {
          sourceFormat: 'nifti',
          sourceFiles: [join('resources', 'sample-brains', demoCase.source)],
          warnings: [],
          // The sample brains' NIfTI files are in scanner coordinates (sform code 1); the sequences derived from one share it.
          frameOfReference: 'nifti:1'
        }
      },
      demoCase.name
    );
    volumeIds.push(summary.id);
    if (demoCase.sequences) {
      await project.store.volumes.setSequenceName(summary.id, 'T1');
      const others: string[] = [];
      for (const name of syntheticSequences.filter((sequence) => sequence !== 'T1')) {
        const description = { sourceFormat: 'nifti' as const, sourceFiles: [join('resources', 'sample-brains', demoCase.source)], warnings: [], frameOfReference: 'nifti:1' };
        others.push((await addImportedVolume(project, { volume: demoCase.sequences[name], description }, `${demoCase.name} ${name}`)).id);
      }
      await groupVolumesIntoCase(project, summary.id, others, syntheticSequences.filter((sequence) => sequence !== 'T1'));
    }
    const record = (await project.store.volumes.get(summary.id))!;
    if (!demoCase.hasLesion) {
      await tagScan(project.store, record, 'absent');
      continue;
    }
    const slices = lesionSlices(demoCase.truth, record.dimensions);
    tumourSlices += slices.length;
    await setTumourRanges(project.store, record, [{ first: slices[0]!, last: slices.at(-1)! }]);
    for (const sliceIndex of slices) {
      maskCandidates.push({
        volumeId: summary.id,
        sliceIndex,
        area: sliceArea(demoCase, record.dimensions, sliceIndex)
      });
    }
  }
  const maskCount = Math.max(2, Math.round(tumourSlices * options.maskFraction));
  const drawn = pickSpread(maskCandidates, maskCount);
  for (const { volumeId, sliceIndex } of drawn) {
    const demoCase = cases[volumeIds.indexOf(volumeId)]!;
    const record = (await project.store.volumes.get(volumeId))!;
    const sliceSize = record.dimensions[0] * record.dimensions[1];
    const labels = demoCase.truth.slice(sliceIndex * sliceSize, (sliceIndex + 1) * sliceSize);
    await saveMaskSlices(project.store, record, [{ sliceIndex, labels }], { provenance: 'user', author: 'demo' });
  }
  if (options.sequences?.length) await setTrainingSequences(project, options.sequences);
  return {
    projectId,
    project,
    cases,
    volumeIds,
    tumourSlices,
    drawn: drawn.map(({ volumeId, sliceIndex }) => ({ volumeId, sliceIndex }))
  };
}

/**
 * The product's main job on the shipped sample brains: build a project with synthetic lesions, tag it as a clinician
 * would, draw masks on a few slices, train GenSeg and the segmentation-only baseline for the same time, propose masks
 * for every scan, score them against the exact truth, and export everything as NIfTI.
 */
export async function runDemo(core: AppCore, options: DemoOptions): Promise<DemoReport> {
  const started = performance.now();
  options.progress(0, 'building the sample project');
  const { projectId, project, cases, volumeIds, tumourSlices, drawn } = await prepareDemoProject(core, options);
  options.report(
    `Sample project: ${cases.length} scans (${cases.filter((c) => c.hasLesion).length} with a lesion), ${tumourSlices} tumour slices, masks drawn on ${drawn.length} (${((100 * drawn.length) / tumourSlices).toFixed(1)} %).`
  );

  const exportFolder = options.outFolder ? join(options.outFolder, 'exports') : join(project.folder, 'exports', 'demo');
  await mkdir(exportFolder, { recursive: true });
  const files: string[] = [];
  const scores: MethodScore[] = [];
  const drawnVolumes = new Set(drawn.map((entry) => entry.volumeId));
  const sequenceSets = options.sequences?.length ? [options.sequences, ...(options.moreSequenceSets ?? [])] : [null];
  const runs = sequenceSets.flatMap((sequences) => options.methods.map((demoMethod) => ({ sequences, demoMethod })));
  for (const [index, { sequences, demoMethod }] of runs.entries()) {
    if (sequences && index > 0 && sequences !== runs[index - 1]!.sequences) await setTrainingSequences(project, sequences);
    const method = sequences && sequenceSets.length > 1 ? `${demoMethod.name} · ${sequences.join('+')}` : demoMethod.name;
    const folderName = method.replace(/[^a-z0-9]+/gi, '-');
    const share = 1 / runs.length;
    const versionId = await trainFor(core, projectId, { ...demoMethod, name: method }, options, (fraction, label) =>
      options.progress(share * (index + fraction * 0.85), label)
    );
    options.progress(share * (index + 0.85), `${method}: proposing masks for every scan`);
    const proposed = core.events.waitFor(
      'onDidChangeProposals',
      (event) => event.projectId === projectId && event.done === event.total
    );
    const failed = core.events.waitFor(
      'onDidChangeTraining',
      (event) => event.projectId === projectId && event.status === 'failed'
    );
    await core.proposals.proposeMasks(projectId, versionId, volumeIds);
    const outcome = await Promise.race([proposed, failed]);
    if ('status' in outcome) throw new Error(outcome.message ?? 'Proposing masks failed.');
    await core.jobs.whenIdle();
    const score = await scoreProposals(project, method, versionId, volumeIds, cases, drawnVolumes);
    scores.push(score);
    for (const [position, volumeId] of volumeIds.entries()) {
      const record = (await project.store.volumes.get(volumeId))!;
      const proposal = (await project.store.proposals.listForVolume(volumeId)).find(
        (p) => p.modelVersionId === versionId
      );
      // A scan tagged no tumour where the model found nothing keeps no proposal: its file is an empty mask.
      const labels = proposal?.labels ?? new Uint8Array(record.dimensions[0] * record.dimensions[1] * record.dimensions[2]);
      const file = `${folderName}/case_${String(position + 1).padStart(4, '0')}_proposal.nii.gz`;
      await mkdir(join(exportFolder, folderName), { recursive: true });
      await writeNiftiMask(geometryOf(record), labels, join(exportFolder, file));
      files.push(file);
    }
  }
  options.progress(0.97, 'exporting the drawn masks and the truth');
  const drawnExport = await exportProjectMasks(project, join(exportFolder, 'drawn'), { includeImages: false });
  files.push(...drawnExport.cases.map((c) => `drawn/${c.maskFile}`));
  for (const [position, demoCase] of cases.entries()) {
    const record = (await project.store.volumes.get(volumeIds[position]!))!;
    const file = `truth/case_${String(position + 1).padStart(4, '0')}_truth.nii.gz`;
    await mkdir(join(exportFolder, 'truth'), { recursive: true });
    await writeNiftiMask(geometryOf(record), demoCase.truth, join(exportFolder, file));
    files.push(file);
  }
  options.progress(1, 'done');
  return {
    projectId,
    projectFolder: project.folder,
    exportFolder,
    cases: cases.length,
    tumourSlices,
    maskedSlices: drawn.length,
    scores,
    seconds: (performance.now() - started) / 1000,
    files
  };
}

async function trainFor(
  core: AppCore,
  projectId: string,
  { name, method, baselineWithAbsentSlices }: DemoMethod,
  options: DemoOptions,
  progress: (fraction: number, label: string) => void
): Promise<string> {
  const seconds = options.minutesPerMethod * 60;
  const steps = options.stepsPerMethod;
  const unsubscribe = core.events.subscribe((event, payload) => {
    if (event !== 'onDidTrainingProgress') return;
    const { progress: p } = payload as EventPayload<'onDidTrainingProgress'>;
    const dice = p.validationDice === null ? '' : `, validation Dice ${p.validationDice.toFixed(2)}`;
    progress(
      Math.min(1, steps ? p.step / steps : p.elapsedSeconds / seconds),
      `${name}: step ${p.step}, ${p.stepsPerSecond.toFixed(2)} steps/s on ${p.backend}${dice}`
    );
  });
  const finished = core.events.waitFor(
    'onDidChangeTraining',
    (event) => event.projectId === projectId && event.status !== 'running'
  );
  await core.training.startTraining(projectId, {
    method,
    preset: 'cpu',
    ...(steps ? { maxSteps: steps } : { maxSeconds: seconds }),
    seed: options.seed ?? defaultDemoSeed,
    ...(baselineWithAbsentSlices ? { baselineWithAbsentSlices: true } : {})
  });
  const outcome = await finished;
  unsubscribe();
  if (outcome.status !== 'finished') throw new Error(`${name} training ended: ${outcome.message ?? outcome.status}`);
  const versions = await core.workspace.getProject(projectId).then((project) => project.store.modelVersions.list());
  return versions.at(-1)!.id;
}

function sliceArea(demoCase: DemoCase, dimensions: [number, number, number], sliceIndex: number): number {
  const sliceSize = dimensions[0] * dimensions[1];
  return demoCase.truth
    .subarray(sliceIndex * sliceSize, (sliceIndex + 1) * sliceSize)
    .reduce((sum, value) => sum + value, 0);
}

interface MaskCandidate {
  volumeId: string;
  sliceIndex: number;
  area: number;
}

/**
 * Slices to draw, as a clinician picks clear examples: each lesion scan's largest slice first (largest lesions first),
 * then each scan's next largest, and so on, so masks spread over scans before they pile up in one.
 */
function pickSpread(candidates: MaskCandidate[], count: number): MaskCandidate[] {
  const byVolume = new Map<string, MaskCandidate[]>();
  for (const candidate of candidates)
    byVolume.set(candidate.volumeId, [...(byVolume.get(candidate.volumeId) ?? []), candidate]);
  const queues = [...byVolume.values()].map((list) => [...list].sort((a, b) => b.area - a.area));
  const picked: MaskCandidate[] = [];
  for (let round = 0; picked.length < count; round += 1) {
    const layer = queues
      .map((queue) => queue[round])
      .filter((candidate): candidate is MaskCandidate => candidate !== undefined);
    if (layer.length === 0) break;
    picked.push(...layer.sort((a, b) => b.area - a.area).slice(0, count - picked.length));
  }
  return picked;
}
