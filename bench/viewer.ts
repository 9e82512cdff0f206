/**
 * `npm run bench -- viewer [--compare DIR] [--rounds N]`: in headless Chromium against the web host, the time from
 * choosing a 256×256×155 volume to its first rendered slice (5 choices per round, alternating two volumes so each
 * choice loads voxels again), and the frame rate while scrolling through it (one wheel notch at a time for 3 s,
 * frames counted by the viewer's own render counter), with the scan's empty mask not drawn and then drawn. Targets
 * (issue 6): under 1 s and at least 30 fps. Needs `npx electron-vite build` first.
 *
 * `--compare DIR` measures another build of the renderer (e.g. an older commit's out/renderer) in the same run,
 * round by round in turn with this one, so both see the same machine; the table gives each one's medians over all
 * rounds. Results: bench/results/viewer.json.
 *
 * `--training` (issue 17): the UI with continuous training in the background. In the same run and on the same page,
 * scrolling frames/s and one stroke's save time (mouse released → main confirmed the save, the median of 5 strokes)
 * are measured first with nothing training, then while `startTraining({ continuous: true })` (tiny preset) runs in its
 * own process on the same machine, stepping. Results: bench/results/viewer-training.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { createAppCore } from '../main/app';
import type { CallInput, CallName, CallResult } from '../main/contract';
import { writeNiftiImage } from '../main/export/writeNiftiImage';
import { startWebHost } from '../main/server';
import { readSignal, waitForSignals } from '../tests/e2e/pages/readBodySignals';
import { WorkstationPage } from '../tests/e2e/pages/WorkstationPage';
import { launchBrowser } from '../tests/e2e/support/launchBrowser';

const dimensions: [number, number, number] = [256, 256, 155];

function makeVolume(seed: number) {
  const [ni, nj, nk] = dimensions;
  const scalars = new Int16Array(ni * nj * nk);
  for (let k = 0; k < nk; k += 1) {
    for (let j = 0; j < nj; j += 1) {
      for (let i = 0; i < ni; i += 1) {
        const r = Math.hypot((i - ni / 2) / (ni * 0.42), (j - nj / 2) / (nj * 0.48), (k - nk / 2) / (nk * 0.5));
        scalars[(k * nj + j) * ni + i] =
          r < 1 ? Math.round(600 + 300 * Math.sin(i / 9 + seed) * Math.cos(j / 13 + k / 7)) : 0;
      }
    }
  }
  return {
    geometry: { dimensions, voxelToPatient: [-0.94, 0, 0, 120, 0, -0.94, 0, 120, 0, 0, 1, -77, 0, 0, 0, 1] },
    scalars
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface ScrollResult {
  framesPerSecond: number;
  wheelEventsPerSecond: number;
  slicesMoved: number;
}

interface RoundResult {
  firstSliceSeconds: number[];
  scroll: ScrollResult;
  scrollWithMaskDrawn: ScrollResult;
}

interface Build {
  name: string;
  rendererFolder: string;
  url: string;
  rounds: RoundResult[];
}

export default async function benchViewer(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { compare: { type: 'string' }, rounds: { type: 'string' }, training: { type: 'boolean' } }
  });
  const rendererFolder = resolve(import.meta.dirname, '../out/renderer');
  if (!existsSync(join(rendererFolder, 'index.html')))
    execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  const compareFolder = values.compare ? resolve(values.compare) : undefined;
  if (compareFolder && !existsSync(join(compareFolder, 'index.html')))
    throw new Error(`--compare ${compareFolder}: no index.html there (build that renderer first)`);
  const roundCount = Number(values.rounds ?? (compareFolder ? 3 : 1));
  const folder = mkdtempSync(join(tmpdir(), 'genseg-bench-viewer-'));
  const core = createAppCore({
    workspaceFolder: join(folder, 'workspace'),
    logger: { info: () => {}, error: () => {} }
  });
  const hosts = await Promise.all(
    [...(compareFolder ? [compareFolder] : []), rendererFolder].map((folder) =>
      startWebHost({ core, rendererFolder: folder })
    )
  );
  const builds: Build[] = hosts.map((host, index) => ({
    name: compareFolder && index === 0 ? 'compared' : 'this',
    rendererFolder: compareFolder && index === 0 ? compareFolder : rendererFolder,
    url: host.url,
    rounds: []
  }));
  const browser = await launchBrowser();
  try {
    for (const seed of [1, 2]) await writeNiftiImage(makeVolume(seed), join(folder, `volume${seed}.nii.gz`));
    if (values.training) {
      const rounds = [];
      for (let round = 0; round < roundCount; round += 1) rounds.push(await measureWithTraining(browser, core, builds.at(-1)!, folder, round));
      reportTraining(rounds);
      return;
    }
    for (let round = 0; round < roundCount; round += 1) {
      for (const build of builds) build.rounds.push(await measureRound(browser, build, folder, round));
    }
    report(builds);
  } finally {
    await browser.close();
    for (const host of hosts) await host.close();
    await core.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** One round on one build: a fresh page and project, five first slices, then scrolling without and with the mask. */
