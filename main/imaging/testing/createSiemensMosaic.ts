/**
 * Test helper: a Siemens mosaic made from a known volume. The slices of `volume` (k order) are tiled row by row on a
 * ceil(sqrt(n)) square grid, the CSA image header (SV10) written with NumberOfImagesInMosaic and SliceNormalVector,
 * and ImagePositionPatient set as Siemens does: to the corner of the whole mosaic, not of the first slice. The tests
 * read the file with dcm2niix and nibabel too.
 */
import { formatDecimalString } from './rewriteDicomElements';
import { concatBytes } from './dicomElementBytes';
import { writeDicomFile, type DicomItem } from './writeDicomFile';
import type { Vec3, Volume } from '../volume';

export interface CsaTag {
  name: string;
  vr: string;
  values: string[];
}

/** The CSA2 ("SV10") layout that nibabel's csareader and dcm2niix read. */
export function encodeCsaHeader(tags: CsaTag[]): Uint8Array {
  const word = (...values: number[]): Uint8Array => {
    const bytes = new Uint8Array(4 * values.length);
    values.forEach((value, n) => new DataView(bytes.buffer).setInt32(4 * n, value, true));
    return bytes;
  };
  const text = (value: string, length: number): Uint8Array => {
    const bytes = new Uint8Array(length);
    bytes.set(new TextEncoder().encode(value).subarray(0, length - 1));
    return bytes;
  };
  const parts = [new TextEncoder().encode('SV10'), Uint8Array.of(4, 3, 2, 1), word(tags.length, 77)];
  for (const tag of tags) {
    // name, VM, VR, SyngoDT, item count, 77; then each item: four length words and the value padded to 4 bytes.
    parts.push(text(tag.name, 64), word(tag.values.length), text(tag.vr, 4), word(0, tag.values.length, 77));
    for (const value of tag.values) {
      const body = new TextEncoder().encode(`${value}\0`);
      parts.push(word(body.length, body.length, 77, body.length), body, new Uint8Array((4 - (body.length % 4)) % 4));
    }
  }
  return concatBytes(parts);
}

export interface MosaicOptions {
  seriesInstanceUid: string;
  instanceNumber: number;
  /** Leave NumberOfImagesInMosaic out of the CSA header (a mosaic that cannot be cut). */
  withoutImageCount?: boolean;
}

/** A Siemens MR mosaic (explicit VR little endian, int16) holding every slice of `volume`, an int16 volume. */
export function createSiemensMosaicFile(volume: Volume, options: MosaicOptions): Uint8Array {
  const [columns, rows, count] = volume.geometry.dimensions;
  const m = volume.geometry.voxelToPatient;
  const column = (n: number): Vec3 => [m[n]!, m[4 + n]!, m[8 + n]!];
  const length = (v: Vec3): number => Math.hypot(...v);
  const unit = (v: Vec3): Vec3 => v.map((value) => value / length(v)) as Vec3;
  const [stepI, stepJ, stepK, origin] = [column(0), column(1), column(2), column(3)];
  const grid = Math.ceil(Math.sqrt(count));
  const mosaic = new Int16Array(grid * rows * grid * columns);
  for (let k = 0; k < count; k++) {
    const [tileRow, tileColumn] = [Math.floor(k / grid), k % grid];
    for (let j = 0; j < rows; j++) {
      const source = volume.scalars.subarray((k * rows + j) * columns, (k * rows + j + 1) * columns);
      mosaic.set(source, (tileRow * rows + j) * grid * columns + tileColumn * columns);
    }
  }
  // Siemens' position: the first slice's corner moved back by half of (mosaic size - tile size).
  const corner = origin.map(
    (value, n) => value - (stepI[n]! * (grid * columns - columns)) / 2 - (stepJ[n]! * (grid * rows - rows)) / 2
  );
  const decimals = (values: number[]): string => values.map(formatDecimalString).join('\\');
  const normal = unit(stepK);
  const csa = encodeCsaHeader([
    ...(options.withoutImageCount ? [] : [{ name: 'NumberOfImagesInMosaic', vr: 'US', values: [String(count)] }]),
    // nibabel takes a file for a mosaic only when this is present too.
    { name: 'AcquisitionMatrixText', vr: 'SH', values: [`${rows}p*${columns}`] },
    { name: 'SliceNormalVector', vr: 'FD', values: normal.map((value) => value.toFixed(8)) }
  ]);
  const sopInstanceUid = `${options.seriesInstanceUid}.${options.instanceNumber}`;
  const meta: DicomItem = {
    '00020001': ['OB', Uint8Array.of(0, 1)],
    '00020002': ['UI', '1.2.840.10008.5.1.4.1.1.4'],
    '00020003': ['UI', sopInstanceUid],
    '00020010': ['UI', '1.2.840.10008.1.2.1']
  };
  const dataSet: DicomItem = {
    '00080008': ['CS', 'ORIGINAL\\PRIMARY\\M\\ND\\MOSAIC'],
    '00080016': ['UI', '1.2.840.10008.5.1.4.1.1.4'],
    '00080018': ['UI', sopInstanceUid],
    '00080060': ['CS', 'MR'],
    '00080070': ['LO', 'SIEMENS'],
    '0008103e': ['LO', 'ep2d mosaic'],
    '00100010': ['PN', 'Mosaic^Test'],
    '00100020': ['LO', 'MOSAIC1'],
    '00180023': ['CS', '2D'],
    '00180050': ['DS', formatDecimalString(length(stepK))],
    '00180088': ['DS', formatDecimalString(length(stepK))],
    '00190010': ['LO', 'SIEMENS MR HEADER'],
    '0019100a': ['US', [count]],
    '0020000d': ['UI', `${options.seriesInstanceUid}.0`],
    '0020000e': ['UI', options.seriesInstanceUid],
    '00200011': ['IS', '5'],
    '00200013': ['IS', String(options.instanceNumber)],
    '00200032': ['DS', decimals(corner)],
    '00200037': ['DS', decimals([...unit(stepI), ...unit(stepJ)])],
    '00280002': ['US', [1]],
    '00280004': ['CS', 'MONOCHROME2'],
    '00280010': ['US', [grid * rows]],
    '00280011': ['US', [grid * columns]],
    '00280030': ['DS', decimals([length(stepJ), length(stepI)])],
    '00280100': ['US', [16]],
    '00280101': ['US', [16]],
    '00280102': ['US', [15]],
    '00280103': ['US', [1]],
    '00290010': ['LO', 'SIEMENS CSA HEADER'],
    '00291010': ['OB', csa],
    '7fe00010': ['OW', mosaic]
  };
  return writeDicomFile(meta, dataSet);
}
