import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colin27Path, npmPackageFile } from '../../tests/fixtures/fetchFixtures';
import { createAppCore } from '../app';
import { daikonSeriesFolder } from '../imaging/testing';
import { createLesionProject } from '../training/testing';
import { runCli } from './index';

let workspace: string;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['--workspace', workspace, ...args], { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'genseg-cli-'));
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('command line', { timeout: 300_000 }, () => {
  it('prints help and refuses unknown commands and bad usage with exit code 2', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const name of ['import', 'tag', 'train', 'propose', 'export']) expect(help.out).toContain(name);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('import')).code).toBe(2);
    expect((await cli('tag', '--project', 'x', '--volume', 'y')).code).toBe(2);
  });

  it('imports and tags with machine-readable output, and reports a broken file with exit code 3 and a missing one with 1', async () => {
    expect((await cli('projects', '--create', 'Brains')).code).toBe(0);
    const imported = await cli('--json', 'import', '--project', 'Brains', colin27Path());
    expect(imported.code).toBe(0);
    const [result] = JSON.parse(imported.out) as { imported: { id: string }[] }[];
    const volumeId = result!.imported[0]!.id;
    const tagged = await cli('--json', 'tag', '--project', 'Brains', '--volume', volumeId, '--ranges', '80-90,100-101');
    expect(tagged.code).toBe(0);
    const labels = JSON.parse(tagged.out) as { slices: string[] };
    expect(labels.slices.filter((s) => s === 'present')).toHaveLength(13);
    expect(labels.slices[79]).toBe('present');
    expect(labels.slices[78]).toBe('absent');
    expect((await cli('import', '--project', 'Brains', '/nonexistent/scan.nii.gz')).code).toBe(1);
    const broken = await cli('import', '--project', 'Brains', npmPackageFile('nifti-reader-js@0.5.4', 'tests/data/not-nifti.nii'));
    expect(broken.code).toBe(3);
    expect(broken.err).toMatch(/not-nifti\.nii/);
  });

  it('imports a DICOM folder: lists its series, imports the chosen one with progress on stderr, refuses an unknown series', async () => {
    expect((await cli('projects', '--create', 'Dicom')).code).toBe(0);
    const folder = daikonSeriesFolder();
    const listed = await cli('import', '--project', 'Dicom', '--list', folder);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^series\t1\t\S+\tMR\t.*\t256x256x20$/m);
    expect((await cli('--json', 'volumes', '--project', 'Dicom')).out.trim()).toBe('[]');
    const imported = await cli('import', '--project', 'Dicom', '--series', '1', folder);
    expect({ code: imported.code, err: imported.err }).toMatchObject({ code: 0 });
    expect(imported.err).toMatch(/^series\t1\t/m);
    expect(imported.err).toMatch(/scanning .*: \d+ files|importing: \d+\/20 slices/);
    expect(imported.out).toMatch(/^imported\t[A-Za-z0-9]{12}\t/m);
    expect((await cli('import', '--project', 'Dicom', '--series', '7', folder)).code).toBe(2);
    const status = JSON.parse((await cli('--json', 'status', '--project', 'Dicom')).out) as { volumes: { sourceKind: string }[] };
    expect(status.volumes.map((volume) => volume.sourceKind)).toEqual(['dicom']);
  });

  it('trains, proposes and exports from the command line', async () => {
    const core = createAppCore({ workspaceFolder: workspace, logger: { info: () => {}, error: () => {} } });
    const { projectId } = await createLesionProject(core, { volumes: 4, size: 24, slices: 8, maskedSlicesPerVolume: 1 });
    await core.close();
    const trained = await cli('--json', 'train', '--project', projectId, '--preset', 'tiny', '--steps', '2');
    // On failure, show what the command said.
    expect({ code: trained.code, err: trained.err }).toMatchObject({ code: 0 });
    expect(JSON.parse(trained.out)).toMatchObject({ status: 'finished', modelVersion: { number: 1 } });
    expect((await cli('propose', '--project', projectId)).code).toBe(0);
    const exported = await cli('--json', 'export', '--project', projectId, '--images');
    expect(exported.code).toBe(0);
    const summary = JSON.parse(exported.out) as { folder: string; files: string[] };
    expect(summary.files).toContain('manifest.json');
    for (const file of summary.files) expect(existsSync(join(summary.folder, file))).toBe(true);
  });
});
