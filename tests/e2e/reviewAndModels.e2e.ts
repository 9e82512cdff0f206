import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SocketClient } from '../../main/contract';
import { readSignal, waitForSignals } from './pages/readBodySignals';
import type { WorkstationPage } from './pages/WorkstationPage';
import { connectApi, findProjectId } from './support/connectApi';
import { closeAppSession, importPhantoms, openAppSession, type AppSession } from './support/appSession';
import { trainingTimeout } from './pages/TrainingPage';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';
import { copyNewestModelVersion, recordFixtureProposal } from './support/recordFixtureProposal';
import { anatomyShape } from './support/writeOrientationPhantom';

const artifacts = resolve(import.meta.dirname, 'artifacts');
const screens = resolve(import.meta.dirname, '../../docs/results/screens');
const sliceSize = anatomyShape[0] * anatomyShape[1];

/** A square "tumour" on the given slices, as a model's proposal. */
function squareOn(slices: number[]): Uint8Array {
  const labels = new Uint8Array(sliceSize * anatomyShape[2]);
  for (const slice of slices) {
    for (let row = 18; row < 30; row += 1) labels.fill(1, slice * sliceSize + row * anatomyShape[0] + 14, slice * sliceSize + row * anatomyShape[0] + 26);
  }
  return labels;
}

/**
 * A clinician trains a first model on too little data (and is told so), reads its card, names it, reviews its
 * proposals knowing which model made them, is taken to the next scan when one is done, opens a disagreement as a
 * second read, and deletes the model, told first what happens to its proposals. One tiny training run for the file.
 */
