import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNiftiFile } from '../nifti/readNiftiFile';
import { createTemporaryFolder, removeTemporaryFolders, runPythonJson } from '../testing';
import type { Matrix4, VolumeGeometry } from '../volume';
import { checkFrameOfReference } from './checkFrameOfReference';
import { describePlacement, isSameGrid, placeOnReferenceGrid } from './placeOnReferenceGrid';

const brains = join(__dirname, '..', '..', '..', 'resources', 'sample-brains');

/**
 * The independent implementation: nibabel reads the sequence's affine, scipy.ndimage.map_coordinates (order=1,
 * mode='constant') interpolates at the reference voxels; the offsets and the outside fraction are computed in numpy.
 */
const SCIPY_SCRIPT = `
import json, sys, numpy as np, nibabel as nib
from scipy.ndimage import map_coordinates
img = nib.load(sys.argv[1])
data = np.asanyarray(img.dataobj).astype(np.float64)
ref = json.load(open(sys.argv[2]))
lps = np.diag([-1.0, -1.0, 1.0, 1.0])
source = lps @ img.affine
target = np.array(ref['voxelToPatient'], dtype=np.float64).reshape(4, 4)
ni, nj, nk = ref['dimensions']
k, j, i = np.meshgrid(np.arange(nk), np.arange(nj), np.arange(ni), indexing='ij')
ijk = np.stack([i.ravel(), j.ravel(), k.ravel(), np.ones(i.size)])
coords = (np.linalg.inv(source) @ target @ ijk)[:3]
values = map_coordinates(data, coords, order=1, mode='constant', cval=0.0)
shape = np.array(data.shape)[:, None]
inside = np.all((coords >= -1e-6) & (coords <= shape - 1 + 1e-6), axis=0)
delta = np.clip(coords, 0, shape - 1) - np.round(np.clip(coords, 0, shape - 1))
offsets = np.linalg.norm(source[:3, :3] @ delta, axis=0)[inside]
values.astype('<f4').tofile(sys.argv[3])
print(json.dumps({'largestOffset': float(offsets.max()), 'outsideFraction': float(1 - inside.mean()),
  'inside': inside.astype(np.uint8).tolist()}))
`;

function rotation(axis: 'x' | 'z', degrees: number): number[] {
  const c = Math.cos((degrees * Math.PI) / 180);
  const s = Math.sin((degrees * Math.PI) / 180);
  return axis === 'z' ? [c, -s, 0, s, c, 0, 0, 0, 1] : [1, 0, 0, 0, c, -s, 0, s, c];
}

function multiply3(a: number[], b: number[]): number[] {
  return [0, 1, 2].flatMap((row) => [0, 1, 2].map((column) => [0, 1, 2].reduce((sum, n) => sum + a[row * 3 + n]! * b[n * 3 + column]!, 0)));
}

/** A grid whose axes are `linear`'s columns scaled by `spacing`, centred on `centre` (LPS mm). */
function gridAround(centre: number[], linear: number[], spacing: number[], dimensions: [number, number, number]): VolumeGeometry {
  const m: Matrix4 = new Array<number>(16).fill(0);
  for (let row = 0; row < 3; row += 1) for (let column = 0; column < 3; column += 1) m[row * 4 + column] = linear[row * 3 + column]! * spacing[column]!;
  for (let row = 0; row < 3; row += 1)
    m[row * 4 + 3] = centre[row]! - [0, 1, 2].reduce((sum, column) => sum + m[row * 4 + column]! * (dimensions[column]! - 1) / 2, 0);
  m[15] = 1;
  return { dimensions, voxelToPatient: m };
}

afterAll(() => removeTemporaryFolders());

