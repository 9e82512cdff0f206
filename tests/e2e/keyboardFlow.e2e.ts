import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNumberSignal, readSignal, waitForSignals } from './pages/readBodySignals';
import type { WorkstationPage } from './pages/WorkstationPage';
import { artifacts, closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { writeOrientationPhantom } from './support/writeOrientationPhantom';

const screens = join(import.meta.dirname, '../../docs/results/screens');

/**
 * Issue 19, item 7, as a user works by keyboard: `?` lists every key, the arrows scroll slices as soon as a scan is
 * chosen, Page Up/Down and Home/End jump, ↑ ↓ in the list move between scans with a focus ring that is not the
 * selection, and the image says what its colours mean without hiding the orientation letters.
 */
describe('working by keyboard', () => {
  let session: AppSession | undefined;
  let page: Page;
  let app: WorkstationPage;
  let folder: string;
  keepScreenshotOfFailures(artifacts, () => page);

  beforeAll(async () => {
    session = await openAppSession('keyboard', { viewport: { width: 1280, height: 800 } });
    ({ page, app, folder } = session);
    await app.createProject('Keys');
    for (const [name, storage] of [['first scan', 'ras'], ['second scan', 'coronal'], ['third scan', 'sagittal']] as const) {
      writeOrientationPhantom(join(folder, `${name}.nii`), storage);
      await app.importFromPath(join(folder, `${name}.nii`), name);
    }
  });

  afterAll(async () => {
    await closeAppSession(session, 'keyboard');
  });

  const slice = () => readNumberSignal(page, 'viewerSlice');

  /** Presses a key on whatever has the focus and waits until the slice on screen is no longer `from`. */
  async function pressForSlice(key: string, from: number): Promise<number> {
    await page.keyboard.press(key);
    await waitForSignals(page, [{ signal: 'viewerSlice', is: 'different', value: from }]);
    return slice();
  }

  it('scrolls slices with the arrows as soon as a scan is chosen in the list, and jumps with Page Up/Down, Home and End', async () => {
    await app.chooseVolume('first scan');
    // The click chose the scan; the keyboard is not left in the list.
    expect(await page.getByTestId('volume-list').locator(':focus').count()).toBe(0);
    const count = await readNumberSignal(page, 'viewerSliceCount');
    const start = await slice();
    const down = await pressForSlice('ArrowDown', start);
    expect(Math.abs(down - start)).toBe(1);
    const direction = down - start;
    expect(await pressForSlice('ArrowUp', down)).toBe(start);
    expect(await pressForSlice('PageDown', start)).toBe(start + 10 * direction);
    expect(await pressForSlice('PageUp', start + 10 * direction)).toBe(start);
    expect(await pressForSlice('Home', start)).toBe(0);
    expect(await page.getByTestId('slice-indicator').innerText()).toBe(`Slice 1 / ${count}`);
    expect(await pressForSlice('End', 0)).toBe(count - 1);
  });

  it('moves between scans with ↑ ↓ in the list, showing a focus ring apart from the selection, and leaves the list with Enter', async () => {
    // To the list by keyboard, as a user without a mouse: from the filter field, Tab past the two menus.
    await page.getByTestId('volume-filter').focus();
    for (let step = 0; step < 3; step++) await page.keyboard.press('Tab');
    const first = app.volumeItem('first scan');
    expect(await first.evaluate((element) => element.matches(':focus'))).toBe(true);

    await page.keyboard.press('ArrowDown');
    const second = app.volumeItem('second scan');
    await waitForSignals(page, [{ signal: 'viewerVolumeId', is: 'equal', value: await app.volumeId('second scan') }, { signal: 'viewerState', is: 'equal', value: 'rendered' }]);
    expect(await second.getAttribute('aria-pressed')).toBe('true');
    expect(await second.evaluate((element) => element.matches(':focus'))).toBe(true);
    // The ring (white outline) is not the selection's blue border.
    const looks = await second.evaluate((element) => {
      const style = element.ownerDocument.defaultView!.getComputedStyle(element);
      return { outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`, border: style.borderColor };
    });
    expect(looks.outline).toBe('solid 2px rgb(244, 246, 248)');
    expect(looks.border).toBe('rgb(79, 163, 255)');
    await page.keyboard.press('ArrowDown');
    await waitForSignals(page, [{ signal: 'viewerVolumeId', is: 'equal', value: await app.volumeId('third scan') }]);
    await page.keyboard.press('ArrowUp');
    await waitForSignals(page, [{ signal: 'viewerVolumeId', is: 'equal', value: await app.volumeId('second scan') }, { signal: 'viewerState', is: 'equal', value: 'rendered' }]);

    // Enter leaves the list: the arrows scroll slices of the chosen scan again.
    await page.keyboard.press('Enter');
    const before = await slice();
    await pressForSlice('ArrowDown', before);
    expect(await readSignal(page, 'viewerVolumeId')).toBe(await app.volumeId('second scan'));
  });

  it('keeps the right-hand orientation letter clear of the slice-tag strip and explains every colour in a legend', async () => {
    await app.labels.pressKey('p');
    const letter = await page.getByTestId('orientation-right').boundingBox();
    const strip = await page.getByTestId('weak-label-strip').boundingBox();
    expect(letter && strip).toBeTruthy();
    expect(letter!.x + letter!.width).toBeLessThan(strip!.x);
    expect(await page.getByTestId('legend-entry').allInnerTexts()).toEqual(['Mask', 'Model proposal', 'tumour', 'no tumour', 'not tagged']);
  });

  it('lists every key, grouped, on ?, holds the keys back while open, and closes with Esc', async () => {
    await page.keyboard.press('?');
    await waitForSignals(page, [{ signal: 'shortcutSheet', is: 'equal', value: 'open' }]);
    const sheet = page.getByTestId('shortcut-sheet');
    expect(await sheet.getByTestId('shortcut-group').evaluateAll((groups) => groups.map((group) => group.getAttribute('data-group')))).toEqual([
      'Help', 'Scans', 'Slices', 'View', 'Sequences', 'Tags', 'Mask', 'Review', 'Mouse'
    ]);
    const entries = await sheet.getByTestId('shortcut-entry').evaluateAll((items) => items.map((item) => item.getAttribute('data-shortcut')));
    for (const id of ['slices.pageNext', 'slices.first', 'scans.listDown', 'tags.scanAbsent', 'mask.undo', 'review.acceptAll', 'view.reset', 'sequences.next', 'sequences.sideBySide']) {
      expect(entries).toContain(id);
    }
    expect(await sheet.innerText()).toContain('Ten slices on');
    await app.screenshot(join(screens, 'shortcut-sheet.png'));
    // A key pressed while the list is open does not tag the scan behind it.
    await page.keyboard.press('a');
    expect(await app.labels.scanStateText()).toBe('Scan: tumour');
    await page.keyboard.press('Escape');
    await waitForSignals(page, [{ signal: 'shortcutSheet', is: 'equal', value: 'closed' }]);
    expect(await sheet.count()).toBe(0);
    expect(await readSignal(page, 'maskTool')).not.toBe('brush');
    expect(session!.pageErrors).toEqual([]);
  });
});