describe('model-aware review and a training panel to trust', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let api: SocketClient;
  let projectId: string;
  const ids: Record<string, string> = {};

  const listLine = (name: string) => page.getByTestId('volume-item').filter({ hasText: name }).getByTestId('volume-labels').innerText();

  beforeAll(async () => {
    session = await openAppSession('review-models', { viewport: { width: 1200, height: 900 } });
    ({ page, app } = session);
    api = connectApi(inject('appUrl'));
    await app.createProject('Review');
    projectId = await findProjectId(api, 'Review');
    Object.assign(ids, await importPhantoms(session, ['with-tumour', 'without-tumour', 'second-read', 'untouched-a', 'untouched-b']));
  });

  afterAll(async () => {
    await api?.call('stopTraining', {}).catch(() => undefined);
    api?.close();
    await closeAppSession(session, 'review-models');
  });

  it('warns before training on data too thin to learn from, then trains when told to', async () => {
    await app.tagTumourRangeAndDraw('with-tumour', { strokeOn: 'last' });
    for (const name of ['without-tumour', 'second-read']) {
      await app.chooseVolume(name);
      await app.labels.waitForStates();
      await app.labels.pressKey('a');
    }
    const data = page.getByTestId('training-data');
    await expect.poll(() => data.innerText(), { timeout: 30_000 }).toContain('3 tagged scans, 3 slices with tumour');
    expect(await data.innerText()).toContain('1 with a drawn mask');

    await page.getByTestId('training-advanced').click();
    await page.getByTestId('training-preset').selectOption('tiny');
    // The time limit the panel states is the one main applies (no "∞" beside "2 min left").
    expect(await page.getByTestId('training-minutes').getAttribute('placeholder')).toBe('2');
    await page.getByTestId('training-minutes').fill('1');
    await page.getByTestId('train').click();
    const warning = await page.getByTestId('thin-data-warning').innerText();
    expect(warning).toContain('1 slice with a drawn mask (fewer than 3)');
    expect(warning).toContain('3 slices tagged tumour (fewer than 10)');
    expect(await readSignal(page, 'trainingState')).not.toBe('training');
    await page.getByTestId('train-anyway').click();
    await waitForSignals(page, [{ signal: 'trainingState', is: 'equal', value: 'training' }], { timeout: 60_000 });
    await app.training.waitForProgress(trainingTimeout);
    const left = await page.getByTestId('training-time-left').innerText();
    expect(left).toMatch(/^step \d+ · (\d+ s|1 min) left$/);
    await app.training.waitForModelVersion(trainingTimeout);
  }, trainingTimeout * 2);

  it('shows a model card that says what it learnt from and what it measured, one curve, the loss terms behind details', async () => {
    const card = app.training.card(1);
    expect(await card.getByTestId('model-name').innerText()).toBe('Model 1');
    expect(await card.getByTestId('model-data').innerText()).toMatch(/^Learnt from 3 scans, \d+ tagged slices, 1 with a drawn mask\.$/);
    expect(await card.getByTestId('model-training').innerText()).toMatch(/GenSeg, tiny size · trained \d+ (s|min) · \d+ steps on /);
    const scores = await card.getByTestId('model-scores').innerText();
    const [version] = await api.call('listModelVersions', { projectId });
    if (version!.evaluation.dice !== null && version!.evaluation.heldOutLabelledSlices > 0) expect(scores).toMatch(/^Measured: outline overlap \(Dice\) \d\.\d\d on \d+ held-out/);
    else {
      // Nothing held out had a drawn tumour: no score of nothing, but what to do to get one.
      expect(scores).toMatch(/^Accuracy not measured: .+, to measure it\.$/);
      expect(scores).not.toMatch(/AUROC \d|Dice —|\(0 slices\)/);
    }
    expect(await page.getByTestId('improvement-chart').innerText()).toMatch(/Overlap with your masks|Overlap of the model’s outline/);
    const details = page.getByTestId('loss-details');
    const terms = /^Details: the (\d+) loss terms?, each on its own scale$/.exec(await details.locator('summary').innerText());
    expect(Number(terms?.[1])).toBeGreaterThan(0);
    expect(await details.locator('canvas').count()).toBe(Number(terms![1]));

    await app.training.rename(1, 'First try');
    expect(await card.getByTestId('model-name').innerText()).toBe('Model 1 · First try');
    expect((await api.call('listModelVersions', { projectId }))[0]!.name).toBe('First try');
    await card.scrollIntoViewIfNeeded();
    await app.training.screenshot(join(screens, 'training-panel-card.png'));
  });

  it('names the model on the review toolbar, counts k of n, marks reviewed slices and opens the next scan', async () => {
    await app.training.proposeWithNewestModel(trainingTimeout);
    // Every proposal of model 1 is stored before the fixtures replace some.
    await expect.poll(async () => (await api.call('getTrainingStatus', {})).state, { timeout: trainingTimeout }).toBe('idle');
    const workspace = inject('workspaceFolder');
    // Known proposals from model 1: four slices on one scan, two on the next; tumour on a scan tagged no tumour.
    const first = await recordFixtureProposal(workspace, projectId, ids['untouched-a']!, squareOn([12, 13, 14, 15]), sliceSize, 'pending');
    const second = await recordFixtureProposal(workspace, projectId, ids['untouched-b']!, squareOn([10, 11]), sliceSize, 'pending');
    await recordFixtureProposal(workspace, projectId, ids['second-read']!, squareOn([8, 9, 10]), sliceSize, 'disagreement');
    // A second version (model 1's weights under another number), so that the toolbar offers a choice of model.
    expect(await copyNewestModelVersion(workspace, projectId, 'Copy')).toBe(2);
    await app.reload();
    await app.openProject('Review');
    await app.chooseVolume('untouched-a');
    await waitForSignals(page, [{ signal: 'pendingProposalId', is: 'equal', value: first.proposalId }]);
    await app.review.waitForProposal(ids['untouched-a']!);
    expect(await app.review.modelLine()).toMatch(/^Proposal by Model 1 · First try · .+ · (held-out Dice \d\.\d\d|held-out AUROC \d\.\d\d|accuracy not measured) · GenSeg$/);
    const choice = page.getByTestId('review-model-choice');
    expect(await choice.locator('option').allInnerTexts()).toEqual(['Model 2 · Copy (newest)', 'Model 1 · First try']);
    expect(await app.review.progressText()).toBe('0 of 4 proposed slices reviewed');
    expect(await app.review.sliceMarks()).toEqual({ 12: 'to-review', 13: 'to-review', 14: 'to-review', 15: 'to-review' });

    const accepted = await app.review.jumpToProposedSlice(1);
    await app.review.press('y');
    await expect.poll(() => app.review.progressText(), { timeout: 10_000 }).toBe('1 of 4 proposed slices reviewed');
    await expect.poll(async () => (await app.review.sliceMarks())[accepted], { timeout: 10_000 }).toBe('accepted');
    const rejected = await app.review.jumpToProposedSlice(1);
    await app.review.press('x');
    await expect.poll(async () => (await app.review.sliceMarks())[rejected], { timeout: 10_000 }).toBe('rejected');
    await expect.poll(() => app.review.progressText(), { timeout: 10_000 }).toBe('2 of 4 proposed slices reviewed');
    // The scan tagged no tumour is flagged for a second read, not queued for review.
    expect(await page.getByTestId('volume-item').filter({ hasText: 'second-read' }).getByTestId('disagreement-badge').innerText()).toBe('Second read');
    expect(await listLine('second-read')).not.toContain('proposal to review');
    await app.screenshot(join(screens, 'review-model-named.png'));

    await app.review.jumpToProposedSlice(1);
    await app.review.press('y');
    await app.review.jumpToProposedSlice(1);
    await app.review.press('y');
    // The last proposed slice decided: the next scan with a proposal opens, and the user is told why.
    await waitForSignals(page, [{ signal: 'reviewNextOpened', is: 'equal', value: ids['untouched-b']! }]);
    await app.waitForNotification('info', 'Opening “untouched-b”, the next scan with a proposal to review.');
    await waitForSignals(page, [
      { signal: 'viewerVolumeId', is: 'equal', value: ids['untouched-b']! },
      { signal: 'pendingProposalId', is: 'equal', value: second.proposalId }
    ]);
    await expect.poll(() => app.review.progressText(), { timeout: 10_000 }).toBe('0 of 2 proposed slices reviewed');
    const [reviewed] = (await api.call('listProposals', { projectId, volumeId: ids['untouched-a']! })).filter((p) => p.id === first.proposalId);
    expect(reviewed?.status).toBe('reviewed');

    // The user asks model 2 to propose for this scan instead: its proposal replaces model 1's.
    await choice.selectOption({ label: 'Model 2 · Copy (newest)' });
    await waitForSignals(page, [{ signal: 'pendingProposalId', is: 'different', value: second.proposalId }], { timeout: trainingTimeout });
    await expect.poll(() => app.review.modelLine(), { timeout: 30_000 }).toMatch(/^Proposal by Model 2 · Copy · /);
    const statuses = (await api.call('listProposals', { projectId, volumeId: ids['untouched-b']! })).map((p) => [p.modelVersionNumber, p.status]);
    expect(statuses.filter(([, status]) => status === 'pending')).toEqual([[2, 'pending']]);
    await expect.poll(async () => (await api.call('getTrainingStatus', {})).state, { timeout: trainingTimeout }).toBe('idle');
  }, trainingTimeout);

  it('opens a disagreement as a second read, where keeping "no tumour" clears the flag', async () => {
    await app.chooseVolume('second-read');
    await app.review.waitForSecondRead(ids['second-read']!);
    expect(await page.getByTestId('second-read').innerText()).toBe(
      'Second read: you tagged this scan no tumour, the model found tumour on 3 slices.'
    );
    expect(await app.review.modelLine()).toContain('Model 1 · First try');
    await app.review.click('reject-all');
    const badge = page.getByTestId('volume-item').filter({ hasText: 'second-read' }).getByTestId('disagreement-badge');
    await expect.poll(() => badge.count(), { timeout: 10_000 }).toBe(0);
    expect(await listLine('second-read')).not.toContain('model disagrees');
    expect((await api.call('getWeakLabels', { projectId, volumeId: ids['second-read']! })).scan).toBe('absent');
  });

  it('deletes the model after saying what happens to its proposals, and withdraws those waiting', async () => {
    const confirmation = await app.training.askToDelete(1);
    expect(confirmation).toContain('proposals still waiting for review are withdrawn');
    expect(confirmation).toContain('Masks you accepted from it stay, still marked as accepted from model 1');
    await app.training.confirmDelete(1);
    await app.waitForNotification('info', 'Model 1 is deleted.');
    expect((await api.call('listModelVersions', { projectId })).map((version) => version.number)).toEqual([2]);
    // Model 1's waiting proposals are withdrawn; model 2's on untouched-b stays.
    const waiting = (await api.call('listVolumes', { projectId })).filter((volume) => volume.labels.pendingProposals > 0);
    expect(waiting.map((volume) => volume.name)).toEqual(['untouched-b']);
    await expect.poll(() => page.getByTestId('review-toolbar').count(), { timeout: 10_000 }).toBe(0);
    // What was accepted from it is still mask, still naming model 1.
    const { slices } = await api.call('getMaskSlices', { projectId, volumeId: ids['untouched-a']! });
    expect(slices.map((slice) => slice.provenance)).toEqual(['proposal-accepted', 'proposal-accepted', 'proposal-accepted']);
    expect(session!.pageErrors.filter((error) => !error.includes('attempt to set zero width color range'))).toEqual([]);
  });
});
