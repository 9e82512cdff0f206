import type { Page } from 'playwright-core';
import { readNumberSignal, readSignal, waitForSignals } from './readBodySignals';

/** The real training process runs here on two shared cores: minutes, not seconds. */
export const trainingTimeout = 540_000;

/** The training panel: Train (with the advanced fold), the live progress, the model versions and "Propose". */
export class TrainingPage {
  constructor(private readonly page: Page) {}

  /**
   * Opens "Advanced", chooses method and preset, presses Train and waits until the job runs; when the panel warns that
   * the data is thin, presses "Train anyway" (returning the warning).
   */
  async train({ method, preset, minutes }: { method?: string; preset?: string; minutes?: number } = {}): Promise<string | null> {
    if (method || preset || minutes) {
      await this.page.getByTestId('training-advanced').click();
      if (method) await this.page.getByTestId('training-method').selectOption(method);
      if (preset) await this.page.getByTestId('training-preset').selectOption(preset);
      if (minutes) await this.page.getByTestId('training-minutes').fill(String(minutes));
    }
    await this.page.getByTestId('train').click();
    const warning = this.page.getByTestId('thin-data-warning');
    const started = waitForSignals(this.page, [{ signal: 'trainingState', is: 'equal', value: 'training' }], { timeout: 60_000 });
    const warned = warning.waitFor({ timeout: 60_000 }).then(() => 'warned' as const);
    if ((await Promise.race([started.then(() => 'started' as const), warned])) === 'warned') {
      const text = await warning.innerText();
      await this.page.getByTestId('train-anyway').click();
      await waitForSignals(this.page, [{ signal: 'trainingState', is: 'equal', value: 'training' }], { timeout: 60_000 });
      return text;
    }
    return null;
  }

  /** Waits until the first progress of the run is shown (step, curves). */
  async waitForProgress(timeout = 300_000): Promise<void> {
    await this.page
      .getByTestId('training-backend')
      .filter({ hasText: /Running on \w/ })
      .waitFor({ timeout });
  }

  async modelVersionCount(): Promise<number> {
    return (await readSignal(this.page, 'modelVersionCount')) === null
      ? 0
      : readNumberSignal(this.page, 'modelVersionCount');
  }

  /** Waits until the run has finished and written a model version. */
  async waitForModelVersion(timeout: number): Promise<void> {
    await waitForSignals(
      this.page,
      [
        { signal: 'modelVersionCount', is: 'greater', value: 0 },
        { signal: 'trainingState', is: 'equal', value: 'idle' }
      ],
      { timeout }
    );
  }

  /** Presses "Propose for all untouched scans" on the newest model and waits until the proposal job has finished. */
  async proposeWithNewestModel(timeout: number): Promise<void> {
    await this.page.getByTestId('propose-masks').first().click();
    await waitForSignals(this.page, [{ signal: 'proposalsDone', is: 'greater', value: 0 }], { timeout: 60_000 });
    await waitForSignals(this.page, [{ signal: 'trainingState', is: 'equal', value: 'idle' }], { timeout });
  }

  /** The card of model version `number`. */
  card(number: number) {
    return this.page.locator(`[data-testid="model-version"][data-model-number="${number}"]`);
  }

  private async editCount(): Promise<number> {
    return (await readSignal(this.page, 'modelVersionEdits')) === null ? 0 : readNumberSignal(this.page, 'modelVersionEdits');
  }

  /** Renames a model version on its card and waits until main has it. */
  async rename(number: number, name: string): Promise<void> {
    const before = await this.editCount();
    await this.card(number).getByTestId('model-rename').click();
    await this.card(number).getByTestId('model-name-input').fill(name);
    await this.card(number).getByTestId('model-name-save').click();
    await waitForSignals(this.page, [{ signal: 'modelVersionEdits', is: 'greater', value: before }]);
  }

  /** Presses Delete on a card and returns what the confirmation says, before anything is deleted. */
  async askToDelete(number: number): Promise<string> {
    await this.card(number).getByTestId('model-delete').click();
    return this.card(number).getByTestId('model-delete-confirm').innerText();
  }

  /** Confirms the deletion asked for and waits until main has done it. */
  async confirmDelete(number: number): Promise<void> {
    const before = await this.editCount();
    await this.card(number).getByTestId('model-delete-confirmed').click();
    await waitForSignals(this.page, [{ signal: 'modelVersionEdits', is: 'greater', value: before }]);
  }

  async panelText(): Promise<string> {
    return this.page.getByTestId('training-panel').innerText();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.getByTestId('training-panel').screenshot({ path });
  }
}
