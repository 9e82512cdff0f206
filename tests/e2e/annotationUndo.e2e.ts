import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SocketClient } from '../../main/contract';
import { readSignal } from './pages/readBodySignals';
import type { WorkstationPage } from './pages/WorkstationPage';
import { connectApi, describeMask, findProjectId } from './support/connectApi';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { anatomyShape, writeOrientationPhantom } from './support/writeOrientationPhantom';

const artifacts = resolve(import.meta.dirname, 'artifacts');
const sliceSize = anatomyShape[0] * anatomyShape[1];

/**
 * A clinician draws, changes their mind and presses Ctrl+Z: the slice and the scan go back to the tags they had, and
 * the list, the strip and the export say what the voxels say.
 */
describe('annotations under undo', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let api: SocketClient;
  let projectId: string;
  let volumeId: string;

  const listLine = () => page.getByTestId('volume-item').filter({ hasText: 'undo-phantom' }).getByTestId('volume-labels').innerText();
  const storedMask = async () => describeMask((await api.call('getVolumeMask', { projectId, volumeId })).labels, sliceSize);
  const stroke = [
    { x: 40, y: 0 },
    { x: 80, y: 20 }
  ];

  beforeAll(async () => {
    session = await openAppSession('undo');
    ({ page, app } = session);
    api = connectApi(inject('appUrl'));
    await app.createProject('Undo');
    projectId = await findProjectId(api, 'Undo');
    const path = join(session.folder, 'undo-phantom.nii');
    writeOrientationPhantom(path, 'ras');
    await app.importFromPath(path, 'undo-phantom');
    await app.chooseVolume('undo-phantom');
    volumeId = await app.volumeId('undo-phantom');
    await app.masks.waitForMaskLoaded(volumeId);
  });

  afterAll(async () => {
    api?.close();
    await closeAppSession(session, 'undo');
  });

  it('undoing the only stroke on an untagged scan leaves it untagged, unmasked, with nothing to export', async () => {
    const untouched = await app.labels.waitForStates();
    expect(new Set(untouched)).toEqual(new Set(['u']));
    expect(await listLine()).toBe('Not tagged');
    await app.masks.chooseTool('brush');
    await app.masks.setBrushRadius(4);
    await app.masks.drawStroke(stroke);
    const drawn = await storedMask();
    expect(drawn.slices).toHaveLength(1);
    const [slice] = drawn.slices;
    await expect.poll(listLine).toBe('Tumour · 1 with tumour · 1 masked');
    await expect.poll(() => app.labels.sliceStates()).toBe(untouched.slice(0, slice) + 'p' + untouched.slice(slice! + 1));

    await app.masks.undo();
    await expect.poll(listLine).toBe('Not tagged');
    await expect.poll(() => app.labels.sliceStates()).toBe(untouched);
    expect((await storedMask()).voxels).toEqual([]);
    expect((await api.call('getVolumeMask', { projectId, volumeId })).maskedSlices).toEqual([]);
    await page.getByTestId('export-masks').click();
    expect(await app.waitForNotification('error', 'nothing to export')).toContain('no volume has a mask');

    // Redo brings the stroke and its tags back; the export's manifest names that one slice.
    await app.masks.redo();
    await expect.poll(listLine).toBe('Tumour · 1 with tumour · 1 masked');
    const exported = await api.call('exportMasks', { projectId });
    expect(exported.cases.map((entry) => entry.maskedSlices)).toEqual([drawn.slices]);
    expect((await storedMask()).voxels).toEqual(drawn.voxels);
  });

  it('undoing a stroke outside the tagged tumour range gives that slice back its range tag', async () => {
    await app.masks.undo();
    await app.masks.chooseTool('navigate');
    // Tumour on three slices: P, then [ on this slice, two up, ].
    await app.labels.pressKey('p');
    await app.labels.pressKey('[');
    await app.viewport.press('ArrowUp');
    await app.viewport.press('ArrowUp');
    const tagged = await app.labels.pressKey(']');
    expect(tagged.split('').filter((state) => state === 'p')).toHaveLength(3);
    // Two slices above the range, tagged no tumour by it, a stroke.
    await app.viewport.press('ArrowUp');
    await app.viewport.press('ArrowUp');
    const outside = Number(await readSignal(page, 'viewerSlice'));
    expect(tagged[outside]).toBe('a');
    await app.masks.chooseTool('brush');
    await app.masks.drawStroke(stroke);
    await expect.poll(async () => (await app.labels.sliceStates())[outside]).toBe('p');
    await expect.poll(listLine).toBe('Tumour · 4 with tumour · ' + `${tagged.split('').filter((s) => s === 'a').length - 1} without · 1 masked`);
    await app.masks.undo();
    await expect.poll(() => app.labels.sliceStates()).toBe(tagged);
    await expect.poll(listLine).toBe(`Tumour · 3 with tumour · ${tagged.split('').filter((s) => s === 'a').length} without`);
    await app.screenshot(join(artifacts, 'undo-restored-tags.png'));
    expect(session!.pageErrors).toEqual([]);
  });
});
