import type { Page } from 'playwright-core';
import { readNumberSignal, readSignal, waitForSignals } from './readBodySignals';

type MaskTool = 'navigate' | 'crosshair' | 'brush' | 'eraser' | 'threshold';

/** The mask tools above the viewport: choosing a tool, drawing with the mouse, undo and redo, the autosave. */
export class MaskPage {
  constructor(private readonly page: Page) {}

  private async savedCount(): Promise<number> {
    return (await readSignal(this.page, 'maskSavedCount')) === null ? 0 : readNumberSignal(this.page, 'maskSavedCount');
  }

  async chooseTool(tool: MaskTool): Promise<void> {
    await this.page.getByTestId(`mask-tool-${tool}`).click();
    await waitForSignals(this.page, [{ signal: 'maskTool', is: 'equal', value: tool }]);
  }

  /** Whether the mask is drawn in the viewports (an empty mask is not while navigating). */
  async isDrawn(): Promise<boolean> {
    return (await readSignal(this.page, 'maskDrawn')) === 'true';
  }

  async setBrushRadius(millimetres: number): Promise<void> {
    await this.page.getByTestId('brush-radius').fill(String(millimetres));
  }

  /** Waits until the mask from main is in the viewer for `volumeId`. */
  async waitForMaskLoaded(volumeId: string): Promise<void> {
    await waitForSignals(this.page, [{ signal: 'maskLoadedVolumeId', is: 'equal', value: volumeId }]);
  }

  /**
   * Draws one stroke with the left button through the given points (viewport pixels from its centre), as a hand
   * would, and waits until main has saved it; in the acquisition view unless `view` names a reference plane.
   */
  async drawStroke(
    points: { x: number; y: number }[],
    view: 'acquisition' | 'sagittal' | 'coronal' = 'acquisition'
  ): Promise<void> {
    const box = await this.page.getByTestId(view === 'acquisition' ? 'viewport' : `viewport-${view}`).boundingBox();
    if (!box) throw new Error('the viewport is not on screen');
    const at = ({ x, y }: { x: number; y: number }) => [box.x + box.width / 2 + x, box.y + box.height / 2 + y] as const;
    await this.afterSave(async () => {
      await this.page.mouse.move(...at(points[0]!));
      await this.page.mouse.down({ button: 'left' });
      for (const point of points.slice(1)) await this.page.mouse.move(...at(point), { steps: 8 });
      await this.page.mouse.up({ button: 'left' });
    });
  }

  /** Fills the holes on the slice shown (F) and waits until main has saved it. */
  async fillHoles(): Promise<void> {
    await this.afterSave(() => this.page.getByTestId('mask-fill-holes').click());
  }

  /** Interpolates between the drawn slices (I) and waits until main has saved the new slices. */
  async interpolate(): Promise<void> {
    await this.afterSave(() => this.page.getByTestId('mask-interpolate').click());
  }

  async undo(): Promise<void> {
    await this.afterSave(() => this.page.keyboard.press('Control+z'));
  }

  async redo(): Promise<void> {
    await this.afterSave(() => this.page.keyboard.press('Control+y'));
  }

  /** Does `act`, then waits until the autosave that follows it is on disk. */
  private async afterSave(act: () => Promise<void>): Promise<void> {
    const before = await this.savedCount();
    await act();
    await waitForSignals(this.page, [
      { signal: 'maskSavedCount', is: 'greater', value: before },
      { signal: 'maskSaveState', is: 'equal', value: 'saved' }
    ]);
  }
}
