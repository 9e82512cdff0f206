import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SocketClient } from '../../main/contract';
import { colin27Path } from '../fixtures/fetchFixtures';
import { readNumberSignal, readSignal, waitForSignals } from './pages/readBodySignals';
import type { ViewName } from './pages/ViewportPage';
import { WorkstationPage } from './pages/WorkstationPage';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { connectApi, describeMask, findProjectId } from './support/connectApi';
import { decodePng } from './support/decodePng';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';

const artifacts = resolve(import.meta.dirname, 'artifacts');
// Colin27: 181 x 217 x 181 voxels of 1 mm; i runs towards the patient's right, j to the front, k to the head.
const [columns, rows] = [181, 217];
const sliceSize = columns * rows;
/** A stroke from above the middle of the view to below it: head to feet in the sagittal plane (view pixels). */
const stroke = [
  { x: -20, y: -90 },
  { x: -10, y: 0 },
  { x: -20, y: 90 }
];

/**
 * MPR as in ITK-SNAP and Slicer: a click in any plane moves the other two there, any plane can be the big one, and a
 * stroke drawn in the sagittal plane is a mask on many axial slices, saved and undone as one edit.
 */
describe('three planes: crosshair, main view, drawing in any plane', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let api: SocketClient;
  let projectId: string;
  let volumeId: string;

  async function storedMask(): Promise<{ voxels: number[]; slices: number[] }> {
    const mask = await api.call('getVolumeMask', { projectId, volumeId });
    return describeMask(mask.labels, sliceSize);
  }

  /** Pixels of the mask's colour (reddish; the brain is grey, the crosshair lines blue, yellow and green) in a view. */
  async function maskPixelsIn(view: ViewName, name: string): Promise<number> {
    const { width, height, rgba } = decodePng(await app.viewport.viewScreenshot(view, join(artifacts, name)));
    let count = 0;
    for (let pixel = 0; pixel < width * height; pixel += 1) {
      const [r, g, b] = [rgba[pixel * 4]!, rgba[pixel * 4 + 1]!, rgba[pixel * 4 + 2]!];
      if (r - g > 40 && r - b > 40) count += 1;
    }
    return count;
  }

  beforeAll(async () => {
    session = await openAppSession('mpr', { viewport: { width: 1400, height: 860 } });
    ({ page, app } = session);
    api = connectApi(inject('appUrl'));
    await app.createProject('MPR');
    await app.importFromPath(colin27Path(), 'ch2');
    await app.chooseVolume('ch2');
    projectId = await findProjectId(api, 'MPR');
    volumeId = await app.volumeId('ch2');
    await app.masks.waitForMaskLoaded(volumeId);
    await waitForSignals(page, [{ signal: 'viewerReferenceViews', is: 'equal', value: 'sagittal,coronal' }]);
  });

  afterAll(async () => {
    api?.close();
    await closeAppSession(session, 'mpr');
  });

  it('starts on the middle voxel, with the other planes drawn as lines in each view', async () => {
    const { slice, sliceCount } = await app.viewport.read();
    expect(await app.viewport.crosshairVoxel()).toEqual([
      Math.floor((columns - 1) / 2),
      Math.floor((rows - 1) / 2),
      Math.floor((sliceCount - 1) / 2)
    ]);
    expect(slice).toBe(Math.floor((sliceCount - 1) / 2));
    expect(await readSignal(page, 'viewerMainView')).toBe('acquisition');
    expect(await readSignal(page, 'viewerMainPlane')).toBe('axial');
    expect(await app.viewport.crosshairLinesIn('acquisition')).toEqual(['coronal', 'sagittal']);
    expect(await app.viewport.crosshairLinesIn('sagittal')).toEqual(['acquisition', 'coronal']);
    expect(await app.viewport.crosshairLinesIn('coronal')).toEqual(['acquisition', 'sagittal']);
  });

  it('moves the axial and sagittal views to the point clicked in the coronal view', async () => {
    const before = await app.viewport.read();
    const [, jBefore] = await app.viewport.crosshairVoxel();
    await app.masks.chooseTool('crosshair');
    // Above and to the screen's left of the middle: towards the head and the patient's right.
    const hovered = await app.viewport.hoverIn('coronal', -30, -50);
    expect(hovered).not.toBeNull();
    await app.viewport.clickIn('coronal', -30, -50);
    const [i, j, k] = await app.viewport.crosshairVoxel();
    // The crosshair is the voxel under the pointer (the hover readout reads it independently)...
    expect([i, j, k]).toEqual(hovered);
    // ...the coronal plane itself stays, and the axial view went up to the clicked height.
    expect(j).toBe(jBefore);
    expect(k).toBeGreaterThan(before.slice + 5);
    await waitForSignals(page, [{ signal: 'viewerSlice', is: 'equal', value: k }]);
    expect(await app.viewport.sliceIndicatorText()).toBe(`Slice ${k + 1} / ${before.sliceCount}`);
    // The sagittal view's slice readout follows the crosshair too: left on the screen is the patient's right, where
    // Colin27's i runs.
    expect(i).toBeGreaterThan(Math.floor((columns - 1) / 2) + 5);
    expect(await page.getByTestId('slice-indicator-sagittal').innerText()).toBe(`Slice ${i + 1} / ${columns}`);
  });

  it('makes the sagittal plane the main view with Alt+2; the arrow keys then scroll it', async () => {
    const acquisitionBefore = await app.viewport.viewBox('acquisition');
    await app.viewport.chooseMainView('sagittal');
    expect(await readSignal(page, 'viewerMainPlane')).toBe('sagittal');
    await expect.poll(async () => (await app.viewport.viewBox('sagittal')).width).toBeGreaterThan(
      acquisitionBefore.width * 0.9
    );
    expect((await app.viewport.viewBox('acquisition')).width).toBeLessThan(acquisitionBefore.width / 2);
    // A sagittal plane seen from the patient's left: head up, face on the screen's left.
    expect(await page.getByTestId('orientation-sagittal-top').innerText()).toBe('S');
    expect(await page.getByTestId('orientation-sagittal-left').innerText()).toBe('A');
    const [i, j, k] = await app.viewport.crosshairVoxel();
    const slice = await readNumberSignal(page, 'viewerSlice');
    await app.viewport.pressIn('sagittal', 'ArrowDown');
    const [iAfter, jAfter, kAfter] = await app.viewport.crosshairVoxel();
    expect(Math.abs(iAfter - i)).toBe(1);
    expect([jAfter, kAfter]).toEqual([j, k]);
    expect(await readNumberSignal(page, 'viewerSlice')).toBe(slice);
    await app.viewport.pressIn('sagittal', 'ArrowUp');
    expect(await app.viewport.crosshairVoxel()).toEqual([i, j, k]);
  });

  it('saves a brush stroke in the sagittal plane on many axial slices, and one undo takes all of it back', async () => {
    const [i] = await app.viewport.crosshairVoxel();
    expect(await storedMask()).toEqual({ voxels: [], slices: [] });
    await app.masks.chooseTool('brush');
    await app.masks.setBrushRadius(3);
    await app.masks.drawStroke(stroke, 'sagittal');
    const stored = await storedMask();
    // Every voxel painted lies in the sagittal plane on screen, and the stroke crosses many acquired slices.
    expect(stored.voxels.length).toBeGreaterThan(100);
    expect(stored.voxels.every((voxel) => voxel % columns === i)).toBe(true);
    expect(stored.slices.length).toBeGreaterThan(15);
    expect(stored.slices[stored.slices.length - 1]! - stored.slices[0]! + 1).toBe(stored.slices.length);
    // Each of those slices is tumour-present, as after a stroke in the axial view. (The weak-label strip belongs to
    // the axial view, which is small now: read the app's signal.)
    const presentSlices = async () => {
      const states = (await readSignal(page, 'weakLabels')) ?? '';
      return stored.slices.filter((slice) => states[slice] === 'p').length;
    };
    await expect.poll(presentSlices).toBe(stored.slices.length);
    // The pointer off the views: the brush's outline under it is not the mask.
    await page.mouse.move(0, 0);
    expect(await maskPixelsIn('sagittal', 'mpr-stroke-sagittal.png')).toBeGreaterThan(100);

    // One stroke, one undo step: all its slices go, in main and on screen; redo brings back the same voxels.
    await app.masks.undo();
    expect(await storedMask()).toEqual({ voxels: [], slices: [] });
    await expect.poll(() => maskPixelsIn('sagittal', 'mpr-undone-sagittal.png')).toBe(0);
    await app.masks.redo();
    expect((await storedMask()).voxels).toEqual(stored.voxels);
  });

  it('shows the mask drawn on a few sagittal planes in all three views, where the crosshair cuts it', async () => {
    // Two more sagittal planes on each side, as a user paints a lesion plane by plane (the arrow keys scroll the
    // main view, the sagittal one).
    const [i] = await app.viewport.crosshairVoxel();
    const drawn = new Set([i]);
    for (const key of ['ArrowUp', 'ArrowUp', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowUp']) {
      await app.viewport.pressIn('sagittal', key);
      const [plane] = await app.viewport.crosshairVoxel();
      if (drawn.has(plane)) continue;
      drawn.add(plane);
      const before = await storedMask();
      await app.masks.drawStroke(stroke, 'sagittal');
      expect((await storedMask()).voxels.length).toBeGreaterThan(before.voxels.length);
    }
    const planes = new Set((await storedMask()).voxels.map((voxel) => voxel % columns));
    expect([...planes].sort((a, b) => a - b)).toEqual([i - 2, i - 1, i, i + 1, i + 2]);
    expect((await app.viewport.crosshairVoxel())[0]).toBe(i);

    // Ctrl + click moves the crosshair with any tool (the brush paints nothing): onto the middle of the strokes, so
    // that the axial and coronal planes cut the mask.
    const before = await storedMask();
    const savedBefore = await readNumberSignal(page, 'maskSavedCount');
    await app.viewport.clickIn('sagittal', stroke[1]!.x, stroke[1]!.y, { ctrl: true });
    const [iAfter, , k] = await app.viewport.crosshairVoxel();
    expect(iAfter).toBe(i);
    expect(before.slices).toContain(k);
    await waitForSignals(page, [{ signal: 'viewerSlice', is: 'equal', value: k }]);
    expect(await readNumberSignal(page, 'maskSavedCount')).toBe(savedBefore);
    expect((await storedMask()).voxels).toEqual(before.voxels);

    // The same labelmap in all three views: measured with the crosshair lines off (they run along the mask there).
    await app.masks.chooseTool('crosshair');
    await page.mouse.move(0, 0);
    await app.viewport.showCrosshairLines(false);
    for (const view of ['acquisition', 'sagittal', 'coronal'] as const)
      await expect.poll(() => maskPixelsIn(view, `mpr-mask-${view}.png`)).toBeGreaterThan(20);
    await app.viewport.showCrosshairLines(true);
    await app.screenshot(join(artifacts, 'mpr-sagittal-main.png'));
    await app.viewport.chooseMainView('acquisition');
    await expect.poll(async () => (await app.viewport.viewBox('acquisition')).width).toBeGreaterThan(
      2 * (await app.viewport.viewBox('sagittal')).width
    );
    await app.screenshot(join(artifacts, 'mpr-crosshairs.png'));
    expect(session!.pageErrors).toEqual([]);
  });
});