describe('placeOnReferenceGrid against scipy.ndimage.map_coordinates', async () => {
  const sequencePath = join(brains, 'icbm152.nii.gz');
  const sequence = (await readNiftiFile(sequencePath)).volume;
  const [ni, nj, nk] = sequence.geometry.dimensions;
  const s = sequence.geometry.voxelToPatient;
  const centre = [0, 1, 2].map((row) => s[row * 4]! * (ni - 1) / 2 + s[row * 4 + 1]! * (nj - 1) / 2 + s[row * 4 + 2]! * (nk - 1) / 2 + s[row * 4 + 3]!);
  const colin = (await readNiftiFile(join(brains, 'colin27.nii.gz'))).volume.geometry;
  const grids: [string, VolumeGeometry][] = [
    ['colin27’s own 2 mm grid', colin],
    ['a 1.3 mm grid, shifted by a third of a voxel', gridAround(centre.map((value) => value + 0.43), [1, 0, 0, 0, 1, 0, 0, 0, 1], [1.3, 1.3, 1.3], [110, 130, 110])],
    ['an oblique grid, 20° about z and 12° about x, 1.6 × 1.6 × 3 mm', gridAround(centre, multiply3(rotation('z', 20), rotation('x', 12)), [1.6, 1.6, 3], [100, 110, 44])]
  ];

  it.each(grids)('on %s: the same voxels as scipy, the same largest offset', (_name, reference) => {
    const folder = createTemporaryFolder('resample');
    writeFileSync(join(folder, 'reference.json'), JSON.stringify(reference));
    const oracle = runPythonJson<{ largestOffset: number; outsideFraction: number; inside: number[] }>(SCIPY_SCRIPT, [
      sequencePath,
      join(folder, 'reference.json'),
      join(folder, 'expected.f32')
    ]);
    const bytes = readFileSync(join(folder, 'expected.f32'));
    const expected = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const { scalars, placement } = placeOnReferenceGrid(sequence, reference);
    expect(placement.kind).toBe('resampled');
    expect(scalars.length).toBe(expected.length);
    let largestDifference = 0;
    let range = 0;
    let insideCount = 0;
    for (let index = 0; index < expected.length; index += 1) {
      range = Math.max(range, Math.abs(expected[index]!));
      if (oracle.inside[index]) insideCount += 1;
      largestDifference = Math.max(largestDifference, Math.abs(scalars[index]! - expected[index]!));
    }
    expect(insideCount).toBeGreaterThan(expected.length * 0.3);
    expect(largestDifference).toBeLessThan(range * 1e-5);
    expect(placement.largestOffsetMm).toBeCloseTo(oracle.largestOffset, 4);
    expect(placement.outsideFraction).toBeCloseTo(oracle.outsideFraction, 6);
    expect(describePlacement('FLAIR', placement, reference)).toMatch(/^FLAIR was resampled \(trilinear\).*mm from the nearest voxel of FLAIR/);
  });

  it('uses a sequence on the same grid as it is', () => {
    const { scalars, placement } = placeOnReferenceGrid(sequence, { ...sequence.geometry, voxelToPatient: [...s] });
    expect(scalars).toBe(sequence.scalars);
    expect(placement).toMatchObject({ kind: 'same-grid', largestOffsetMm: 0, outsideFraction: 0 });
    expect(isSameGrid(sequence.geometry, { ...sequence.geometry, voxelToPatient: s.map((value, n) => (n === 3 ? value + 0.01 : value)) })).toBe(false);
  });
});

describe('checkFrameOfReference', () => {
  it('accepts one frame of reference and refuses others with the reason', async () => {
    const colin = await readNiftiFile(join(brains, 'colin27.nii.gz'));
    expect(colin.description.frameOfReference).toBe('nifti:1');
    expect(checkFrameOfReference('T1', 'nifti:1', 'FLAIR', colin.description.frameOfReference)).toBeNull();
    expect(checkFrameOfReference('T1', 'dicom:1.2.3', 'FLAIR', 'dicom:1.2.3')).toBeNull();
    expect(checkFrameOfReference('T1', 'dicom:1.2.3', 'FLAIR', 'dicom:1.2.4')).toMatch(/FrameOfReferenceUIDs differ/);
    expect(checkFrameOfReference('T1', 'nifti:1', 'FLAIR', 'nifti:4')).toBe(
      'T1 is in scanner coordinates (code 1) and FLAIR in MNI-152 coordinates (code 4): different coordinate systems, so one cannot be placed on the other without a registration.'
    );
    expect(checkFrameOfReference('T1', 'dicom:1.2.3', 'FLAIR', 'nifti:1')).toMatch(/one from DICOM and one from NIfTI/);
    expect(checkFrameOfReference('T1', 'nifti:1', 'FLAIR', null)).toMatch(/^FLAIR does not say which patient coordinates/);
  });
});
