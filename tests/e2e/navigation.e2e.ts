import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForSignals } from './pages/readBodySignals';
import { WorkstationPage } from './pages/WorkstationPage';
import { decodePng } from './support/decodePng';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { locateGreyLevels } from './support/measureImage';
import { superiorMarkerFirstSlice, writeOrientationPhantom } from './support/writeOrientationPhantom';

const artifacts = resolve(import.meta.dirname, 'artifacts');

/** The mouse and keyboard bindings shown under the viewport, each checked by what it does to the image. */
describe('viewport navigation', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let folder: string;

  /** Where the bright right-anterior marker is on screen, in viewport pixels from the centre. */
  async function locateBrightMarker(): Promise<{ x: number; y: number; count: number }> {
    const image = decodePng(await app.viewport.screenshot(join(artifacts, 'navigation-last.png')));
    const found = locateGreyLevels(image, 230, 255, 30);
    return { x: (found.x * image.width) / 2, y: (found.y * image.height) / 2, count: found.count };
  }

  beforeAll(async () => {
    // Wide enough that the acquisition view keeps the room it had before the sagittal and coronal views joined it:
    // the markers must stay on screen when zoomed and panned.
    session = await openAppSession('navigation', { viewport: { width: 1500, height: 760 } });
    ({ page, app, folder } = session);
    await app.createProject('Navigation');
    const path = join(folder, 'navigation-phantom.nii');
    writeOrientationPhantom(path, 'ras');
    await app.importFromPath(path, 'navigation-phantom');
    await app.chooseVolume('navigation-phantom');
    // The markers are measured on the image: the crosshair lines across them off.
    await app.viewport.showCrosshairLines(false);
  });

  afterAll(async () => {
    await closeAppSession(session, 'navigation');
  });

  it('zooms in with a right-drag downwards (as in OHIF) and resets the view with R', async () => {
    const initial = await app.viewport.read();
    const markerBefore = await locateBrightMarker();
    await app.viewport.drag('right', 0, 40);
    const zoomed = await app.viewport.read();
    expect(zoomed.zoom).toBeGreaterThan(initial.zoom * 1.2);
    expect(await app.page.getByTestId('zoom-readout').innerText()).toBe(`Zoom ${Math.round(zoomed.zoom * 100)}%`);
    expect((await locateBrightMarker()).count).toBeGreaterThan(markerBefore.count * 1.3);
    await app.viewport.drag('left', 40, 20);
    await app.viewport.press('r');
    const reset = await app.viewport.read();
    expect(reset.zoom).toBeCloseTo(initial.zoom, 3);
    expect(reset.slice).toBe(initial.slice);
    expect(reset.windowWidth).toBeCloseTo(initial.windowWidth, 3);
    expect(reset.windowCenter).toBeCloseTo(initial.windowCenter, 3);
  });

  it('pans with a middle-drag and with Shift + left-drag', async () => {
    const start = await locateBrightMarker();
    const window = await app.viewport.read();
    await app.viewport.drag('middle', 120, 0);
    const afterMiddle = await locateBrightMarker();
    expect(afterMiddle.x - start.x).toBeCloseTo(120, -1);
    expect(afterMiddle.y - start.y).toBeCloseTo(0, -1);
    await app.viewport.drag('left', 0, 80, { shift: true });
    const afterShift = await locateBrightMarker();
    expect(afterShift.y - afterMiddle.y).toBeCloseTo(80, -1);
    const after = await app.viewport.read();
    expect(after.windowWidth).toBe(window.windowWidth);
    expect(after.windowCenter).toBe(window.windowCenter);
    await app.viewport.press('r');
  });

  it('jumps along the slice bar: head at the top, feet at the bottom', async () => {
    const { sliceCount } = await app.viewport.read();
    // The phantom's k axis runs from the feet to the head, so the top of the bar is the last slice.
    await app.viewport.dragSliceBar(0.001);
    expect((await app.viewport.read()).slice).toBe(sliceCount - 1);
    await app.viewport.dragSliceBar(0.1, 0.999);
    expect((await app.viewport.read()).slice).toBe(0);
    await app.viewport.dragSliceBar(0.5);
    expect(Math.abs((await app.viewport.read()).slice - (sliceCount - 1) / 2)).toBeLessThanOrEqual(1);
  });

  it('shows the voxel under the pointer and its value', async () => {
    const { slice } = await app.viewport.read();
    const marker = await locateBrightMarker();
    const onMarker = await app.viewport.hover(marker.x, marker.y);
    // The bright right-anterior column: x 28-35, y 34-41 in the phantom's RAS grid, stored as is.
    expect(onMarker).toMatchObject({ value: 200, k: slice });
    expect(onMarker!.i).toBeGreaterThanOrEqual(28);
    expect(onMarker!.i).toBeLessThan(36);
    expect(onMarker!.j).toBeGreaterThanOrEqual(34);
    expect(onMarker!.j).toBeLessThan(42);
    expect(await app.page.getByTestId('hover-readout').innerText()).toBe(
      `Voxel ${onMarker!.i}, ${onMarker!.j}, ${onMarker!.k} · Value 200`
    );
    expect(slice).toBeLessThan(superiorMarkerFirstSlice);
    expect(await app.viewport.hover(0, 0)).toMatchObject({ value: 50, k: slice });
    await app.page.mouse.move(5, 5);
    await waitForSignals(app.page, [{ signal: 'viewerHoverVoxel', is: 'equal', value: null }]);
  });

  it('moves through slices with the arrow keys like the wheel', async () => {
    const start = await app.viewport.read();
    await app.viewport.press('ArrowUp');
    await app.viewport.press('ArrowUp');
    expect((await app.viewport.read()).slice).toBe(start.slice + 2);
    await app.viewport.press('ArrowDown');
    expect((await app.viewport.read()).slice).toBe(start.slice + 1);
    expect(session!.pageErrors).toEqual([]);
  });
});
