import type { Page } from 'playwright-core';
import { readNumberSignal, readSignal, waitForSignals } from './readBodySignals';

export interface ViewportReadout {
  slice: number;
  sliceCount: number;
  windowWidth: number;
  windowCenter: number;
  zoom: number;
  renderCount: number;
}

/** The image viewport: mouse input as a user gives it, and what the viewer says it shows. */
export class ViewportPage {
  constructor(private readonly page: Page) {}

  private get element() {
    return this.page.getByTestId('viewport');
  }

  async read(): Promise<ViewportReadout> {
    return {
      slice: await readNumberSignal(this.page, 'viewerSlice'),
      sliceCount: await readNumberSignal(this.page, 'viewerSliceCount'),
      windowWidth: await readNumberSignal(this.page, 'viewerWindowWidth'),
      windowCenter: await readNumberSignal(this.page, 'viewerWindowCenter'),
      zoom: await readNumberSignal(this.page, 'viewerZoom'),
      renderCount: await readNumberSignal(this.page, 'viewerRenderCount')
    };
  }

  private async centre(): Promise<{ x: number; y: number }> {
    const box = await this.element.boundingBox();
    if (!box) throw new Error('the viewport is not on screen');
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** Turns the wheel `notches` times over the viewport (positive: towards the user), waiting for each slice change. */
  async scrollWheel(notches: number): Promise<void> {
    const { x, y } = await this.centre();
    await this.page.mouse.move(x, y);
    for (let notch = 0; notch < Math.abs(notches); notch++) {
      const before = await readSignal(this.page, 'viewerSlice');
      const framesBefore = await readNumberSignal(this.page, 'viewerRenderCount');
      await this.page.mouse.wheel(0, Math.sign(notches) * 100);
      await waitForSignals(this.page, [{ signal: 'viewerSlice', is: 'different', value: before }]);
      await this.waitForFrameAfter(framesBefore);
    }
  }

  /** Drags with the left button from the centre by (dx, dy) pixels, in steps as a hand would. */
  async dragWithLeftButton(dx: number, dy: number): Promise<void> {
    const { x, y } = await this.centre();
    const before = await this.read();
    await this.page.mouse.move(x, y);
    await this.page.mouse.down({ button: 'left' });
    await this.page.mouse.move(x + dx, y + dy, { steps: 10 });
    await this.page.mouse.up({ button: 'left' });
    await waitForSignals(
      this.page,
      [
        { signal: 'viewerWindowWidth', is: 'different', value: before.windowWidth },
        { signal: 'viewerWindowCenter', is: 'different', value: before.windowCenter }
      ],
      { match: 'any' }
    );
    await this.waitForFrameAfter(before.renderCount);
  }

  /**
   * Drags with `button` from the centre by (dx, dy) pixels, optionally holding Shift, and waits for the frame that
   * shows the result.
   */
  async drag(button: 'left' | 'middle' | 'right', dx: number, dy: number, { shift = false } = {}): Promise<void> {
    const { x, y } = await this.centre();
    const framesBefore = await readNumberSignal(this.page, 'viewerRenderCount');
    await this.page.mouse.move(x, y);
    if (shift) await this.page.keyboard.down('Shift');
    await this.page.mouse.down({ button });
    await this.page.mouse.move(x + dx, y + dy, { steps: 10 });
    await this.page.mouse.up({ button });
    if (shift) await this.page.keyboard.up('Shift');
    await this.waitForFrameAfter(framesBefore);
  }

  /** Presses a key with the viewport focused and waits for the frame that shows the result. */
  async press(key: string): Promise<void> {
    const framesBefore = await readNumberSignal(this.page, 'viewerRenderCount');
    await this.element.focus();
    await this.page.keyboard.press(key);
    await this.waitForFrameAfter(framesBefore);
  }

  /**
   * Presses the slice bar at `fromFraction` of its height (0 top, 1 bottom), drags to `toFraction` and releases,
   * then waits for the frame that shows the result.
   */
  async dragSliceBar(fromFraction: number, toFraction = fromFraction): Promise<void> {
    const box = await this.page.getByTestId('slice-scrollbar').boundingBox();
    if (!box) throw new Error('the slice bar is not on screen');
    const x = box.x + box.width / 2;
    const framesBefore = await readNumberSignal(this.page, 'viewerRenderCount');
    await this.page.mouse.move(x, box.y + fromFraction * box.height);
    await this.page.mouse.down();
    await this.page.mouse.move(x, box.y + toFraction * box.height, { steps: 8 });
    await this.page.mouse.up();
    await this.waitForFrameAfter(framesBefore);
  }

  /**
   * Moves the pointer to (x, y) viewport pixels from the centre and returns the voxel the app says is under it, or
   * null when the pointer is off the volume.
   */
  async hover(x: number, y: number): Promise<{ i: number; j: number; k: number; value: number } | null> {
    const { x: centreX, y: centreY } = await this.centre();
    const before = await readSignal(this.page, 'viewerHoverVoxel');
    await this.page.mouse.move(centreX + x, centreY + y);
    await waitForSignals(this.page, [{ signal: 'viewerHoverVoxel', is: 'different', value: before }], {
      timeout: 5_000
    }).catch(() => undefined); // the pointer may have stayed on the same voxel
    const voxel = await readSignal(this.page, 'viewerHoverVoxel');
    if (voxel === null) return null;
    const [i, j, k] = voxel.split(',').map(Number);
    return { i, j, k, value: await readNumberSignal(this.page, 'viewerHoverValue') };
  }

  /** Waits until the viewport has drawn a frame after the `count`th. */
  async waitForFrameAfter(count: number): Promise<void> {
    await waitForSignals(this.page, [{ signal: 'viewerRenderCount', is: 'greater', value: count }]);
  }

  async orientationLabels(): Promise<{ top: string; bottom: string; left: string; right: string }> {
    const text = (side: string) => this.page.getByTestId(`orientation-${side}`).innerText();
    return {
      top: await text('top'),
      bottom: await text('bottom'),
      left: await text('left'),
      right: await text('right')
    };
  }

  async sliceIndicatorText(): Promise<string> {
    return this.page.getByTestId('slice-indicator').innerText();
  }

  async windowReadoutText(): Promise<string> {
    return this.page.getByTestId('window-level-readout').innerText();
  }

  /** Screenshot of a reference plane beside the acquisition view (MPR), as PNG bytes, also written to `path`. */
  async referenceScreenshot(plane: 'sagittal' | 'coronal', path: string): Promise<Uint8Array> {
    return this.page.getByTestId(`viewport-${plane}`).screenshot({ path });
  }

  /** Picks a window preset from the viewer's list and waits until the viewer reports that preset. */
  async chooseWindowPreset(id: string): Promise<void> {
    await this.page.getByTestId('window-preset').selectOption(id);
    await waitForSignals(this.page, [{ signal: 'viewerWindowPreset', is: 'equal', value: id }]);
  }

  /** A screenshot of the viewport element only (not the page), as PNG bytes, also written to `path`. */
  async screenshot(path: string): Promise<Uint8Array> {
    return this.element.screenshot({ path });
  }
}