async function measureRound(browser: Browser, build: Build, folder: string, round: number): Promise<RoundResult> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    // tsx (esbuild) wraps functions handed to the page with a `__name` helper that only Node has.
    await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    const app = new WorkstationPage(page);
    await app.open(build.url);
    await app.createProject(`Viewer bench ${build.name} ${round + 1}`);
    await app.importFromPath(join(folder, 'volume1.nii.gz'), 'volume1');
    await app.importFromPath(join(folder, 'volume2.nii.gz'), 'volume2');
    const firstSliceSeconds: number[] = [];
    for (let run = 0; run < 6; run += 1) {
      const started = performance.now();
      await app.chooseVolume(run % 2 === 0 ? 'volume1' : 'volume2');
      if (run > 0) firstSliceSeconds.push((performance.now() - started) / 1000);
    }
    const scroll = await measureScroll(page);
    // The same with the mask drawn (choosing the brush draws it, even empty): the cost a masked scan has.
    await app.masks.chooseTool('brush');
    await app.masks.chooseTool('navigate');
    const scrollWithMaskDrawn = await measureScroll(page);
    return { firstSliceSeconds, scroll, scrollWithMaskDrawn };
  } finally {
    await page.close();
  }
}

/**
 * Scrolls the viewport for 3 s, one wheel notch at a time (each waits for the page to take it), counting frames.
 * The direction turns every 50 notches, so the scroll stays inside the volume (from its middle, 77 slices either
 * way) and every notch moves a slice.
 */
