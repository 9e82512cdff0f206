/**
 * Reads what a folder scan needs from one file (identity, pixel format and the geometry of every frame) without
 * reading its pixels: the first 16 KB, more whenever the pixel data has not been reached (enhanced multi-frame
 * objects, long private headers), up to the whole file.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { describeFileSystemError, ImagingError } from '../ImagingError';
import type { Vec3 } from '../volume';
import type { DicomFrameReference, DicomPixelFormat, DicomSeriesIdentity, VendorScale } from './dicomTypes';
import { describeMosaicTiles, isMosaic, readMosaicLayout } from './readSiemensMosaic';
import { NATIVE_TRANSFER_SYNTAXES, TAG, TRANSFER_SYNTAX } from './dicomTags';
import { canDecodePixelFormat, describeUndecodableFormat } from './decodeDicomFrame';
import { readFrameGeometries } from './readFrameGeometries';
import { diagnoseDicomBytes } from './diagnoseDicomBytes';
import {
  DicomParseFailure,
  describeParseFailure,
  hasDicomSignature,
  looksLikeBareDataSet,
  parseDicomBytes,
  type DicomDataSet
} from './parseDicomBytes';

export interface DicomFileHeader {
  identity: DicomSeriesIdentity;
  /** SOPInstanceUID: the same image copied twice into a folder tree has the same one. */
  sopInstanceUid?: string;
  frames: DicomFrameReference[];
}

/** Header reads grow by steps: most headers fit 16 KB; enhanced multi-frame headers hold ~2 KB per frame. */
const READ_STEPS = [16 << 10, 1 << 20, 16 << 20, 64 << 20];

/** Throws ImagingError: `not-dicom` for other files, or why this DICOM file cannot be imported. */
export async function readDicomHeader(path: string): Promise<DicomFileHeader> {
  let handle;
  try {
    handle = await open(path, 'r');
    // The first read needs no stat: most files in a big folder are rejected from their first bytes.
    const first = await readStart(handle, READ_STEPS[0]!);
    if (!hasDicomSignature(first) && !looksLikeBareDataSet(first))
      throw new ImagingError('not-dicom', `${path} is not a DICOM file.`, path);
    const size = first.length < READ_STEPS[0]! ? first.length : (await handle.stat()).size;
    // Private data (CSA headers, vendor sequences) can put the pixels anywhere: read on until they are found. Only
    // the whole file can be judged cut short or damaged, never the part read so far.
    for (const step of [...READ_STEPS.filter((candidate) => candidate < size), size]) {
      const bytes = step === first.length ? first : await readStart(handle, step);
      const isWholeFile = step >= size;
      let dataSet: DicomDataSet;
      try {
        dataSet = parseDicomBytes(bytes, { untilPixelData: true });
      } catch (error) {
        if (!(error instanceof DicomParseFailure)) throw error;
        if (isWholeFile) throw describeParseFailure(error, path, bytes);
        continue;
      }
      const pixelData = dataSet.elements[TAG.pixelData];
      if (pixelData && pixelData.dataOffset <= bytes.length) {
        const header = describeDicomFile(dataSet, path, size);
        await checkPixelDataLength(handle, header, pixelData, path, size);
        return header;
      }
      if (!isWholeFile) continue;
      // The whole file, and no pixel data: either there is none, or the file ends (or breaks) before it.
      const diagnosis = diagnoseDicomBytes(bytes);
      if (diagnosis.kind === 'truncated' || diagnosis.kind === 'damaged')
        throw describeParseFailure(undefined, path, bytes);
      return describeDicomFile(dataSet, path, size);
    }
    throw new ImagingError('file-truncated', `${path} is cut short: the file ends before its DICOM contents do.`, path);
  } catch (error) {
    if (error instanceof ImagingError) throw error;
    throw describeFileSystemError(error, path);
  } finally {
    await handle?.close();
  }
}

