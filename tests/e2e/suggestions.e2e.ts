import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SocketClient } from '../../main/contract';
import { readNumberSignal, readSignal, waitForSignals } from './pages/readBodySignals';
import type { WorkstationPage } from './pages/WorkstationPage';
import { closeAppSession, importPhantoms, openAppSession, type AppSession } from './support/appSession';
import { connectApi, findProjectId } from './support/connectApi';
import { trainingTimeout } from './pages/TrainingPage';
import { keepScreenshotOfFailures } from './support/keepScreenshotOfFailures';

const artifacts = resolve(import.meta.dirname, 'artifacts');

/**
 * The "Annotate next" queue as a user meets it: untagged scans first ask for a tag, G opens the suggested scan, and
 * once a model has proposed, a mask suggestion opens its scan on its slice with the brush ready; Shift+G skips.
 */
describe('suggestion queue', () => {
  let session: AppSession | undefined;
  let page: Page;
  keepScreenshotOfFailures(artifacts, () => page);
  let app: WorkstationPage;
  let api: SocketClient;
  let projectId: string;

  beforeAll(async () => {
    session = await openAppSession('suggestions', { viewport: { width: 1100, height: 900 } });
    ({ page, app } = session);
    api = connectApi(inject('appUrl'));
    await app.createProject('Suggestions');
    projectId = await findProjectId(api, 'Suggestions');
    await importPhantoms(session, ['first', 'second', 'third']);
  });

  afterAll(async () => {
    await api?.call('stopTraining', {}).catch(() => undefined);
    api?.close();
    await closeAppSession(session, 'suggestions');
  });

  const queue = () => page.getByTestId('suggestion-queue');
  const first = () => queue().getByTestId('suggestion').first();

  /** Presses a window-wide key with the viewport focused (never a text field). */
  async function press(key: string): Promise<void> {
    await page.getByTestId('viewport').focus();
    await page.keyboard.press(key);
  }

  /** Waits until the queue has been ranked again after `before` refreshes, and its first entry is in the page. */
  async function waitForRefreshAfter(before: number): Promise<void> {
    await waitForSignals(page, [{ signal: 'suggestionRefreshes', is: 'greater', value: before }], { timeout: 60_000 });
  }

  async function refreshes(): Promise<number> {
    return (await readSignal(page, 'suggestionRefreshes')) === null ? 0 : readNumberSignal(page, 'suggestionRefreshes');
  }

  it('asks for a tag on an untagged scan, and G opens that scan', async () => {
    // Each import re-ranks the queue: wait until all three scans are in it before reading its order.
    await queue().locator('[data-kind="tag-scan"]').nth(2).waitFor({ timeout: 60_000 });
    expect(await first().getAttribute('data-kind')).toBe('tag-scan');
    expect(await first().innerText()).toContain('Tag this scan');
    const volumeId = (await first().getAttribute('data-volume-id'))!;
    // What main ranks first, read through a second client, is what the queue shows first.
    const [ranked] = await api.call('suggestNext', { projectId, limit: 1 });
    expect(ranked).toMatchObject({ kind: 'tag-scan', volumeId });
    await press('g');
    await waitForSignals(
      page,
      [
        { signal: 'viewerVolumeId', is: 'equal', value: volumeId },
        { signal: 'viewerState', is: 'equal', value: 'rendered' },
        { signal: 'suggestionJump', is: 'equal', value: `tag-scan:${volumeId}:` }
      ],
      { timeout: 120_000 }
    );
    expect(await page.locator(`[data-testid="volume-item"][data-volume-id="${volumeId}"]`).getAttribute('aria-pressed')).toBe('true');
  });

  it('drops a scan from the queue once it is tagged, and Shift+G skips the first suggestion', async () => {
    const volumeId = (await readSignal(page, 'viewerVolumeId'))!;
    const before = await refreshes();
    await app.labels.pressKey('a');
    await waitForRefreshAfter(before);
    const tagged = queue().locator(`[data-kind="tag-scan"][data-volume-id="${volumeId}"]`);
    expect(await tagged.count()).toBe(0);
    const skipped = (await readSignal(page, 'suggestionTop'))!;
    await press('Shift+G');
    await waitForSignals(page, [{ signal: 'suggestionTop', is: 'different', value: skipped }]);
    const [kind, skippedVolume] = skipped.split(':');
    expect(await queue().locator(`[data-kind="${kind}"][data-volume-id="${skippedVolume}"]`).count()).toBe(0);
  });

  it(
    'after training, a mask suggestion opens its scan on its slice with the brush ready',
    async () => {
      // The second scan: tumour on three slices, one of them drawn; the third stays untagged for the model.
      const volumeId = await app.tagTumourRangeAndDraw('second', { strokeOn: 'middle' });
      await app.training.train({ preset: 'tiny', minutes: 1 });
      await app.training.waitForModelVersion(trainingTimeout);
      const beforeProposals = await refreshes();
      await app.training.proposeWithNewestModel(trainingTimeout);
      await waitForRefreshAfter(beforeProposals);
      await queue().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artifacts, 'suggestion-queue.png') });

      // Skip until a mask is asked for (each skip is checked to move the queue on).
      for (let skips = 0; (await first().getAttribute('data-kind')) !== 'draw-mask'; skips += 1) {
        expect(skips).toBeLessThan(5);
        const top = (await readSignal(page, 'suggestionTop'))!;
        await press('Shift+G');
        await waitForSignals(page, [{ signal: 'suggestionTop', is: 'different', value: top }]);
      }
      const maskVolume = (await first().getAttribute('data-volume-id'))!;
      const slice = Number(await first().getAttribute('data-slice'));
      expect(maskVolume).toBe(volumeId);
      const labels = await api.call('getWeakLabels', { projectId, volumeId });
      expect(labels.slices[slice]).toBe('present');
      const reason = await first().locator('.why').innerText();
      expect(reason).toMatch(/Draw the tumour on slice \d+: /);
      expect(reason).toMatch(/model/);

      // Leave the scan first, so the jump has to open it.
      await app.chooseVolume('first');
      await press('g');
      await waitForSignals(
        page,
        [
          { signal: 'viewerVolumeId', is: 'equal', value: volumeId },
          { signal: 'suggestionJump', is: 'equal', value: `draw-mask:${volumeId}:${slice}` },
          { signal: 'viewerSlice', is: 'equal', value: slice },
          { signal: 'maskTool', is: 'equal', value: 'brush' }
        ],
        { timeout: 120_000 }
      );
      await page.screenshot({ path: join(artifacts, 'suggestion-jump.png') });
    },
    trainingTimeout * 3
  );
});
