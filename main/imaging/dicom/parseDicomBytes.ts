/**
 * dicom-parser behind one function that says what went wrong in a user's words. dicom-parser throws strings or
 * `{ exception }` objects; running past the end of the bytes means the file (or the part read so far) is cut short.
 */
import dicomParser from 'dicom-parser';
import { ImagingError } from '../ImagingError';
import { TRANSFER_SYNTAX } from './dicomTags';
import { diagnoseDicomBytes, formatBytes } from './diagnoseDicomBytes';

export type DicomDataSet = dicomParser.DataSet;
export type DicomElement = dicomParser.Element;

/** Why a parse failed: `incomplete` when more bytes might fix it, `invalid` when the bytes themselves are wrong. */
export class DicomParseFailure extends Error {
  constructor(
    readonly kind: 'incomplete' | 'invalid',
    detail: string
  ) {
    super(detail);
  }
}

const PREAMBLE_LENGTH = 128;

/** "DICM" at byte 128: the Part 10 file signature. */
export function hasDicomSignature(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
  );
}

/**
 * Old scanners and some exporters write a bare data set without preamble. It is recognised by a first tag in groups
 * 0002 or 0008 (little endian) followed by a plausible explicit VR or implicit length, as DCMTK does.
 */
export function looksLikeBareDataSet(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const group = bytes[0]! | (bytes[1]! << 8);
  if (group !== 0x0002 && group !== 0x0008) return false;
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  return /^[A-Z]{2}$/.test(vr) || (bytes[6] === 0 && bytes[7] === 0);
}

export function parseDicomBytes(bytes: Uint8Array, options: { untilPixelData: boolean }): DicomDataSet {
  const parseOptions: dicomParser.ParseDicomOptions = options.untilPixelData ? { untilTag: 'x7fe00010' } : {};
  if (!hasDicomSignature(bytes)) parseOptions.TransferSyntaxUID = guessBareTransferSyntax(bytes);
  try {
    return dicomParser.parseDicom(bytes, parseOptions);
  } catch (error) {
    const fallback = parseImplicitDespiteHeader(bytes);
    if (fallback) return fallback;
    const detail = describeParserError(error);
    const incomplete = /past end|overr|buffer|end of|beyond|unexpected end|invalid stored block|incorrect header/i.test(
      detail
    );
    throw new DicomParseFailure(incomplete ? 'incomplete' : 'invalid', detail);
  }
}

const DataSetClass = (dicomParser as unknown as { DataSet: new (parser: unknown, bytes: Uint8Array, elements: object) => DicomDataSet })
  .DataSet;

/**
 * Some writers encode the data set in implicit VR under a transfer syntax that says explicit (pydicom's test file
 * SC_rgb_jpeg.dcm, from highdicom): pydicom notices and reads it as implicit; so does this. Only when explicit parsing
 * failed and the first data set element has no VR where explicit VR puts one. Read up to the pixel data; encapsulated
 * pixel data is then split into its fragments here (dicom-parser's implicit reader would take it for a sequence).
 */
function parseImplicitDespiteHeader(bytes: Uint8Array): DicomDataSet | undefined {
  if (!hasDicomSignature(bytes)) return undefined;
  try {
    const meta = dicomParser.readPart10Header(bytes) as DicomDataSet & { position?: number };
    const syntax = meta.string('x00020010');
    const position = meta.position;
    const notExplicitLittle: string[] = [TRANSFER_SYNTAX.implicitLittle, TRANSFER_SYNTAX.explicitBig, TRANSFER_SYNTAX.deflatedExplicitLittle];
    if (!syntax || notExplicitLittle.includes(syntax) || position === undefined || position + 8 > bytes.length) return undefined;
    if (/^[A-Z]{2}$/.test(String.fromCharCode(bytes[position + 4]!, bytes[position + 5]!))) return undefined;
    const stream = new dicomParser.ByteStream(dicomParser.littleEndianByteArrayParser, bytes, position);
    const dataSet = new DataSetClass(stream.byteArrayParser, bytes, {});
    dicomParser.parseDicomDataSetImplicit(dataSet, stream, bytes.length, { untilTag: 'x7fe00010' });
    const pixelData = dataSet.elements['x7fe00010'];
    if (pixelData && pixelData.length === 0xffffffff) {
      stream.seek(pixelData.dataOffset - stream.position);
      dicomParser.findEndOfEncapsulatedElement(stream, pixelData, []);
    }
    Object.assign(dataSet.elements, meta.elements);
    return dataSet;
  } catch {
    return undefined;
  }
}

function guessBareTransferSyntax(bytes: Uint8Array): string {
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  return /^[A-Z]{2}$/.test(vr) ? TRANSFER_SYNTAX.explicitLittle : TRANSFER_SYNTAX.implicitLittle;
}

function describeParserError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'exception' in error)
    return String((error as { exception: unknown }).exception);
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why a whole file cannot be read, in a user's words: cut short (and where), or damaged (and how), told apart by
 * walking the bytes (diagnoseDicomBytes), never from the mere fact that a buffer ended.
 */
export function describeParseFailure(
  failure: DicomParseFailure | undefined,
  path: string,
  bytes: Uint8Array
): ImagingError {
  const diagnosis = diagnoseDicomBytes(bytes);
  const options = failure ? { cause: failure } : {};
  if (diagnosis.kind === 'truncated') {
    const where = diagnosis.tag === 'an element' ? 'an element' : `element ${diagnosis.tag}`;
    return new ImagingError(
      'file-truncated',
      `${path} is cut short: the file ends inside ${where} that starts at byte ${diagnosis.offset}, ${formatBytes(diagnosis.missing)} before that element's end (it was probably not copied completely).`,
      path,
      options
    );
  }
  if (diagnosis.kind === 'damaged') {
    return new ImagingError(
      'damaged-header',
      `${path} starts like a DICOM file but is damaged from byte ${diagnosis.offset} on: ${diagnosis.why}.`,
      path,
      options
    );
  }
  return new ImagingError(
    'damaged-header',
    `${path} starts like a DICOM file but its contents are damaged and cannot be read.`,
    path,
    options
  );
}

export { PREAMBLE_LENGTH };
