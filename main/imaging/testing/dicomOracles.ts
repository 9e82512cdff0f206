/** dcm2niix and pydicom as independent oracles for the DICOM reader. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runPythonJson } from './runPythonOracle';
import { createTemporaryFolder } from './temporaryFolders';

/**
 * Converts `folder` with Debian's dcm2niix (defaults: rows flipped, slices ascending; `extraArguments` such as
 * `-p n`) and returns the .nii paths.
 */
export function convertWithDcm2niix(folder: string, extraArguments: string[] = []): string[] {
  const output = createTemporaryFolder('dcm2niix');
  execFileSync('dcm2niix', ['-z', 'n', '-b', 'n', ...extraArguments, '-f', 'series_%s', '-o', output, folder], { stdio: 'ignore' });
  return readdirSync(output)
    .filter((name) => name.endsWith('.nii'))
    .sort()
    .map((name) => join(output, name));
}

const PYDICOM_SCRIPT = `
import json, sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut
files = json.loads(sys.argv[1])
chunks = []
for path in files:
    ds = pydicom.dcmread(path)
    pixels = apply_modality_lut(ds.pixel_array, ds)
    if ds.get('PhotometricInterpretation') == 'MONOCHROME1':
        raise SystemExit('MONOCHROME1 not handled by this oracle')
    chunks.append(np.asarray(pixels, dtype='<f8').ravel())
np.concatenate(chunks).tofile(sys.argv[2])
print(json.dumps([int(chunk.size) for chunk in chunks]))
`;

/** pydicom's modality values (pixel_array through the rescale) of each file, frames in order, i fastest. */
export function readPixelsWithPydicom(files: string[]): Float64Array[] {
  const folder = createTemporaryFolder('pydicom');
  const outputPath = join(folder, 'pixels.f64');
  const sizes = runPythonJson<number[]>(PYDICOM_SCRIPT, [JSON.stringify(files), outputPath]);
  const bytes = readFileSync(outputPath);
  rmSync(folder, { recursive: true, force: true });
  const all = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  let offset = 0;
  return sizes.map((size) => all.subarray(offset, (offset += size)));
}