async function readStart(handle: FileHandle, length: number): Promise<Uint8Array> {
  const { buffer, bytesRead } = await handle.read(Buffer.allocUnsafe(length), 0, length, 0);
  return buffer.subarray(0, bytesRead);
}

function describeDicomFile(dataSet: DicomDataSet, path: string, fileSize: number): DicomFileHeader {
  const pixelData = dataSet.elements[TAG.pixelData];
  if (!pixelData) {
    throw new ImagingError(
      'no-pixel-data',
      `${path} holds no image (it is a DICOM ${describeNonImage(dataSet)}).`,
      path
    );
  }
  const format = readPixelFormat(dataSet);
  if (!canDecodePixelFormat(format)) {
    throw new ImagingError(
      'unsupported-transfer-syntax',
      `${path} is compressed with ${describeUndecodableFormat(format)}, which this application cannot decode yet${
        format.transferSyntaxUid === TRANSFER_SYNTAX.jpegExtended
          ? ' (its JPEG decoder, libjpeg-turbo’s 8-bit build, reads 8-bit JPEG only); convert the series to uncompressed DICOM first, for example with gdcmconv --raw'
          : ''
      }.`,
      path
    );
  }
  checkFormat(format, path);
  const frameCount = Math.max(1, dataSet.intString(TAG.numberOfFrames) ?? 1);
  // Compressed pixel data has no fixed length to check; deflated files are measured after inflating.
  if (
    NATIVE_TRANSFER_SYNTAXES.has(format.transferSyntaxUid) &&
    format.transferSyntaxUid !== TRANSFER_SYNTAX.deflatedExplicitLittle
  ) {
    const imageBytes = nativeFrameBytes(format) * frameCount;
    const needed = pixelData.dataOffset + imageBytes;
    if (needed > fileSize) {
      throw new ImagingError(
        'file-truncated',
        `${path} is cut short: its image data stops early (${fileSize} of ${needed} bytes; it was probably not copied completely).`,
        path
      );
    }
  }
  const instanceNumber = dataSet.intString(TAG.instanceNumber);
  const labels = readVolumeLabels(dataSet);
  const vendorScale = readVendorScale(dataSet);
  const common = {
    path,
    ...(instanceNumber === undefined ? {} : { instanceNumber }),
    ...labels,
    ...(vendorScale ? { vendorScale } : {}),
    format
  };
  const geometries = readFrameGeometries(dataSet, frameCount);
  // A Siemens mosaic is one stored image but many slices: one frame reference per tile, each at its own position.
  const frames: DicomFrameReference[] = isMosaic(dataSet)
    ? describeMosaicTiles(readMosaicLayout(dataSet, format, frameCount, path), format, geometries[0]!).map(
        (geometry) => ({ ...common, frameIndex: 0, ...geometry })
      )
    : geometries.map((geometry, frameIndex) => ({ ...common, frameIndex, ...geometry }));
  const sopInstanceUid = dataSet.string(TAG.sopInstanceUid)?.trim();
  return { identity: readIdentity(dataSet, path), frames, ...(sopInstanceUid ? { sopInstanceUid } : {}) };
}

/**
 * Philips' private scale (2005,100E slope, 2005,100D intercept; per frame in the private 2005,140F item of enhanced
 * files). The application applies the DICOM rescale only, as `dcm2niix -p n` does; the private scale is reported.
 */
function readVendorScale(dataSet: DicomDataSet): VendorScale | undefined {
  const perFrame = dataSet.elements[TAG.perFrameFunctionalGroups]?.items?.[0]?.dataSet;
  const privateItem = perFrame?.elements['x2005140f']?.items?.[0]?.dataSet;
  for (const source of [dataSet, privateItem]) {
    const slope = source && readFloat(source, 'x2005100e');
    if (slope === undefined || !Number.isFinite(slope) || slope === 0) continue;
    const intercept = readFloat(source!, 'x2005100d');
    return { vendor: 'Philips', scaleSlope: slope, ...(intercept !== undefined && Number.isFinite(intercept) ? { scaleIntercept: intercept } : {}) };
  }
  return undefined;
}

