/**
 * `npm run bench -- viewer`: in headless Chromium against the web host, the time from choosing a 256×256×155 volume
 * to its first rendered slice (median of 5, alternating two volumes so each choice loads voxels again), and the frame
 * rate while scrolling through it (one wheel notch per animation frame for 3 s, frames counted by the viewer's own
 * render counter), with the scan's empty mask not drawn and then drawn. Targets (issue 6): under 1 s and at least
 * 30 fps. Needs `npx electron-vite build` first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createAppCore } from '../main/app';
import { writeNiftiImage } from '../main/export/writeNiftiImage';
import { startWebHost } from '../main/server';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../tests/e2e/support/launchBrowser';
import { readSignal, waitForSignals } from '../tests/e2e/pages/readBodySignals';
import { WorkstationPage } from '../tests/e2e/pages/WorkstationPage';

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

export default async function benchViewer(): Promise<void> {
  const rendererFolder = resolve(import.meta.dirname, '../out/renderer');
  if (!existsSync(join(rendererFolder, 'index.html')))
    execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  const folder = mkdtempSync(join(tmpdir(), 'genseg-bench-viewer-'));
  const core = createAppCore({
    workspaceFolder: join(folder, 'workspace'),
    logger: { info: () => {}, error: () => {} }
  });
  const host = await startWebHost({ core, rendererFolder });
  const browser = await launchBrowser();
  try {
    for (const seed of [1, 2]) await writeNiftiImage(makeVolume(seed), join(folder, `volume${seed}.nii.gz`));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // tsx (esbuild) wraps functions handed to the page with a `__name` helper that only Node has.
    await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    const app = new WorkstationPage(page);
    await app.open(host.url);
    await app.createProject('Viewer bench');
    await app.importFromPath(join(folder, 'volume1.nii.gz'), 'volume1');
    await app.importFromPath(join(folder, 'volume2.nii.gz'), 'volume2');
    const firstSlice: number[] = [];
    for (let run = 0; run < 6; run += 1) {
      const started = performance.now();
      await app.chooseVolume(run % 2 === 0 ? 'volume1' : 'volume2');
      if (run > 0) firstSlice.push((performance.now() - started) / 1000);
    }
    const emptyMask = await measureScroll(page);
    // The same with the mask drawn (choosing the brush draws it, even empty): the cost a masked scan has.
    await app.masks.chooseTool('brush');
    await app.masks.chooseTool('navigate');
    const drawnMask = await measureScroll(page);
    const result = {
      volume: dimensions.join('x'),
      firstSliceSecondsMedian: median(firstSlice),
      firstSliceSeconds: firstSlice,
      scrollFramesPerSecond: emptyMask.framesPerSecond,
      wheelEventsPerSecond: emptyMask.wheelEventsPerSecond,
      slicesMoved: emptyMask.slicesMoved,
      scrollWithMaskDrawn: drawnMask,
      targets: { firstSliceSeconds: 1, framesPerSecond: 30 }
    };
    console.table({
      'first slice (s, median of 5)': result.firstSliceSecondsMedian.toFixed(3),
      'scroll fps': result.scrollFramesPerSecond.toFixed(1),
      'wheel events/s sent': result.wheelEventsPerSecond.toFixed(1),
      'scroll fps, mask drawn': drawnMask.framesPerSecond.toFixed(1)
    });
    mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(resolve(import.meta.dirname, 'results/viewer.json'), JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    await host.close();
    await core.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Scrolls the viewport for 3 s, one wheel notch at a time (each waits for the page to take it), counting frames. */
async function measureScroll(
  page: Page
): Promise<{ framesPerSecond: number; wheelEventsPerSecond: number; slicesMoved: number }> {
  await page.getByTestId('viewport').click();
  const before = Number(await readSignal(page, 'viewerRenderCount'));
  const sliceBefore = Number(await readSignal(page, 'viewerSlice'));
  const box = (await page.getByTestId('viewport').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const started = performance.now();
  let notches = 0;
  while (performance.now() - started < 3000) {
    await page.mouse.wheel(0, notches % 200 < 100 ? 100 : -100);
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
