import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colin27Path, npmPackageFile } from '../../tests/fixtures/fetchFixtures';
import { createAppCore } from '../app';
import { daikonSeriesFolder, runPythonJson } from '../imaging/testing';
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
    // The window the scan opens with (a scan of one sequence is its own reference), and one that is no window.
    const window = await cli('--json', 'sequences', '--project', 'Brains', '--volume', volumeId, '--window', volumeId, '--center', '40', '--width', '80');
    expect(window.code).toBe(0);
    expect(JSON.parse(window.out)).toMatchObject({ id: volumeId, windowCenter: 40, windowWidth: 80 });
    const [listed] = JSON.parse((await cli('--json', 'volumes', '--project', 'Brains')).out) as { windowCenter: number; windowWidth: number }[];
    expect([listed!.windowCenter, listed!.windowWidth]).toEqual([40, 80]);
    const refused = await cli('sequences', '--project', 'Brains', '--volume', volumeId, '--window', volumeId, '--center', '40', '--width', '0');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('the window width must be above 0');
    expect((await cli('sequences', '--project', 'Brains', '--volume', volumeId, '--window', volumeId)).code).toBe(2);
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
    const readiness = await cli('models', '--project', projectId, '--readiness');
    expect(readiness.out).toMatch(/^tagged scans 4\tslices with tumour \d+\twithout \d+\tmasked 2$/m);
    const [version] = JSON.parse((await cli('--json', 'models', '--project', projectId)).out) as { id: string }[];
    expect((await cli('models', '--project', projectId, '--rename', version!.id, '--name', 'CLI run')).out).toBe('model 1\tCLI run\n');
    expect((await cli('models', '--project', projectId)).out).toContain('model 1 (CLI run)');
    const deleted = await cli('models', '--project', projectId, '--delete', version!.id);
    expect(deleted.out).toMatch(/^deleted\t\S+\twithdrawn proposals on \d+ scans\n$/);
    expect((await cli('--json', 'models', '--project', projectId)).out.trim()).toBe('[]');
    const exported = await cli('--json', 'export', '--project', projectId, '--images');
    expect(exported.code).toBe(0);
    const summary = JSON.parse(exported.out) as { folder: string; files: string[] };
    expect(summary.files).toContain('manifest.json');
    for (const file of summary.files) expect(existsSync(join(summary.folder, file))).toBe(true);
  });

  it('drives a whole project through the CLI alone: DICOM folder, tags, an imported mask, tiny training, proposal, accept, three exports', async () => {
    const json = async (...args: string[]) => {
      const result = await cli('--json', ...args);
      expect({ args, code: result.code, err: result.err.slice(-2000) }).toMatchObject({ code: 0 });
      return JSON.parse(result.out) as unknown;
    };
    await json('projects', '--create', 'Whole');
    const [dicom] = (await json('import', '--project', 'Whole', daikonSeriesFolder())) as { import: { imported: { id: string }[] } }[];
    const dicomId = dicom!.import.imported[0]!.id;
    const [nifti] = (await json('import', '--project', 'Whole', npmPackageFile('nifti-reader-js@0.5.4', 'tests/data/avg152T1_LR_nifti.nii.gz'))) as {
      imported: { id: string }[];
    }[];
    const healthyId = nifti!.imported[0]!.id;
    await json('tag', '--project', 'Whole', '--volume', dicomId, '--ranges', '8-13');
    await json('tag', '--project', 'Whole', '--volume', healthyId, '--absent');

    // The mask comes from outside: a label map nibabel draws on dcm2niix's conversion of the same series.
    const converted = join(workspace, 'dcm2niix');
    mkdirSync(converted, { recursive: true });
    execFileSync('dcm2niix', ['-z', 'y', '-f', 'scan', '-o', converted, daikonSeriesFolder()], { stdio: 'ignore' });
    const labelPath = join(workspace, 'label.nii.gz');
    runPythonJson(
      `
import json, sys, numpy as np, nibabel as nib
image = nib.load(sys.argv[1])
label = np.zeros(image.shape[:3], dtype=np.uint8)
label[100:130, 60:90, 9:11] = 1
out = nib.Nifti1Image(label, image.affine); out.set_sform(image.affine, 1); out.set_qform(image.affine, 1)
nib.save(out, sys.argv[2])
print("[]")`,
      [join(converted, 'scan.nii.gz'), labelPath]
    );
    const imported = (await json('import-mask', '--project', 'Whole', '--volume', dicomId, '--author', 'dr-cli', labelPath)) as {
      placement: string;
      importedSlices: number[];
      tumourVoxels: number;
    };
    expect(imported).toMatchObject({ placement: 'reoriented', importedSlices: [9, 10], tumourVoxels: 2 * 30 * 30 });
    expect((await cli('import-mask', '--project', 'Whole', '--volume', healthyId, labelPath)).code).toBe(3);

    const trained = (await json('train', '--project', 'Whole', '--preset', 'tiny', '--steps', '2')) as { status: string; modelVersion: { id: string } };
    expect(trained.status).toBe('finished');
    const models = (await json('models', '--project', 'Whole')) as { id: string; number: number }[];
    expect(models.map((model) => model.number)).toEqual([1]);
    await json('propose', '--project', 'Whole', '--volume', dicomId);
    const proposals = (await json('proposals', '--project', 'Whole', '--volume', dicomId)) as { id: string; status: string }[];
    expect(proposals).toHaveLength(1);
    const accepted = (await json('accept', '--project', 'Whole', '--proposal', proposals[0]!.id, '--slices', '12')) as { acceptedSlices: number[] };
    expect(accepted.acceptedSlices).toEqual([11]);
    const status = (await json('status', '--project', 'Whole', '--volume', dicomId)) as { masks: { sliceIndex: number; provenance: string }[] };
    expect(status.masks.map((mask) => [mask.sliceIndex, mask.provenance])).toEqual([
      [9, 'imported'],
      [10, 'imported'],
      [11, 'proposal-accepted']
    ]);

    const nifti2 = (await json('export', '--project', 'Whole', '--format', 'nifti')) as { folder: string; files: string[] };
    expect(nifti2.files).toContain('manifest.json');
    const seg = (await json('export', '--project', 'Whole', '--format', 'dicom-seg')) as { folder: string; files: string[]; cases: { maskFile: string }[] };
    expect(seg.cases).toHaveLength(1);
    const comments = runPythonJson<string[]>(
      `
import json, sys, pydicom
seg = pydicom.dcmread(sys.argv[1])
print(json.dumps([str(g.FrameContentSequence[0].get("FrameComments", "")) for g in seg.PerFrameFunctionalGroupsSequence]))`,
      [join(seg.folder, seg.cases[0]!.maskFile)]
    );
    expect(comments.filter((comment) => comment.startsWith('imported from label.nii.gz by dr-cli'))).toHaveLength(2);
    const nnunet = (await json('export', '--project', 'Whole', '--format', 'nnunet', '--dataset-id', '12', '--dataset-name', 'Whole')) as {
      folder: string;
      files: string[];
    };
    const datasetJson = JSON.parse(readFileSync(join(nnunet.folder, 'Dataset012_Whole/dataset.json'), 'utf8')) as { numTraining: number; labels: Record<string, number> };
    expect(datasetJson).toMatchObject({ numTraining: 1, labels: { background: 0, tumour: 1, ignore: 2 } });
    expect(nnunet.files).toContain(`Dataset012_Whole/imagesTs/case_${healthyId}_0000.nii.gz`);
    for (const export_ of [nifti2, seg, nnunet]) for (const file of export_.files) expect(existsSync(join(export_.folder, file)), file).toBe(true);
  });
});