/** A 4-byte float element (FL), or a decimal string where a writer used DS. */
function readFloat(dataSet: DicomDataSet, tag: string): number | undefined {
  const element = dataSet.elements[tag];
  if (!element) return undefined;
  if (element.length === 4 && element.vr !== 'DS') return dataSet.float(tag);
  return dataSet.floatString(tag);
}

/** Echo time and b-value: standard tags first, then the GE (0043,1039) and Siemens (0019,100C) private ones. */
function readVolumeLabels(dataSet: DicomDataSet): { echoTime?: number; bValue?: number } {
  const labels: { echoTime?: number; bValue?: number } = {};
  const echoTime = dataSet.floatString('x00180081');
  if (echoTime !== undefined && Number.isFinite(echoTime)) labels.echoTime = echoTime;
  const standard = dataSet.elements['x00189087']?.length === 8 ? dataSet.double('x00189087') : undefined;
  const ge = dataSet.intString('x00431039');
  const siemens = dataSet.intString('x0019100c');
  // GE adds 10^9 to the b-value for some sequences; only the low digits are the b-value.
  const bValue = standard ?? (ge !== undefined ? ge % 1_000_000_000 : undefined) ?? siemens;
  if (bValue !== undefined && Number.isFinite(bValue) && bValue >= 0) labels.bValue = bValue;
  return labels;
}

/**
 * The pixel data element says how long it is: an image size that disagrees with it would be read sheared. One byte
 * more is the padding to an even length, and some writers pad with a run of zeros (pydicom accepts both); anything
 * else means Rows, Columns, BitsAllocated or NumberOfFrames are wrong. A file cut short is reported elsewhere.
 */
async function checkPixelDataLength(
  handle: FileHandle,
  header: DicomFileHeader,
  pixelData: { dataOffset: number; length: number },
  path: string,
  fileSize: number
): Promise<void> {
  const { format } = header.frames[0]!;
  if (!NATIVE_TRANSFER_SYNTAXES.has(format.transferSyntaxUid)) return;
  if (format.transferSyntaxUid === TRANSFER_SYNTAX.deflatedExplicitLittle) return;
  const declared = pixelData.length;
  if (declared === 0xffffffff || pixelData.dataOffset + declared > fileSize) return;
  // The tiles of a mosaic share one stored frame.
  const frameCount = new Set(header.frames.map((frame) => frame.frameIndex)).size;
  const imageBytes = nativeFrameBytes(format) * frameCount;
  if (declared === imageBytes || declared === imageBytes + 1) return;
  if (declared > imageBytes) {
    const excess = Math.min(declared - imageBytes, 1 << 16);
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(excess), 0, excess, pixelData.dataOffset + imageBytes);
    if (buffer.subarray(0, bytesRead).every((byte) => byte === 0)) return;
  }
  const size = `${format.columns} × ${format.rows}${frameCount > 1 ? ` × ${frameCount} frames` : ''}`;
  throw new ImagingError(
    'damaged-header',
    `${path} cannot be imported: its header gives an image size (${size}, ${format.bitsAllocated}-bit${format.samplesPerPixel === 3 ? ' colour' : ''}) that needs ${imageBytes} bytes, but its pixel data holds ${declared} bytes, so the header is wrong.`,
    path
  );
}

/** Bytes of one native frame; YBR_FULL_422 stores two luminance values and one pair of chroma values per two pixels. */
export function nativeFrameBytes(format: DicomPixelFormat): number {
  const samples = format.photometricInterpretation === 'YBR_FULL_422' ? 2 : format.samplesPerPixel;
  return Math.ceil((format.rows * format.columns * samples * format.bitsAllocated) / 8);
}

