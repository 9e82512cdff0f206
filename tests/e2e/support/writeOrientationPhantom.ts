/**
 * An orientation phantom: a small uint8 NIfTI-1 volume whose markers sit on known sides of the patient, written in
 * several storage orders (voxel axes and their directions) that describe the same anatomy. Each marker must land on
 * the same side of the screen whatever the storage order.
 *
 * The anatomy, on a RAS grid of 40 × 48 × 30 voxels of 2 mm (x to the patient's right, y anterior, z superior), on a
 * background of 50:
 * - bright (200) column at the right-anterior, through all axial slices;
 * - grey (120) column at the left-posterior, through all axial slices;
 * - bright (200) block in the middle, superior slices only (z index >= 20);
 * - dim (90) block on the midline, anterior and inferior (seen in the middle sagittal slice);
 * - dim (90) block on the right, inferior, halfway front to back (seen in the middle coronal slice).
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';

export const anatomyShape = [40, 48, 30] as const;
export const superiorMarkerFirstSlice = 20;
const spacing = 2;

function phantomValue(x: number, y: number, z: number): number {
  if (x >= 28 && x < 36 && y >= 34 && y < 42) return 200;
  if (x >= 4 && x < 12 && y >= 6 && y < 14) return 120;
  if (z >= superiorMarkerFirstSlice && x >= 18 && x < 22 && y >= 20 && y < 28) return 200;
  if (z < 8 && x >= 18 && x < 22 && y >= 40 && y < 46) return 90;
  if (z < 8 && x >= 30 && x < 36 && y >= 20 && y < 28) return 90;
  return 50;
}

/** For each stored axis (i, j, k): the anatomical axis it runs along (0 = x, 1 = y, 2 = z) and whether reversed. */
type StorageAxes = [[number, boolean], [number, boolean], [number, boolean]];

export const phantomStorages = {
  /** Axial slices, i to the right, j anterior, k superior: NIfTI's own order. */
  ras: [
    [0, false],
    [1, false],
    [2, false]
  ],
  /** Axial slices, i to the left, k towards the feet. */
  'flipped-i-and-k': [
    [0, true],
    [1, false],
    [2, true]
  ],
  /** Sagittal slices as DICOM often stores them: columns anterior to posterior, rows head to feet, k to the right. */
  sagittal: [
    [1, true],
    [2, true],
    [0, false]
  ],
  /** Coronal slices: columns right to left, rows head to feet, k anterior. */
  coronal: [
    [0, true],
    [2, true],
    [1, false]
  ]
} satisfies Record<string, StorageAxes>;

export type PhantomStorage = keyof typeof phantomStorages;

/** Stored dimensions [columns, rows, slices] of the phantom in `storage`. */
export function phantomDimensions(storage: PhantomStorage): [number, number, number] {
  const axes: StorageAxes = phantomStorages[storage];
  return [anatomyShape[axes[0][0]], anatomyShape[axes[1][0]], anatomyShape[axes[2][0]]];
}

/**
 * Writes the phantom stored as `storage`. With `obliqueDegrees`, the whole grid is turned by that angle about the
 * head-feet axis (an oblique acquisition): the sform says so, the voxels are the same.
 */
export function writeOrientationPhantom(path: string, storage: PhantomStorage, { obliqueDegrees = 0 } = {}): void {
  const axes: StorageAxes = phantomStorages[storage];
  const dimensions = phantomDimensions(storage);
  const origin = anatomyShape.map((size) => -(size - 1));
  const straight = [0, 1, 2].map((anatomical) => {
    const row = [0, 0, 0, origin[anatomical]];
    const stored = axes.findIndex(([axis]) => axis === anatomical);
    const reversed = axes[stored][1];
    row[stored] = reversed ? -spacing : spacing;
    if (reversed) row[3] += spacing * (anatomyShape[anatomical] - 1);
    return row;
  });
  const srow = rotateAboutHeadFeetAxis(straight, obliqueDegrees);
  const voxels = new Uint8Array(dimensions[0] * dimensions[1] * dimensions[2]);
  const anatomical = [0, 0, 0];
  for (let k = 0; k < dimensions[2]; k++) {
    for (let j = 0; j < dimensions[1]; j++) {
      for (let i = 0; i < dimensions[0]; i++) {
        [i, j, k].forEach((index, stored) => {
          const [axis, reversed] = axes[stored];
          anatomical[axis] = reversed ? anatomyShape[axis] - 1 - index : index;
        });
        voxels[i + dimensions[0] * (j + dimensions[1] * k)] = phantomValue(anatomical[0], anatomical[1], anatomical[2]);
      }
    }
  }
  writeFileSync(path, encodeNifti1(dimensions, srow, voxels, basename(path)));
}

/** The rows of a RAS sform turned by `degrees` about z (the grid's centre is the origin of RAS, so it stays). */
function rotateAboutHeadFeetAxis(srow: number[][], degrees: number): number[][] {
  const [cos, sin] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];
  return [
    srow[0].map((value, column) => cos * value - sin * srow[1][column]),
    srow[1].map((value, column) => sin * srow[0][column] + cos * value),
    srow[2]
  ];
}

/** A NIfTI-1 single file (.nii): 348-byte header, 4 bytes of extension flags, then the uint8 voxels. */
function encodeNifti1(dimensions: number[], srow: number[][], voxels: Uint8Array, fileName: string): Uint8Array {
  const header = new DataView(new ArrayBuffer(352));
  header.setInt32(0, 348, true);
  [3, ...dimensions, 1, 1, 1, 1].forEach((value, index) => header.setInt16(40 + 2 * index, value, true));
  header.setInt16(70, 2, true); // datatype: unsigned char
  header.setInt16(72, 8, true); // bitpix
  [1, spacing, spacing, spacing, 1, 1, 1, 1].forEach((value, index) => header.setFloat32(76 + 4 * index, value, true));
  header.setFloat32(108, 352, true); // vox_offset
  header.setFloat32(112, 1, true); // scl_slope
  header.setUint8(123, 2); // xyzt_units: millimetres
  // aux_file (no reader uses it) holds the file's name: phantoms written under two names are two files, not one file
  // imported twice (the app finds a file already in the project by its content).
  new TextEncoder().encode(fileName).slice(0, 23).forEach((byte, index) => header.setUint8(204 + index, byte));
  header.setInt16(254, 2, true); // sform_code: aligned anatomical
  srow.flat().forEach((value, index) => header.setFloat32(280 + 4 * index, value, true));
  [0x6e, 0x2b, 0x31, 0].forEach((byte, index) => header.setUint8(344 + index, byte)); // "n+1\0"
  const file = new Uint8Array(352 + voxels.byteLength);
  file.set(new Uint8Array(header.buffer), 0);
  file.set(voxels, 352);
  return file;
}
