import type { Page } from 'playwright-core';
import { readNumberSignal, readSignal, waitForSignals } from './readBodySignals';

/** The slice tags: the toolbar above the viewport, its keys, and the strip beside the slice bar. */
export class LabelsPage {
  constructor(private readonly page: Page) {}

  /** One letter per slice (p, a, u), as the strip shows them. */
  async sliceStates(): Promise<string> {
    return (await this.page.getByTestId('weak-label-strip').getAttribute('data-states')) ?? '';
  }

  /** Waits until main has the tags loaded for the volume on screen. */
  async waitForStates(): Promise<string> {
    await this.page.getByTestId('weak-label-strip').waitFor();
    return this.sliceStates();
  }

  private async savedCount(): Promise<number> {
    return (await readSignal(this.page, 'weakLabelsSaved')) === null
      ? 0
      : readNumberSignal(this.page, 'weakLabelsSaved');
  }

  /** Presses a tagging key with the viewport focused and waits until main confirmed the change was saved. */
  async pressKey(key: string): Promise<string> {
    const before = await this.savedCount();
    await this.page.getByTestId('viewport').focus();
    await this.page.keyboard.press(key);
    await waitForSignals(this.page, [{ signal: 'weakLabelsSaved', is: 'greater', value: before }]);
    return this.sliceStates();
  }

  /** Clicks a toolbar button and waits until main confirmed the change was saved. */
  async clickButton(testId: string): Promise<string> {
    const before = await this.savedCount();
    await this.page.getByTestId(testId).click();
    await waitForSignals(this.page, [{ signal: 'weakLabelsSaved', is: 'greater', value: before }]);
    return this.sliceStates();
  }

  /** Clicks the strip at `fraction` of its height (0 top, 1 bottom) and waits for the slice to change. */
  async clickStrip(fraction: number): Promise<void> {
    const box = await this.page.getByTestId('weak-label-strip').boundingBox();
    if (!box) throw new Error('the tag strip is not on screen');
    const before = await readSignal(this.page, 'viewerSlice');
    await this.page.mouse.click(box.x + box.width / 2, box.y + fraction * box.height);
    await waitForSignals(this.page, [{ signal: 'viewerSlice', is: 'different', value: before }]);
  }

  /** Drags along the strip from `from` to `to` (fractions of its height) and waits until main saved the range. */
  async dragStrip(from: number, to: number): Promise<string> {
    const box = await this.page.getByTestId('weak-label-strip').boundingBox();
    if (!box) throw new Error('the tag strip is not on screen');
    const before = await this.savedCount();
    const x = box.x + box.width / 2;
    await this.page.mouse.move(x, box.y + from * box.height);
    await this.page.mouse.down();
    await this.page.mouse.move(x, box.y + to * box.height, { steps: 8 });
    await this.page.mouse.up();
    await waitForSignals(this.page, [{ signal: 'weakLabelsSaved', is: 'greater', value: before }]);
    return this.sliceStates();
  }

  async scanStateText(): Promise<string> {
    return this.page.getByTestId('scan-state').innerText();
  }

  /** A screenshot of the viewport with its slice bar and tag strip. */
  async screenshot(path: string): Promise<void> {
    await this.page.getByTestId('viewport-frame').screenshot({ path });
  }
}
