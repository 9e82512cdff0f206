/**
 * Siemens mosaics: fMRI and diffusion series store each volume as one image of tiles (ImageType contains MOSAIC), the
 * slices laid out row by row on a square grid of ceil(sqrt(n)) tiles, n = NumberOfImagesInMosaic from the CSA image
 * header (private element (0029,xx10) of the "SIEMENS CSA HEADER" block). ImagePositionPatient is that of the whole
 * tiled image, not of the first slice: it is corrected as nibabel (`MosaicWrapper.image_position`) and dcm2niix do,
 * by half the difference between the mosaic's size and one tile's. Slices follow the CSA header's SliceNormalVector
 * (the row x column direction when it is missing), one slice step (SpacingBetweenSlices, else SliceThickness) apart.
 */
import { ImagingError } from '../ImagingError';
import { addVectors, crossProduct, scaleVector } from '../geometry';
import type { ScalarArray, Vec3 } from '../volume';
import type { DicomMosaicTile, DicomPixelFormat } from './dicomTypes';
import type { FrameGeometry } from './readFrameGeometries';
import type { DicomDataSet } from './parseDicomBytes';

export interface MosaicLayout {
  imageCount: number;
  tilesPerRow: number;
  tileRows: number;
  tileColumns: number;
  /** SliceNormalVector from the CSA header, when it gives one. */
  sliceNormal?: Vec3;
}

/** ImageType (0008,0008) says MOSAIC. */
export function isMosaic(dataSet: DicomDataSet): boolean {
  return /(^|\\)\s*MOSAIC\s*(\\|$)/i.test(dataSet.string('x00080008') ?? '');
}

/** The tiling of a mosaic, or a refusal that says why it cannot be cut into slices. */
export function readMosaicLayout(
  dataSet: DicomDataSet,
  format: DicomPixelFormat,
  frameCount: number,
  path: string
): MosaicLayout {
  const refuse = (why: string): ImagingError =>
    new ImagingError(
      'damaged-header',
      `${path} is a Siemens mosaic (the slices of one volume tiled into one image), but ${why}, so it cannot be cut into its slices.`,
      path
    );
  const csa = readCsaImageHeader(dataSet);
  const count = csa?.get('NumberOfImagesInMosaic')?.[0];
  const imageCount = count === undefined ? NaN : Number.parseInt(count, 10);
  if (!Number.isInteger(imageCount) || imageCount < 1)
    throw refuse('its Siemens private header (CSA) does not say how many slices it holds');
  if (frameCount > 1) throw refuse(`it holds ${frameCount} frames where a mosaic has one`);
  const tilesPerRow = Math.ceil(Math.sqrt(imageCount));
  const tileRows = Math.floor(format.rows / tilesPerRow);
  const tileColumns = Math.floor(format.columns / tilesPerRow);
  if (tileRows < 1 || tileColumns < 1)
    throw refuse(`its ${format.columns} × ${format.rows} image cannot hold ${imageCount} slices`);
  const layout: MosaicLayout = { imageCount, tilesPerRow, tileRows, tileColumns };
  const normal = (csa?.get('SliceNormalVector') ?? []).map(Number);
  const length = Math.hypot(...normal);
  if (normal.length === 3 && normal.every(Number.isFinite) && length > 0.5)
    layout.sliceNormal = normal.map((value) => value / length) as Vec3;
  return layout;
}

