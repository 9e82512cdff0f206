/**
 * Independent oracles for the imaging tests: Debian's nibabel, pydicom and dcm2niix. The Debian interpreter
 * (/usr/bin/python3) is called by absolute path because the python3 on PATH may be a pyenv build without them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTemporaryFolder } from './temporaryFolders';

export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Runs `script` with `args` (sys.argv[1:]) and parses the JSON it prints. */
export function runPythonJson<T>(script: string, args: string[]): T {
  const output = execFileSync(DEBIAN_PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(output) as T;
}

export interface NibabelImage {
  affine: number[][];
  shape: number[];
  sformCode: number;
  qformCode: number;
  qformAffine: number[][];
  sformAffine: number[][];
  /** numpy dtype of the stored voxels, e.g. "uint8" */
  dtype: string;
  intentCode: number;
}

const NIBABEL_SCRIPT = `
import json, sys, numpy as np, nibabel as nib
img = nib.load(sys.argv[1])
data = img.get_fdata(dtype=np.float64)
if data.ndim > 3:
    data = data.reshape(data.shape[:3] + (-1,), order='F')[..., int(sys.argv[3])]
data.astype('<f8').ravel(order='F').tofile(sys.argv[2])
hdr = img.header
print(json.dumps({'affine': img.affine.tolist(), 'shape': list(img.shape),
  'sformCode': int(hdr['sform_code']), 'qformCode': int(hdr['qform_code']),
  'qformAffine': hdr.get_qform().tolist(), 'sformAffine': hdr.get_sform().tolist(),
  'dtype': str(hdr.get_data_dtype()), 'intentCode': int(hdr['intent_code'])}))
`;

/** nibabel's view of a NIfTI file: best affine (RAS), shape and scaled voxels of one volume. */
export function readWithNibabel(path: string, volumeIndex = 0): NibabelImage & { voxels: Float64Array } {
  const folder = createTemporaryFolder('nibabel');
  const voxelsPath = join(folder, 'voxels.f64');
  const result = runPythonJson<NibabelImage>(NIBABEL_SCRIPT, [path, voxelsPath, String(volumeIndex)]);
  const bytes = readFileSync(voxelsPath);
  rmSync(folder, { recursive: true, force: true });
  const voxels = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  return { ...result, voxels };
}
