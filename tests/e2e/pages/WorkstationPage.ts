import type { Locator, Page } from 'playwright-core';
import { readSignal, waitForSignals } from './readBodySignals';
import { DicomImportPage } from './DicomImportPage';
import { LabelsPage } from './LabelsPage';
import { MaskPage } from './MaskPage';
import { ReviewPage } from './ReviewPage';
import { TrainingPage } from './TrainingPage';
import { ViewportPage } from './ViewportPage';

/** The whole app: the left panel (projects, import, volumes) and the viewport. */
export class WorkstationPage {
  readonly viewport: ViewportPage;
  readonly labels: LabelsPage;
  readonly masks: MaskPage;
  readonly dicom: DicomImportPage;
  readonly training: TrainingPage;
  readonly review: ReviewPage;

  constructor(readonly page: Page) {
    this.viewport = new ViewportPage(page);
    this.labels = new LabelsPage(page);
    this.masks = new MaskPage(page);
    this.dicom = new DicomImportPage(page);
    this.training = new TrainingPage(page);
    this.review = new ReviewPage(page);
  }

  /** Opens the app's address and waits until it has reached main and listed the projects. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await waitForSignals(
      this.page,
      [
        { signal: 'appState', is: 'equal', value: 'ready' },
        { signal: 'appState', is: 'equal', value: 'error' }
      ],
      { match: 'any' }
    );
    if ((await readSignal(this.page, 'appState')) !== 'ready') {
      throw new Error(`the app could not start: ${await this.notificationTexts()}`);
    }
  }

  async createProject(name: string): Promise<void> {
    await this.page.getByTestId('new-project-name').fill(name);
    await this.page.getByTestId('create-project').click();
    await this.page.getByTestId('current-project').filter({ hasText: name }).waitFor();
  }

  async openProject(name: string): Promise<void> {
    await this.page.getByTestId('project-item').filter({ hasText: name }).click();
    await this.page.getByTestId('current-project').filter({ hasText: name }).waitFor();
  }

  /** Imports a NIfTI file by its path, as a user types it, and waits for its entry in the volume list. */
  async importFromPath(path: string, expectedName: string): Promise<Locator> {
    await this.page.getByTestId('import-path').fill(path);
    await this.page.getByTestId('import-path-submit').click();
    const item = this.volumeItem(expectedName);
    await item.waitFor({ timeout: 120_000 });
    return item;
  }

  /** Imports a NIfTI file by choosing it in the file picker (uploaded to main as bytes). */
  async importByUpload(path: string, expectedName: string): Promise<Locator> {
    await this.page.getByTestId('import-file').setInputFiles(path);
    const item = this.volumeItem(expectedName);
    await item.waitFor({ timeout: 120_000 });
    return item;
  }

  /** Types a path into the import field and submits it, without expecting success. */
  async submitImportPath(path: string): Promise<void> {
    await this.page.getByTestId('import-path').fill(path);
    await this.page.getByTestId('import-path-submit').click();
  }

  /** Waits for a notification of `kind` and returns its text. */
  async waitForNotification(kind: 'error' | 'warning' | 'info', containing: string): Promise<string> {
    const notification = this.page
      .locator(`[data-testid="notification"][data-kind="${kind}"]`)
      .filter({ hasText: containing });
    await notification.waitFor();
    return notification.innerText();
  }

  volumeItem(name: string): Locator {
    return this.page.getByTestId('volume-item').filter({ hasText: name });
  }

  async volumeId(name: string): Promise<string> {
    const id = await this.volumeItem(name).getAttribute('data-volume-id');
    if (!id) throw new Error(`no volume called ${name}`);
    return id;
  }

  /** Chooses a volume and waits until the viewport has drawn it. */
  async chooseVolume(name: string): Promise<void> {
    await this.chooseVolumeItem(this.volumeItem(name));
  }

  /** Chooses the volume of a list entry and waits until the viewport has drawn it. */
  async chooseVolumeItem(item: Locator): Promise<void> {
    const volumeId = await item.getAttribute('data-volume-id');
    await item.click();
    await waitForSignals(
      this.page,
      [
        { signal: 'viewerVolumeId', is: 'equal', value: volumeId },
        { signal: 'viewerState', is: 'equal', value: 'rendered' }
      ],
      { timeout: 120_000 }
    );
  }

  /**
   * Opens scan `name` and teaches it as a clinician with little time would: tagged tumour-present on a range of three
   * slices from the slice shown, and one brush stroke on the range's last slice (`strokeOn: 'last'`) or on the one
   * below it (`'middle'`). Waits for every save; returns the scan's id.
   */
  async tagTumourRangeAndDraw(name: string, { strokeOn }: { strokeOn: 'last' | 'middle' }): Promise<string> {
    await this.chooseVolume(name);
    const volumeId = await this.volumeId(name);
    await this.masks.waitForMaskLoaded(volumeId);
    await this.labels.pressKey('p');
    await this.labels.pressKey('[');
    await this.viewport.press('ArrowUp');
    await this.viewport.press('ArrowUp');
    await this.labels.pressKey(']');
    if (strokeOn === 'middle') await this.viewport.press('ArrowDown');
    await this.masks.chooseTool('brush');
    await this.masks.setBrushRadius(4);
    await this.masks.drawStroke([
      { x: 60, y: 0 },
      { x: 100, y: 20 }
    ]);
    await this.masks.chooseTool('navigate');
    return volumeId;
  }

  /** Reloads the page (the token must survive: it is kept for the tab, not in the address). */
  async reload(): Promise<void> {
    await this.page.reload();
    await waitForSignals(
      this.page,
      [
        { signal: 'appState', is: 'equal', value: 'ready' },
        { signal: 'appState', is: 'equal', value: 'error' }
      ],
      { match: 'any' }
    );
  }

  async notificationTexts(): Promise<string[]> {
    return this.page.getByTestId('notification').allInnerTexts();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }
}