/** One frame reference per slice of the mosaic, with the slice's own position. */
export function describeMosaicTiles(
  layout: MosaicLayout,
  format: DicomPixelFormat,
  geometry: FrameGeometry
): (FrameGeometry & { mosaic: DicomMosaicTile })[] {
  const { position, rowDirection, columnDirection, pixelSpacing } = geometry;
  const tile = { tilesPerRow: layout.tilesPerRow, rows: layout.tileRows, columns: layout.tileColumns };
  let first: Vec3 | undefined;
  let normal: Vec3 | undefined;
  if (position && rowDirection && columnDirection) {
    const [rowSpacing, columnSpacing] = pixelSpacing ?? [1, 1];
    // nibabel's correction: the stored position is that of the whole mosaic's corner.
    const alongRow = (columnSpacing * (format.columns - format.columns / layout.tilesPerRow)) / 2;
    const alongColumn = (rowSpacing * (format.rows - format.rows / layout.tilesPerRow)) / 2;
    first = addVectors(
      addVectors(position, scaleVector(rowDirection, alongRow)),
      scaleVector(columnDirection, alongColumn)
    );
    normal = layout.sliceNormal ?? crossProduct(rowDirection, columnDirection);
  }
  const step = geometry.spacingBetweenSlices ?? geometry.sliceThickness ?? 1;
  return Array.from({ length: layout.imageCount }, (_, index) => ({
    ...geometry,
    ...(first && normal ? { position: addVectors(first, scaleVector(normal, index * step)) } : {}),
    mosaic: { index, ...tile }
  }));
}

/** The pixels of one tile, cut out of the decoded mosaic (`mosaicColumns` wide). */
export function cutMosaicTile(mosaic: ScalarArray, mosaicColumns: number, tile: DicomMosaicTile): ScalarArray {
  const tileRow = Math.floor(tile.index / tile.tilesPerRow);
  const tileColumn = tile.index % tile.tilesPerRow;
  const result = new (mosaic.constructor as new (length: number) => ScalarArray)(tile.rows * tile.columns);
  for (let row = 0; row < tile.rows; row++) {
    const start = (tileRow * tile.rows + row) * mosaicColumns + tileColumn * tile.columns;
    result.set(mosaic.subarray(start, start + tile.columns), row * tile.columns);
  }
  return result;
}

/**
 * The CSA image header as name -> item strings. Both layouts are read: "SV10" (CSA2, item length in the second word)
 * and CSA1 (item length in the first word, less the first tag's item count, as nibabel's csareader does). Returns
 * undefined when there is no such header or it cannot be read.
 */
export function readCsaImageHeader(dataSet: DicomDataSet): Map<string, string[]> | undefined {
  let element;
  for (let block = 0x10; block <= 0xff && !element; block++) {
    const hex = block.toString(16).padStart(2, '0');
    if (dataSet.string(`x002900${hex}`)?.trim() === 'SIEMENS CSA HEADER') element = dataSet.elements[`x0029${hex}10`];
  }
  if (!element || element.length === 0xffffffff || element.length < 16) return undefined;
  const bytes = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
  if (bytes.length < element.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (start: number, length: number): string => {
    let end = start;
    while (end < start + length && bytes[end] !== 0) end++;
    return new TextDecoder('latin1').decode(bytes.subarray(start, end)).trim();
  };
  const csa2 = text(0, 4) === 'SV10';
  let offset = csa2 ? 8 : 0;
  const tagCount = view.getUint32(offset, true);
  if (tagCount < 1 || tagCount > 1000) return undefined;
  offset += 8;
  const tags = new Map<string, string[]>();
  let firstItemCount = 0;
  for (let tagNumber = 0; tagNumber < tagCount; tagNumber++) {
    if (offset + 84 > bytes.length) return tags;
    const name = text(offset, 64);
    const vm = view.getInt32(offset + 64, true);
    const itemCount = view.getInt32(offset + 76, true);
    offset += 84;
    // nibabel's csareader takes the item count of tag number 1 for CSA1's length arithmetic.
    if (tagNumber === 1) firstItemCount = itemCount;
    if (itemCount < 0 || itemCount > 1000) return tags;
    const values: string[] = [];
    for (let item = 0; item < itemCount; item++) {
      if (offset + 16 > bytes.length) return tags;
      const itemLength = csa2 ? view.getInt32(offset + 4, true) : view.getInt32(offset, true) - firstItemCount;
      offset += 16;
      if (itemLength < 0 || offset + itemLength > bytes.length) {
        if (csa2) return tags;
        break;
      }
      if (item < (vm > 0 ? vm : itemCount) && itemLength > 0) values.push(text(offset, itemLength));
      offset += itemLength + ((4 - (itemLength % 4)) % 4);
    }
    tags.set(name, values);
  }
  return tags;
}
