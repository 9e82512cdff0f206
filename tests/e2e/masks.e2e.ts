import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SocketClient } from '../../main/contract';
import { WorkstationPage } from './pages/WorkstationPage';
import { connectApi, describeMask, findProjectId } from './support/connectApi';
import { decodePng } from './support/decodePng';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { compareImages } from './support/measureImage';
import { anatomyShape, writeOrientationPhantom } from './support/writeOrientationPhantom';

const artifacts = resolve(import.meta.dirname, 'artifacts');
const sliceSize = anatomyShape[0] * anatomyShape[1];

/** Drawing a mask with the mouse: saved by itself (changed slices only), undone, erased, and the same after a reload. */
describe('masks', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let api: SocketClient;
  let folder: string;
  let projectId: string;
  let volumeId: string;

  async function storedMask(): Promise<{ voxels: number[]; slices: number[] }> {
    const mask = await api.call('getVolumeMask', { projectId, volumeId });
    return describeMask(mask.labels, sliceSize);
  }

  beforeAll(async () => {
    session = await openAppSession('masks');
    ({ page, app, folder } = session);
    api = connectApi(inject('appUrl'));
    await app.createProject('Masks');
    const path = join(folder, 'mask-phantom.nii');
    writeOrientationPhantom(path, 'ras');
    await app.importFromPath(path, 'mask-phantom');
    await app.chooseVolume('mask-phantom');
    projectId = await findProjectId(api, 'Masks');
    volumeId = await app.volumeId('mask-phantom');
    await app.masks.waitForMaskLoaded(volumeId);
    // An empty mask is not drawn while navigating: no labelmap layer to render on every frame.
    expect(await app.masks.isDrawn()).toBe(false);
  });

  afterAll(async () => {
    api?.close();
    await closeAppSession(session, 'masks');
  });

  /** Pixels of the mask's colour (reddish; the phantom is grey, the crosshair lines blue and green) in a reference plane. */
  async function maskPixelsIn(plane: 'sagittal' | 'coronal', name: string): Promise<number> {
    const { width, height, rgba } = decodePng(await app.viewport.referenceScreenshot(plane, join(artifacts, name)));
    let count = 0;
    for (let pixel = 0; pixel < width * height; pixel += 1) {
      const [r, g, b] = [rgba[pixel * 4]!, rgba[pixel * 4 + 1]!, rgba[pixel * 4 + 2]!];
      if (r - g > 40 && r - b > 40) count += 1;
    }
    return count;
  }

  it('paints with the brush and saves the stroke on the slice shown', async () => {
    const { slice } = await app.viewport.read();
    // The crosshair's axial line runs where the stroke's slice cuts the sagittal plane: off while measuring there.
    await app.viewport.showCrosshairLines(false);
    const sagittalBefore = await maskPixelsIn('sagittal', 'mask-sagittal-before.png');
    await app.masks.chooseTool('brush');
    expect(await app.masks.isDrawn()).toBe(true);
    await app.masks.setBrushRadius(3);
    await app.masks.drawStroke([
      { x: -120, y: -20 },
      { x: 0, y: -20 },
      { x: 60, y: 40 }
    ]);
    const stored = await storedMask();
    expect(stored.slices).toEqual([slice]);
    expect(stored.voxels.length).toBeGreaterThan(30);
    // A drawn tumour makes its slice tumour-present.
    await expect.poll(async () => (await app.labels.sliceStates())[slice]).toBe('p');
    await app.viewport.screenshot(join(artifacts, 'mask-drawn.png'));
    // The stroke crosses the middle of the image, where the sagittal plane cuts: the mask shows there too.
    await expect.poll(() => maskPixelsIn('sagittal', 'mask-sagittal.png')).toBeGreaterThan(sagittalBefore + 2);
    await app.viewport.showCrosshairLines(true);
  });

  it('undoes and redoes the stroke, and erases part of it', async () => {
    const drawn = await storedMask();
    await app.masks.undo();
    expect((await storedMask()).voxels).toEqual([]);
    await app.masks.redo();
    expect((await storedMask()).voxels).toEqual(drawn.voxels);
    await app.masks.chooseTool('eraser');
    await app.masks.drawStroke([
      { x: -120, y: -60 },
      { x: -120, y: 20 }
    ]);
    const erased = await storedMask();
    expect(erased.voxels.length).toBeLessThan(drawn.voxels.length);
    expect(erased.voxels.length).toBeGreaterThan(0);
    expect(erased.voxels.every((voxel) => drawn.voxels.includes(voxel))).toBe(true);
  });

  it('shows the same mask after a reload, tags intact, and keeps it when drawing on', async () => {
    await app.labels.pressKey('p');
    const before = await storedMask();
    const states = await app.labels.sliceStates();
    await app.masks.chooseTool('navigate');
    const shotBefore = decodePng(await app.viewport.screenshot(join(artifacts, 'mask-before-reload.png')));
    await app.reload();
    await app.openProject('Masks');
    await app.chooseVolume('mask-phantom');
    await app.masks.waitForMaskLoaded(volumeId);
    expect(await app.masks.isDrawn()).toBe(true);
    expect(await app.labels.waitForStates()).toBe(states);
    expect(await app.labels.scanStateText()).toBe('Scan: tumour');
    const frames = (await app.viewport.read()).renderCount;
    await app.viewport.waitForFrameAfter(frames - 1);
    const shotAfter = decodePng(await app.viewport.screenshot(join(artifacts, 'mask-after-reload.png')));
    expect(compareImages(shotBefore, shotAfter).differingFraction).toBeLessThan(0.002);
    expect((await storedMask()).voxels).toEqual(before.voxels);
    // A new stroke on the same slice saves that whole slice: the old voxels survive only if the reload loaded them.
    await app.masks.chooseTool('brush');
    await app.masks.drawStroke([
      { x: 40, y: 120 },
      { x: 100, y: 120 }
    ]);
    const after = await storedMask();
    expect(before.voxels.every((voxel) => after.voxels.includes(voxel))).toBe(true);
    expect(after.voxels.length).toBeGreaterThan(before.voxels.length);
    expect(session!.pageErrors).toEqual([]);
  });

  it('fills the hole of a drawn ring on its slice, as one undoable step', async () => {
    for (let step = 0; step < 3; step++) await app.viewport.press('ArrowUp');
    const { slice } = await app.viewport.read();
    await app.masks.setBrushRadius(2);
    await app.masks.drawStroke([
      { x: -100, y: -100 },
      { x: 100, y: -100 },
      { x: 100, y: 100 },
      { x: -100, y: 100 },
      { x: -100, y: -100 }
    ]);
    const onSlice = async () =>
      (await storedMask()).voxels.filter((voxel) => Math.floor(voxel / sliceSize) === slice).length;
    const ring = await onSlice();
    await app.masks.fillHoles();
    const filled = await onSlice();
    expect(filled).toBeGreaterThan(ring + 50);
    await app.viewport.screenshot(join(artifacts, 'mask-filled.png'));
    await app.masks.undo();
    expect(await onSlice()).toBe(ring);
  });

  it('fills the slices between drawn ones by interpolation', async () => {
    for (let step = 0; step < 4; step++) await app.viewport.press('ArrowUp');
    // Along the ring's top edge, a few slices up: shapes that overlap, as a tumour's outline does from slice to slice.
    await app.masks.setBrushRadius(6);
    await app.masks.drawStroke([
      { x: -100, y: -100 },
      { x: 100, y: -100 }
    ]);
    const drawn = (await storedMask()).slices;
    expect(drawn.length).toBeGreaterThanOrEqual(3);
    await app.masks.interpolate();
    const { slices } = await storedMask();
    const first = drawn[0]!;
    const last = drawn[drawn.length - 1]!;
    expect(slices).toEqual(Array.from({ length: last - first + 1 }, (_, offset) => first + offset));
    await app.masks.undo();
    expect((await storedMask()).slices).toEqual(drawn);
  });
});
