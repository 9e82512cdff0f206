import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSignal, waitForSignals } from './pages/readBodySignals';
import { WorkstationPage } from './pages/WorkstationPage';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { anatomyShape, writeOrientationPhantom } from './support/writeOrientationPhantom';

const artifacts = resolve(import.meta.dirname, 'artifacts');
const sliceCount = anatomyShape[2];

function expectedStates(present: (k: number) => boolean, otherwise: 'a' | 'u'): string {
  return Array.from({ length: sliceCount }, (_, k) => (present(k) ? 'p' : otherwise)).join('');
}

/** Tagging scans and slices with the keys and buttons, seen in the strip and the volume list, kept across a reload. */
describe('slice tags', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let folder: string;

  beforeAll(async () => {
    session = await openAppSession('labels');
    ({ page, app, folder } = session);
    await app.createProject('Tags');
    for (const name of ['tagged-phantom', 'second-phantom']) {
      const path = join(folder, `${name}.nii`);
      writeOrientationPhantom(path, 'ras');
      await app.importFromPath(path, name);
    }
    await app.chooseVolume('tagged-phantom');
  });

  afterAll(async () => {
    await closeAppSession(session, 'labels');
  });

  it('starts with every slice unknown', async () => {
    expect(await app.labels.waitForStates()).toBe('u'.repeat(sliceCount));
    expect(await app.labels.scanStateText()).toBe('Scan: not tagged');
  });

  it('tags the scan present and marks where the tumour starts and ends with [ and ]', async () => {
    await app.labels.pressKey('p');
    expect(await app.labels.scanStateText()).toBe('Scan: tumour');
    const { slice: first } = await app.viewport.read();
    await app.labels.pressKey('[');
    await app.viewport.press('ArrowUp');
    await app.viewport.press('ArrowUp');
    const states = await app.labels.pressKey(']');
    expect(states).toBe(expectedStates((k) => k >= first && k <= first + 2, 'a'));
    expect(await app.page.getByTestId('tumour-ranges').innerText()).toBe(`Tumour slices ${first + 1}–${first + 3}`);
    // A second range, further up, with the buttons.
    for (let step = 0; step < 5; step++) await app.viewport.press('ArrowUp');
    await app.labels.clickButton('tumour-start');
    await app.viewport.press('ArrowUp');
    const two = await app.labels.clickButton('tumour-end');
    expect(two).toBe(expectedStates((k) => (k >= first && k <= first + 2) || k === first + 7 || k === first + 8, 'a'));
    await app.labels.screenshot(join(artifacts, 'labels-ranges.png'));
  });

  it('toggles one slice with T and keeps everything across a reload', async () => {
    await app.labels.clickStrip(0.999); // the bottom of the strip is the feet: slice 0 in this phantom
    expect((await app.viewport.read()).slice).toBe(0);
    const toggled = await app.labels.pressKey('t');
    expect(toggled[0]).toBe('p');
    await app.reload();
    await app.openProject('Tags');
    await app.chooseVolume('tagged-phantom');
    expect(await app.labels.waitForStates()).toBe(toggled);
    await expect
      .poll(() => app.volumeItem('tagged-phantom').getByTestId('volume-labels').innerText())
      .toBe(`Tumour · ${toggled.split('p').length - 1} with tumour · ${toggled.split('a').length - 1} without`);
  });

  it('tags another scan absent: every slice absent, shown in the list', async () => {
    await app.chooseVolume('second-phantom');
    expect(await app.labels.waitForStates()).toBe('u'.repeat(sliceCount));
    expect(await app.labels.pressKey('a')).toBe('a'.repeat(sliceCount));
    await expect
      .poll(() => app.volumeItem('second-phantom').getByTestId('volume-labels').innerText())
      .toBe(`No tumour · ${sliceCount} without`);
    await app.labels.screenshot(join(artifacts, 'labels-absent.png'));
  });

  it('marks a tumour range by dragging along the strip', async () => {
    const states = await app.labels.dragStrip(0.3, 0.5);
    expect(states).toMatch(/^a+p+a+$/);
    const present = states.split('').filter((state) => state === 'p').length;
    expect(present).toBeGreaterThanOrEqual(5);
    expect(present).toBeLessThanOrEqual(8);
    expect(await app.labels.scanStateText()).toBe('Scan: tumour');
    await app.labels.screenshot(join(artifacts, 'labels-dragged-range.png'));
    expect(session!.pageErrors).toEqual([]);
  });

  it('filters the list by tag and text, and jumps to the next untagged scan with U', async () => {
    const path = join(folder, 'third-phantom.nii');
    writeOrientationPhantom(path, 'ras');
    await app.importFromPath(path, 'third-phantom');
    const thirdId = await app.volumeId('third-phantom');
    const items = page.getByTestId('volume-item');
    // Both earlier scans now have a tumour range; the new one is untagged.
    await page.getByTestId('volume-state-filter').selectOption('present');
    await expect.poll(() => items.count()).toBe(2);
    await page.getByTestId('volume-state-filter').selectOption('untagged');
    await expect.poll(() => items.allInnerTexts()).toEqual([expect.stringContaining('third-phantom')]);
    await page.getByTestId('volume-state-filter').selectOption('all');
    await page.getByTestId('volume-filter').fill('second');
    await expect.poll(() => items.count()).toBe(1);
    await page.getByTestId('volume-filter').fill('');
    await expect.poll(() => items.count()).toBe(3);
    // The import opened the new scan; back to the first one, to jump from there.
    expect(await readSignal(page, 'viewerVolumeId')).toBe(thirdId);
    await app.chooseVolume('tagged-phantom');
    // Keys typed into the filter stay there; outside it, U jumps.
    await page.getByTestId('volume-filter').focus();
    await page.getByTestId('volume-filter').blur();
    await page.keyboard.press('u');
    await waitForSignals(page, [
      { signal: 'volumeJump', is: 'equal', value: `untagged:${thirdId}` },
      { signal: 'viewerVolumeId', is: 'equal', value: thirdId }
    ]);
    expect(session!.pageErrors).toEqual([]);
  });
});