function readPixelFormat(dataSet: DicomDataSet): DicomPixelFormat {
  const bitsAllocated = dataSet.uint16(TAG.bitsAllocated) ?? 16;
  return {
    rows: dataSet.uint16(TAG.rows) ?? 0,
    columns: dataSet.uint16(TAG.columns) ?? 0,
    bitsAllocated,
    bitsStored: dataSet.uint16(TAG.bitsStored) ?? bitsAllocated,
    pixelRepresentation: dataSet.uint16(TAG.pixelRepresentation) ?? 0,
    samplesPerPixel: dataSet.uint16(TAG.samplesPerPixel) ?? 1,
    photometricInterpretation: (dataSet.string(TAG.photometricInterpretation) ?? 'MONOCHROME2').toUpperCase(),
    planarConfiguration: dataSet.uint16(TAG.planarConfiguration) ?? 0,
    transferSyntaxUid: dataSet.string(TAG.transferSyntaxUid) ?? TRANSFER_SYNTAX.implicitLittle
  };
}

function checkFormat(format: DicomPixelFormat, path: string): void {
  const damaged = (reason: string): ImagingError =>
    new ImagingError('damaged-header', `${path} cannot be imported: ${reason}.`, path);
  if (format.rows < 1 || format.columns < 1) throw damaged('its image size is missing');
  if (![1, 8, 16, 32].includes(format.bitsAllocated))
    throw damaged(`it stores ${format.bitsAllocated}-bit pixels, which is not a valid DICOM image`);
  if (format.samplesPerPixel !== 1 && format.samplesPerPixel !== 3)
    throw damaged(`it has ${format.samplesPerPixel} values per pixel`);
  if (/PALETTE/.test(format.photometricInterpretation))
    throw damaged('it is a palette-colour image, which cannot be segmented as a grey-scale scan');
}

function readIdentity(dataSet: DicomDataSet, path: string): DicomSeriesIdentity {
  const text = (tag: string): string | undefined => dataSet.string(tag)?.trim() || undefined;
  const identity: DicomSeriesIdentity = {
    // Files without a SeriesInstanceUID still form a series: one per file, named by the file.
    seriesInstanceUid: text(TAG.seriesInstanceUid) ?? `file:${path}`
  };
  const optional: [keyof DicomSeriesIdentity, string | number | undefined][] = [
    ['patientName', text(TAG.patientName)?.replace(/\^+/g, ' ').trim()],
    ['patientId', text(TAG.patientId)],
    ['studyInstanceUid', text(TAG.studyInstanceUid)],
    ['frameOfReferenceUid', text(TAG.frameOfReferenceUid)],
    ['studyDescription', text(TAG.studyDescription)],
    ['studyDate', text(TAG.studyDate)],
    ['seriesDescription', text(TAG.seriesDescription)],
    ['seriesNumber', dataSet.intString(TAG.seriesNumber)],
    ['modality', text(TAG.modality)],
    ['gantryTilt', dataSet.floatString(TAG.gantryTilt)],
    ['acquisitionType', text(TAG.acquisitionType)]
  ];
  for (const [key, value] of optional)
    if (value !== undefined && !Number.isNaN(value)) Object.assign(identity, { [key]: value });
  if (/EP/.test(text(TAG.scanningSequence) ?? '') || /^Y/i.test(text(TAG.echoPlanarPulseSequence) ?? ''))
    identity.isEchoPlanar = true;
  const center = dataSet.floatString(TAG.windowCenter, 0);
  const width = dataSet.floatString(TAG.windowWidth, 0);
  if (center !== undefined && width !== undefined && Number.isFinite(center) && Number.isFinite(width) && width >= 1)
    identity.window = { center, width };
  return identity;
}

function describeNonImage(dataSet: DicomDataSet): string {
  const modality = dataSet.string(TAG.modality);
  if (modality === 'SR') return 'structured report';
  if (modality === 'PR') return 'presentation state';
  if (modality === 'KO') return 'key-object selection';
  if (modality === 'RTSTRUCT') return 'radiotherapy structure set';
  if (dataSet.elements['x00041220']) return 'folder index (DICOMDIR)';
  return 'object without pixel data';
}

export type { Vec3 };