async function measureScroll(page: Page): Promise<ScrollResult> {
  await page.getByTestId('viewport').click();
  const before = Number(await readSignal(page, 'viewerRenderCount'));
  const sliceBefore = Number(await readSignal(page, 'viewerSlice'));
  const box = (await page.getByTestId('viewport').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const started = performance.now();
  let notches = 0;
  while (performance.now() - started < 3000) {
    await page.mouse.wheel(0, notches % 100 < 50 ? 100 : -100);
    notches += 1;
  }
  await waitForSignals(page, [{ signal: 'viewerRenderCount', is: 'greater', value: before }]);
  const elapsed = (performance.now() - started) / 1000;
  const frames = Number(await readSignal(page, 'viewerRenderCount')) - before;
  return {
    framesPerSecond: frames / elapsed,
    wheelEventsPerSecond: notches / elapsed,
    slicesMoved: Math.abs(Number(await readSignal(page, 'viewerSlice')) - sliceBefore)
  };
}

function summarize(build: Build) {
  const pick = (get: (round: RoundResult) => number[]) => median(build.rounds.flatMap(get));
  return {
    firstSliceSecondsMedian: pick((round) => round.firstSliceSeconds),
    scrollFramesPerSecondMedian: pick((round) => [round.scroll.framesPerSecond]),
    scrollWithMaskDrawnFramesPerSecondMedian: pick((round) => [round.scrollWithMaskDrawn.framesPerSecond]),
    wheelEventsPerSecondMedian: pick((round) => [round.scroll.wheelEventsPerSecond])
  };
}

function report(builds: Build[]): void {
  const summaries = builds.map((build) => ({ build, summary: summarize(build) }));
  const rows: Record<string, Record<string, string>> = {};
  const metrics: [string, (summary: ReturnType<typeof summarize>) => number, number][] = [
    ['first slice (s)', (summary) => summary.firstSliceSecondsMedian, 3],
    ['scroll fps', (summary) => summary.scrollFramesPerSecondMedian, 1],
    ['scroll fps, mask drawn', (summary) => summary.scrollWithMaskDrawnFramesPerSecondMedian, 1],
    ['wheel events/s sent', (summary) => summary.wheelEventsPerSecondMedian, 1]
  ];
  for (const [label, get, digits] of metrics) {
    rows[label] = Object.fromEntries(summaries.map(({ build, summary }) => [build.name, get(summary).toFixed(digits)]));
  }
  console.table(rows);
  const result = {
    volume: dimensions.join('x'),
    targets: { firstSliceSeconds: 1, framesPerSecond: 30 },
    builds: summaries.map(({ build, summary }) => ({
      name: build.name,
      rendererFolder: build.rendererFolder,
      ...summary,
      rounds: build.rounds
    }))
  };
  mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(resolve(import.meta.dirname, 'results/viewer.json'), JSON.stringify(result, null, 2));
}

interface TrainingCondition {
  scroll: ScrollResult;
  strokeSaveSeconds: number[];
  /** Training steps the background job took while this condition was measured (0 when idle). */
  trainingSteps: number;
}

/**
 * One round of `--training`: a project with a scan tagged tumour (with the strokes drawn on it) and one tagged no
 * tumour, so training can start; scrolling and stroke saves measured idle, then with continuous training stepping.
 */
async function measureWithTraining(
  browser: Browser,
  core: ReturnType<typeof createAppCore>,
  build: Build,
  folder: string,
  round: number
): Promise<{ idle: TrainingCondition; training: TrainingCondition; backend: string | null }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const call = async <N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> => {
    const outcome = await core.dispatch(name, input, { host: 'web' });
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.result as CallResult<N>;
  };
  try {
    await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    const app = new WorkstationPage(page);
    await app.open(build.url);
    const projectName = `Viewer bench training ${round + 1}`;
    await app.createProject(projectName);
    await app.importFromPath(join(folder, 'volume1.nii.gz'), 'volume1');
    await app.importFromPath(join(folder, 'volume2.nii.gz'), 'volume2');
    const projectId = (await call('listProjects', {})).find((project) => project.name === projectName)!.id;
    await app.chooseVolume('volume2');
    await call('tagScan', { projectId, volumeId: await app.volumeId('volume2'), state: 'absent' });
    await app.chooseVolume('volume1');
    await call('tagScan', { projectId, volumeId: await app.volumeId('volume1'), state: 'present' });
    const idle = await measureCondition(page, async () => 0);
    await call('startTraining', { projectId, preset: 'tiny', continuous: true });
    // Measure only once the job is stepping (its process started, the data read, the first steps taken).
    let status = await call('getTrainingStatus', {});
    while (!status.progress || status.progress.step < 2) {
      if (status.state === 'idle') throw new Error(`training stopped before it stepped: ${status.lastLines.join(' / ')}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = await call('getTrainingStatus', {});
    }
    const stepBefore = status.progress.step;
    const training = await measureCondition(page, async () => ((await call('getTrainingStatus', {})).progress?.step ?? stepBefore) - stepBefore);
    await call('stopTraining', {});
    while ((await call('getTrainingStatus', {})).state !== 'idle') await new Promise((resolve) => setTimeout(resolve, 500));
    return { idle, training, backend: status.backend };
  } finally {
    await page.close();
  }
}

async function measureCondition(page: Page, stepsTaken: () => Promise<number>): Promise<TrainingCondition> {
  const scroll = await measureScroll(page);
  const strokeSaveSeconds: number[] = [];
  await page.getByTestId('mask-tool-brush').click();
  await waitForSignals(page, [{ signal: 'maskTool', is: 'equal', value: 'brush' }]);
  for (let stroke = 0; stroke < 5; stroke += 1) strokeSaveSeconds.push(await timeStrokeSave(page, stroke));
  await page.getByTestId('mask-tool-navigate').click();
  return { scroll, strokeSaveSeconds, trainingSteps: await stepsTaken() };
}

/** Draws one short stroke and returns the seconds from releasing the button to main's confirmation of the save. */
async function timeStrokeSave(page: Page, stroke: number): Promise<number> {
  const box = (await page.getByTestId('viewport').boundingBox())!;
  const x = box.x + box.width / 2 - 60 + stroke * 25;
  const y = box.y + box.height / 2;
  const before = Number((await readSignal(page, 'maskSavedCount')) ?? 0);
  await page.mouse.move(x, y);
  await page.mouse.down({ button: 'left' });
  await page.mouse.move(x + 20, y + 15, { steps: 6 });
  const released = performance.now();
  await page.mouse.up({ button: 'left' });
  await waitForSignals(page, [
    { signal: 'maskSavedCount', is: 'greater', value: before },
    { signal: 'maskSaveState', is: 'equal', value: 'saved' }
  ]);
  return (performance.now() - released) / 1000;
}

function reportTraining(rounds: { idle: TrainingCondition; training: TrainingCondition; backend: string | null }[]): void {
  const summary = (pick: (round: (typeof rounds)[number]) => TrainingCondition) => ({
    scrollFramesPerSecondMedian: median(rounds.map((round) => pick(round).scroll.framesPerSecond)),
    strokeSaveSecondsMedian: median(rounds.flatMap((round) => pick(round).strokeSaveSeconds)),
    strokeSaveSecondsMax: Math.max(...rounds.flatMap((round) => pick(round).strokeSaveSeconds)),
    trainingSteps: rounds.reduce((sum, round) => sum + pick(round).trainingSteps, 0)
  });
  const idle = summary((round) => round.idle);
  const training = summary((round) => round.training);
  console.table({
    'scroll fps': { idle: idle.scrollFramesPerSecondMedian.toFixed(1), 'training in the background': training.scrollFramesPerSecondMedian.toFixed(1) },
    'stroke save (s), median': { idle: idle.strokeSaveSecondsMedian.toFixed(3), 'training in the background': training.strokeSaveSecondsMedian.toFixed(3) },
    'stroke save (s), slowest': { idle: idle.strokeSaveSecondsMax.toFixed(3), 'training in the background': training.strokeSaveSecondsMax.toFixed(3) },
    'training steps meanwhile': { idle: String(idle.trainingSteps), 'training in the background': String(training.trainingSteps) }
  });
  const result = { volume: dimensions.join('x'), preset: 'tiny', backend: rounds[0]?.backend ?? null, idle, training, rounds, date: new Date().toISOString() };
  mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(resolve(import.meta.dirname, 'results/viewer-training.json'), JSON.stringify(result, null, 2));
}
