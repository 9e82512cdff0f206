import type { Locator, Page } from 'playwright-core';
import { waitForSignals } from './readBodySignals';

/** The DICOM folder import: scan a typed folder, read the series found, import the chosen ones. */
export class DicomImportPage {
  constructor(private readonly page: Page) {}

  /** Types the folder, scans it and waits for the list of series. */
  async scan(folder: string): Promise<Locator> {
    await this.page.getByTestId('dicom-path').fill(folder);
    await this.page.getByTestId('dicom-scan').click();
    await waitForSignals(
      this.page,
      [
        { signal: 'dicomImportPhase', is: 'equal', value: 'scanned' },
        { signal: 'dicomImportPhase', is: 'equal', value: 'idle' }
      ],
      { match: 'any', timeout: 120_000 }
    );
    return this.page.getByTestId('dicom-series');
  }

  /** Imports the ticked series and waits until the import has finished. */
  async importSelected(): Promise<void> {
    await this.page.getByTestId('dicom-import-selected').click();
    await waitForSignals(this.page, [{ signal: 'dicomImportPhase', is: 'different', value: 'importing' }], {
      timeout: 120_000
    });
  }
}
