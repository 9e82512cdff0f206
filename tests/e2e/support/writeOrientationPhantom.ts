/**
 * An orientation phantom: a small uint8 NIfTI-1 volume whose markers sit on known sides of the patient, written in
 * two storage orders that describe the same anatomy. Each marker must land on the same side of the screen in both.
 *
 * In patient terms (RAS, as NIfTI stores it): a bright (200) column at the patient's right-anterior, a grey (120)
 * column at the left-posterior, both through all slices, and a bright block in the middle only in the superior
 * slices (k >= 20), on a background of 50.
 */
import { writeFileSync } from 'node:fs';

export const phantomShape = { columns: 40, rows: 48, slices: 30 } as const;
export const superiorMarkerFirstSlice = 20;
const spacing = 2;

export type PhantomStorage = 'ras' | 'flipped-i-and-k';

function phantomValue(i: number, j: number, k: number): number {
  if (i >= 28 && i < 36 && j >= 34 && j < 42) return 200;
  if (i >= 4 && i < 12 && j >= 6 && j < 14) return 120;
  if (k >= superiorMarkerFirstSlice && i >= 18 && i < 22 && j >= 20 && j < 28) return 200;
  return 50;
}

/**
 * 'ras': i runs to the patient's right, j to anterior, k to superior. 'flipped-i-and-k': the same anatomy stored
 * with i running to the left and k running to the feet (the sform says so).
 */
export function writeOrientationPhantom(path: string, storage: PhantomStorage): void {
  const { columns, rows, slices } = phantomShape;
  const origin = [-(columns - 1), -(rows - 1), -(slices - 1)];
  const flipped = storage === 'flipped-i-and-k';
  const srow = [
    flipped ? [-spacing, 0, 0, origin[0] + spacing * (columns - 1)] : [spacing, 0, 0, origin[0]],
    [0, spacing, 0, origin[1]],
    flipped ? [0, 0, -spacing, origin[2] + spacing * (slices - 1)] : [0, 0, spacing, origin[2]]
  ];
  const header = new DataView(new ArrayBuffer(352));
  header.setInt32(0, 348, true);
  [3, columns, rows, slices, 1, 1, 1, 1].forEach((value, index) => header.setInt16(40 + 2 * index, value, true));
  header.setInt16(70, 2, true); // datatype: unsigned char
  header.setInt16(72, 8, true); // bitpix
  [1, spacing, spacing, spacing, 1, 1, 1, 1].forEach((value, index) => header.setFloat32(76 + 4 * index, value, true));
  header.setFloat32(108, 352, true); // vox_offset
  header.setFloat32(112, 1, true); // scl_slope
  header.setUint8(123, 2); // xyzt_units: millimetres
  header.setInt16(254, 2, true); // sform_code: aligned anatomical
  srow.flat().forEach((value, index) => header.setFloat32(280 + 4 * index, value, true));
  [0x6e, 0x2b, 0x31, 0].forEach((byte, index) => header.setUint8(344 + index, byte)); // "n+1\0"
  const voxels = new Uint8Array(columns * rows * slices);
  for (let k = 0; k < slices; k++) {
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < columns; i++) {
        const anatomicalI = flipped ? columns - 1 - i : i;
        const anatomicalK = flipped ? slices - 1 - k : k;
        voxels[i + columns * (j + rows * k)] = phantomValue(anatomicalI, j, anatomicalK);
      }
    }
  }
  const file = new Uint8Array(352 + voxels.byteLength);
  file.set(new Uint8Array(header.buffer), 0);
  file.set(voxels, 352);
  writeFileSync(path, file);
}
