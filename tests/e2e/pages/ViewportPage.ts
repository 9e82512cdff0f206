import type { Page } from 'playwright-core';
import { readNumberSignal, readSignal, waitForSignals } from './readBodySignals';

export type ViewName = 'acquisition' | 'sagittal' | 'coronal';

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

  private viewElement(view: ViewName) {
    return this.page.getByTestId(view === 'acquisition' ? 'viewport' : `viewport-${view}`);
  }

  /** The box of a view on the page (it moves and grows with the layout). */
  async viewBox(view: ViewName): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await this.viewElement(view).boundingBox();
    if (!box) throw new Error(`the ${view} view is not on screen`);
    return box;
  }

  /** The voxel the crosshair sits on, as the app says. */
  async crosshairVoxel(): Promise<[number, number, number]> {
    const voxel = await readSignal(this.page, 'viewerCrosshairVoxel');
    if (voxel === null) throw new Error('the app has not published the crosshair');
    return voxel.split(',').map(Number) as [number, number, number];
  }

  /**
   * Moves the pointer over a view, (x, y) pixels from its centre, and returns the voxel the app says is under it
   * (the hover readout), or null when the pointer is off the volume.
   */
  async hoverIn(view: ViewName, x: number, y: number): Promise<[number, number, number] | null> {
    const box = await this.viewBox(view);
    const before = await readSignal(this.page, 'viewerHoverVoxel');
    await this.page.mouse.move(box.x + box.width / 2 + x, box.y + box.height / 2 + y);
    await waitForSignals(this.page, [{ signal: 'viewerHoverVoxel', is: 'different', value: before }], {
      timeout: 5_000
    }).catch(() => undefined); // the pointer may have stayed on the same voxel
    const voxel = await readSignal(this.page, 'viewerHoverVoxel');
    return voxel === null ? null : (voxel.split(',').map(Number) as [number, number, number]);
  }

  /**
   * Clicks with the left button in a view, (x, y) pixels from its centre (holding Ctrl when asked: the crosshair with
   * any tool), and waits until the crosshair has moved.
   */
  async clickIn(view: ViewName, x: number, y: number, { ctrl = false } = {}): Promise<void> {
    const box = await this.viewBox(view);
    const before = await readSignal(this.page, 'viewerCrosshairVoxel');
    await this.page.mouse.move(box.x + box.width / 2 + x, box.y + box.height / 2 + y);
    if (ctrl) await this.page.keyboard.down('Control');
    await this.page.mouse.down({ button: 'left' });
    await this.page.mouse.up({ button: 'left' });
    if (ctrl) await this.page.keyboard.up('Control');
    await waitForSignals(this.page, [{ signal: 'viewerCrosshairVoxel', is: 'different', value: before }]);
  }

  /** Makes a view the big one with its key (Alt+1, 2, 3) and waits until the app says it is. */
  async chooseMainView(view: ViewName): Promise<void> {
    const key = { acquisition: '1', sagittal: '2', coronal: '3' }[view];
    await this.page.keyboard.press(`Alt+${key}`);
    await waitForSignals(this.page, [{ signal: 'viewerMainView', is: 'equal', value: view }]);
  }

  /** Presses a key with the view focused and waits until the crosshair has moved. */
  async pressIn(view: ViewName, key: string): Promise<void> {
    const before = await readSignal(this.page, 'viewerCrosshairVoxel');
    await this.viewElement(view).focus();
    await this.page.keyboard.press(key);
    await waitForSignals(this.page, [{ signal: 'viewerCrosshairVoxel', is: 'different', value: before }]);
  }

  /** Which planes' crosshair lines the view draws (its SVG layer), e.g. ['sagittal', 'coronal'] in the axial view. */
  async crosshairLinesIn(view: ViewName): Promise<string[]> {
    // Read from the SVG's attributes: Playwright counts a horizontal or vertical line (a box of no width or no height)
    // as not visible.
    const layer = this.viewElement(view).getByTestId('crosshair-lines');
    if (((await layer.getAttribute('style')) ?? '').includes('display: none')) return [];
    const planes = new Set<string>();
    for (const line of await layer.locator('line').all()) {
      if (((await line.getAttribute('style')) ?? '').includes('display: none')) continue;
      const [x1, y1, x2, y2] = await Promise.all(['x1', 'y1', 'x2', 'y2'].map((name) => line.getAttribute(name)));
      if (Math.hypot(Number(x2) - Number(x1), Number(y2) - Number(y1)) > 10)
        planes.add((await line.getAttribute('data-plane')) ?? '');
    }
    return [...planes].sort();
  }

  /** Shows or hides the crosshair lines (the checkbox above the views) and waits until the app says so. */
  async showCrosshairLines(shown: boolean): Promise<void> {
    const toggle = this.page.getByTestId('crosshair-lines-toggle');
    if (shown) await toggle.check();
    else await toggle.uncheck();
    await waitForSignals(this.page, [{ signal: 'viewerCrosshairLines', is: 'equal', value: shown ? 'shown' : 'hidden' }]);
    // Back to the image, as a user's next click would be: a focused checkbox keeps the shortcut keys (Ctrl+Z).
    await this.element.focus();
  }

  /** A screenshot of any view, as PNG bytes, also written to `path`. */
  async viewScreenshot(view: ViewName, path: string): Promise<Uint8Array> {
    return this.viewElement(view).screenshot({ path });
  }

  /** A screenshot of the viewport element only (not the page), as PNG bytes, also written to `path`. */
  async screenshot(path: string): Promise<Uint8Array> {
    return this.element.screenshot({ path });
  }
}
