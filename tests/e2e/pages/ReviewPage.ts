import type { Page } from 'playwright-core';
import { readNumberSignal, readSignal, waitForSignals } from './readBodySignals';

/** Reviewing a proposal in the viewer: waiting for it to be drawn, accepting or rejecting it. */
export class ReviewPage {
  constructor(private readonly page: Page) {}

  /** Waits until the viewer draws the pending proposal of `volumeId`. */
  async waitForProposal(volumeId: string, timeout = 60_000): Promise<void> {
    await waitForSignals(
      this.page,
      [
        { signal: 'proposalShown', is: 'equal', value: volumeId },
        { signal: 'pendingProposalId', is: 'different', value: '' }
      ],
      { timeout }
    );
  }

  /** Waits until the viewer draws the disagreement of `volumeId`, opened as a second read. */
  async waitForSecondRead(volumeId: string, timeout = 60_000): Promise<void> {
    await waitForSignals(
      this.page,
      [
        { signal: 'proposalShown', is: 'equal', value: volumeId },
        { signal: 'secondReadProposalId', is: 'different', value: '' }
      ],
      { timeout }
    );
  }

  /** The toolbar's line naming the model that made the proposal on screen. */
  async modelLine(): Promise<string> {
    return this.page.getByTestId('review-model').innerText();
  }

  /** "k of n proposed slices reviewed", as the toolbar says it. */
  async progressText(): Promise<string> {
    return this.page.getByTestId('review-progress').innerText();
  }

  /** The marks beside the slice bar: slice index → 'to-review' | 'accepted' | 'rejected'. */
  async sliceMarks(): Promise<Record<number, string>> {
    const marks = this.page.getByTestId('proposed-slice-mark');
    const entries: Record<number, string> = {};
    for (const mark of await marks.all()) {
      entries[Number(await mark.getAttribute('data-slice'))] = (await mark.getAttribute('data-review')) ?? '';
    }
    return entries;
  }

  private async reviewCount(): Promise<number> {
    return (await readSignal(this.page, 'proposalReviews')) === null
      ? 0
      : readNumberSignal(this.page, 'proposalReviews');
  }

  /** Moves to the next (1) or previous (-1) proposed slice with the . and , keys; returns the new slice. */
  async jumpToProposedSlice(direction: 1 | -1): Promise<number> {
    const before = await readSignal(this.page, 'viewerSlice');
    await this.page.getByTestId('viewport').focus();
    await this.page.keyboard.press(direction === 1 ? '.' : ',');
    await waitForSignals(this.page, [{ signal: 'viewerSlice', is: 'different', value: before }]);
    return readNumberSignal(this.page, 'viewerSlice');
  }

  /** Presses a review key (y, x, Shift+Y, Shift+X) with the viewport focused and waits until main has it. */
  async press(key: 'y' | 'x' | 'Shift+Y' | 'Shift+X'): Promise<void> {
    const before = await this.reviewCount();
    await this.page.getByTestId('viewport').focus();
    await this.page.keyboard.press(key);
    await waitForSignals(this.page, [{ signal: 'proposalReviews', is: 'greater', value: before }]);
  }

  /** Clicks a review button (accept-all, accept-slice, reject-slice, reject-all) and waits until main has it. */
  async click(testId: 'accept-all' | 'accept-slice' | 'accept-edited' | 'reject-slice' | 'reject-all'): Promise<void> {
    const before = await this.reviewCount();
    await this.page.getByTestId(testId).click();
    await waitForSignals(this.page, [{ signal: 'proposalReviews', is: 'greater', value: before }]);
  }
}
