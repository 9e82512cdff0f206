import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colin27Path } from '../fixtures/fetchFixtures';
import { waitForSignals } from './pages/readBodySignals';
import { WorkstationPage } from './pages/WorkstationPage';
import { decodePng } from './support/decodePng';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { measureImage } from './support/measureImage';

const artifacts = resolve(import.meta.dirname, 'artifacts');

describe('viewing an imported NIfTI volume', () => {
  let session: AppSession | undefined;
  let page: Page;
  let app: WorkstationPage;
  keepScreenshotOfFailures(artifacts, () => page);

  beforeAll(async () => {
    session = await openAppSession('viewer', { viewport: { width: 1280, height: 800 } });
    ({ page, app } = session);
  });

  afterAll(async () => {
    await closeAppSession(session, 'viewer');
  });

  it('shows Colin27 in radiological orientation, scrolls with the wheel and sets window/level by dragging', async () => {
    await app.createProject('Brain atlas');
    await app.importFromPath(colin27Path(), 'ch2');
    await app.chooseVolume('ch2');

    const shown = await app.viewport.read();
    expect(shown.sliceCount).toBeGreaterThan(100);
    expect(shown.slice).toBe(Math.floor((shown.sliceCount - 1) / 2));
    expect(await app.viewport.sliceIndicatorText()).toBe(`Slice ${shown.slice + 1} / ${shown.sliceCount}`);
    // Axial, seen from the feet: anterior up, the patient's right on the screen's left.
    expect(await app.viewport.orientationLabels()).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });

    // The wheel turned towards the user moves towards the feet, as in OHIF and Slicer. Colin27's k axis runs from
    // the feet to the head, so its slice number goes down by one per notch.
    const notches = 7;
    await app.viewport.scrollWheel(notches);
    const scrolled = await app.viewport.read();
    expect(scrolled.slice).toBe(shown.slice - notches);
    expect(await app.viewport.sliceIndicatorText()).toBe(`Slice ${scrolled.slice + 1} / ${shown.sliceCount}`);

    // Left-drag: right widens the window, down raises the level (OHIF and Slicer behave the same way).
    await app.viewport.dragWithLeftButton(160, 80);
    const levelled = await app.viewport.read();
    const widthChange = levelled.windowWidth - scrolled.windowWidth;
    const centerChange = levelled.windowCenter - scrolled.windowCenter;
    expect(widthChange).toBeGreaterThan(0);
    expect(centerChange).toBeGreaterThan(0);
    expect(widthChange / centerChange).toBeCloseTo(2, 0);
    expect(levelled.slice).toBe(scrolled.slice);
    expect(await app.viewport.windowReadoutText()).toBe(
      `W ${Math.round(levelled.windowWidth)} L ${Math.round(levelled.windowCenter)}`
    );

    const png = await app.viewport.screenshot(join(artifacts, 'viewport-colin27-axial.png'));
    await app.screenshot(join(artifacts, 'workstation.png'));
    const statistics = measureImage(decodePng(png));
    expect(statistics.distinctGreyLevels).toBeGreaterThan(64);
    expect(statistics.standardDeviation).toBeGreaterThan(20);
    expect(statistics.nonBlackFraction).toBeGreaterThan(0.1);
    expect(statistics.nonBlackFraction).toBeLessThan(0.9);
    // An axial head is longer from front to back than from side to side: the image is not turned by 90°.
    const { content } = statistics;
    expect(content.bottom - content.top).toBeGreaterThan(content.right - content.left);
    expect(session!.pageErrors).toEqual([]);
  });

  it('shows the sagittal and coronal planes beside it, and sets the window from presets for all three', async () => {
    // The planes are built after the acquisition view's first frame: wait for the viewer to say they show the volume.
    await waitForSignals(page, [{ signal: 'viewerReferenceViews', is: 'equal', value: 'sagittal,coronal' }]);
    const sagittal = measureImage(
      decodePng(await app.viewport.referenceScreenshot('sagittal', join(artifacts, 'viewport-colin27-sagittal.png')))
    );
    const coronal = measureImage(
      decodePng(await app.viewport.referenceScreenshot('coronal', join(artifacts, 'viewport-colin27-coronal.png')))
    );
    for (const plane of [sagittal, coronal]) {
      expect(plane.nonBlackFraction).toBeGreaterThan(0.1);
      expect(plane.distinctGreyLevels).toBeGreaterThan(32);
    }
    // A head seen from the front is about as tall as it is wide or taller: the coronal plane is not turned by 90°.
    expect(coronal.content.bottom - coronal.content.top).toBeGreaterThan(
      0.8 * (coronal.content.right - coronal.content.left)
    );

    // Key 2 is the CT brain window, as OHIF numbers its presets; the list shows the choice.
    await app.viewport.press('2');
    await waitForSignals(page, [{ signal: 'viewerWindowPreset', is: 'equal', value: 'ct-brain' }]);
    expect(await app.viewport.windowReadoutText()).toBe('W 80 L 40');
    await app.viewport.chooseWindowPreset('ct-soft-tissue');
    expect(await app.viewport.windowReadoutText()).toBe('W 400 L 40');
    // The brain MR preset is the volume's own automatic window, the one it opened with.
    await app.viewport.chooseWindowPreset('automatic');
    const automatic = await app.viewport.read();
    expect(automatic.windowWidth).toBeGreaterThan(0);
    expect(await app.viewport.windowReadoutText()).not.toBe('W 400 L 40');
    await app.screenshot(join(artifacts, 'workstation-mpr.png'));
    expect(session!.pageErrors).toEqual([]);
  });
});
