import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkstationPage } from './pages/WorkstationPage';
import { decodePng, type DecodedImage } from './support/decodePng';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { compareImages, locateGreyLevels } from './support/measureImage';
import {
  phantomDimensions,
  superiorMarkerFirstSlice,
  writeOrientationPhantom,
  type PhantomStorage
} from './support/writeOrientationPhantom';

const artifacts = resolve(import.meta.dirname, 'artifacts');

/**
 * The same anatomy stored in two voxel orders must look the same on screen: the patient's right on the screen's
 * left, anterior up, and the wheel turned away from the user moving towards the head.
 */
describe('orientation of the acquisition-axis view', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let folder: string;
  const middleSliceViews = new Map<PhantomStorage, DecodedImage>();

  beforeAll(async () => {
    session = await openAppSession('orientation');
    ({ page, app, folder } = session);
    await app.createProject('Orientation phantoms');
  });

  afterAll(async () => {
    await closeAppSession(session, 'orientation');
  });

  const cases: { storage: PhantomStorage; sliceStepTowardsHead: number }[] = [
    { storage: 'ras', sliceStepTowardsHead: 1 },
    { storage: 'flipped-i-and-k', sliceStepTowardsHead: -1 }
  ];

  it.each(cases)(
    'shows the $storage phantom in radiological orientation',
    async ({ storage, sliceStepTowardsHead }) => {
      const name = `phantom-${storage}`;
      const path = join(folder, `${name}.nii`);
      writeOrientationPhantom(path, storage);
      await app.importFromPath(path, name);
      await app.chooseVolume(name);
      expect(await app.viewport.orientationLabels()).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });

      const first = decodePng(await app.viewport.screenshot(join(artifacts, `orientation-${storage}.png`)));
      middleSliceViews.set(storage, first);
      const rightAnterior = locateGreyLevels(first, 230, 255);
      const leftPosterior = locateGreyLevels(first, 90, 160);
      expect(rightAnterior.count).toBeGreaterThan(1000);
      expect(leftPosterior.count).toBeGreaterThan(1000);
      expect(rightAnterior.x).toBeLessThan(-0.1);
      expect(rightAnterior.y).toBeLessThan(-0.1);
      expect(leftPosterior.x).toBeGreaterThan(0.1);
      expect(leftPosterior.y).toBeGreaterThan(0.1);

      // Towards the head (wheel away from the user) until the superior marker appears in the middle of the image.
      const start = await app.viewport.read();
      const middleSlice = Math.floor((phantomDimensions(storage)[2] - 1) / 2);
      const notches = superiorMarkerFirstSlice - middleSlice;
      expect(start.slice).toBe(middleSlice);
      // The superior marker is a bar in the middle: look only at the central part of the viewport.
      const centralMargin = Math.floor(0.35 * Math.min(first.width, first.height));
      expect(locateGreyLevels(first, 230, 255, centralMargin).count).toBe(0);
      await app.viewport.scrollWheel(-notches);
      expect((await app.viewport.read()).slice).toBe(middleSlice + sliceStepTowardsHead * notches);
      const superior = decodePng(await app.viewport.screenshot(join(artifacts, `orientation-${storage}-superior.png`)));
      expect(locateGreyLevels(superior, 230, 255, centralMargin).count).toBeGreaterThan(500);
      expect(session!.pageErrors).toEqual([]);
    }
  );

  const otherPlanes: { storage: PhantomStorage; labels: Record<'top' | 'bottom' | 'left' | 'right', string> }[] = [
    // Sagittal as in OHIF: seen from the patient's left, head up, face to the left.
    { storage: 'sagittal', labels: { top: 'S', bottom: 'I', left: 'A', right: 'P' } },
    // Coronal: seen from the front, head up, the patient's right on the screen's left.
    { storage: 'coronal', labels: { top: 'S', bottom: 'I', left: 'R', right: 'L' } }
  ];

  it.each(otherPlanes)('shows a $storage acquisition in its own plane, head up', async ({ storage, labels }) => {
    const name = `phantom-${storage}`;
    const path = join(folder, `${name}.nii`);
    writeOrientationPhantom(path, storage);
    await app.importFromPath(path, name);
    await app.chooseVolume(name);
    expect(await app.viewport.orientationLabels()).toEqual(labels);
    const view = decodePng(await app.viewport.screenshot(join(artifacts, `orientation-${storage}.png`)));
    const superiorBlock = locateGreyLevels(view, 230, 255);
    const dimBlock = locateGreyLevels(view, 50, 85);
    expect(superiorBlock.count).toBeGreaterThan(1000);
    expect(superiorBlock.y).toBeLessThan(-0.1);
    expect(Math.abs(superiorBlock.x)).toBeLessThan(0.2);
    // Sagittal: the anterior-inferior block; coronal: the right-inferior block. Both belong on the left, low.
    expect(dimBlock.count).toBeGreaterThan(1000);
    expect(dimBlock.x).toBeLessThan(-0.1);
    expect(dimBlock.y).toBeGreaterThan(0.1);
    expect(session!.pageErrors).toEqual([]);
  });

  it('shows an oblique acquisition as acquired: the voxel grid square to the screen, the labels oblique', async () => {
    const path = join(folder, 'phantom-oblique.nii');
    writeOrientationPhantom(path, 'ras', { obliqueDegrees: 20 });
    await app.importFromPath(path, 'phantom-oblique');
    await app.chooseVolume('phantom-oblique');
    // The grid's j axis (anterior, turned 20° towards the patient's left) is up.
    expect(await app.viewport.orientationLabels()).toEqual({ top: 'AL', bottom: 'PR', left: 'RA', right: 'LP' });
    const view = decodePng(await app.viewport.screenshot(join(artifacts, 'orientation-oblique.png')));
    const rightAnterior = locateGreyLevels(view, 230, 255);
    expect(rightAnterior.x).toBeLessThan(-0.1);
    expect(rightAnterior.y).toBeLessThan(-0.1);
    // A square marker not resampled into a turned square (which would fill about 60% of its bounding box).
    expect(rightAnterior.fillOfBoundingBox).toBeGreaterThan(0.85);
    expect(session!.pageErrors).toEqual([]);
  });

  it('shows the last volume chosen when the user clicks through volumes quickly', async () => {
    // The coronal phantom is on screen from the test above; the axial one must end up there.
    await app.volumeItem('phantom-sagittal').click();
    await app.volumeItem('phantom-flipped-i-and-k').click();
    await app.chooseVolume('phantom-ras');
    expect(await app.viewport.orientationLabels()).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
    expect(await app.page.getByTestId('viewport-title').innerText()).toBe('phantom-ras');
    expect(session!.pageErrors).toEqual([]);
  });

  it('draws both storage orders the same, pixel for pixel', () => {
    const [ras, flipped] = [middleSliceViews.get('ras'), middleSliceViews.get('flipped-i-and-k')];
    if (!ras || !flipped) throw new Error('the phantom views above did not run');
    const { meanDifference, differingFraction } = compareImages(ras, flipped);
    expect(differingFraction).toBeLessThan(0.001);
    expect(meanDifference).toBeLessThan(0.5);
  });
});
