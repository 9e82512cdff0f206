/**
 * Says where and why the bytes of a whole DICOM file stop making sense, when dicom-parser gave up or found no pixel
 * data. dicom-parser only reports that it ran past the end of its buffer, which a file cut short and a file with garbage
 * after a valid header both do; this walker tells them apart: a file cut short ends inside an element that is
 * otherwise well formed, while garbage shows up as tags out of order, a VR that does not exist, or a length larger than
 * any real file. Only the top level is checked for order; sequences are followed to their end.
 */
import { TRANSFER_SYNTAX } from './dicomTags';

export type DicomByteDiagnosis =
  | { kind: 'pixel-data'; offset: number }
  | { kind: 'no-pixel-data' }
  | { kind: 'truncated'; tag: string; offset: number; missing: number }
  | { kind: 'damaged'; offset: number; why: string }
  | { kind: 'unknown' };

const VALID_VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' ')
);
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
const MAX_DEPTH = 64;
/** Garbage lengths are random 32-bit numbers; a real element is never far larger than the file that holds it. */
const implausible = (length: number, fileSize: number): boolean => length > Math.max(4 * fileSize, 1 << 20);

class Stop {
  constructor(readonly diagnosis: DicomByteDiagnosis) {}
}

export function formatTag(group: number, element: number): string {
  const hex = (value: number): string => value.toString(16).toUpperCase().padStart(4, '0');
  return `(${hex(group)},${hex(element)})`;
}

export function diagnoseDicomBytes(bytes: Uint8Array): DicomByteDiagnosis {
  try {
    return walk(bytes);
  } catch (error) {
    if (error instanceof Stop) return error.diagnosis;
    throw error;
  }
}

function walk(bytes: Uint8Array): DicomByteDiagnosis {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hasPreamble =
    bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
  let offset = hasPreamble ? 132 : 0;
  // The file meta group: always explicit VR little endian.
  let transferSyntax: string | undefined;
  while (offset + 4 <= bytes.length && view.getUint16(offset, true) === 0x0002) {
    const element = readHeader(bytes, view, offset, true, true);
    if (element.number === 0x0010)
      transferSyntax = new TextDecoder().decode(
        bytes.subarray(element.dataOffset, element.dataOffset + element.length)
      );
    offset = skipValue(bytes, view, element, true, true);
  }
  transferSyntax = transferSyntax?.replace(/[\0 ]+$/, '');
  if (!hasPreamble && transferSyntax === undefined)
    transferSyntax = /^[A-Z]{2}$/.test(String.fromCharCode(bytes[4] ?? 0, bytes[5] ?? 0))
      ? TRANSFER_SYNTAX.explicitLittle
      : TRANSFER_SYNTAX.implicitLittle;
  if (transferSyntax === TRANSFER_SYNTAX.deflatedExplicitLittle) return { kind: 'unknown' };
  const explicit = transferSyntax !== TRANSFER_SYNTAX.implicitLittle;
  const little = transferSyntax !== TRANSFER_SYNTAX.explicitBig;
  let previous = -1;
  while (offset < bytes.length) {
    if (bytes.length - offset < 8) {
      // Trailing padding of zeros after the last element is harmless.
      if (bytes.subarray(offset).every((byte) => byte === 0)) break;
      throw new Stop({ kind: 'truncated', tag: 'an element', offset, missing: 8 - (bytes.length - offset) });
    }
    const element = readHeader(bytes, view, offset, explicit, little);
    const key = element.group * 0x10000 + element.number;
    if (key <= previous) {
      if (element.group === 0 && element.number === 0 && bytes.subarray(offset).every((byte) => byte === 0)) break;
      throw new Stop({ kind: 'damaged', offset, why: 'the elements after that point are out of order' });
    }
    previous = key;
    if (key === 0x7fe00010) return { kind: 'pixel-data', offset: element.dataOffset };
    offset = skipValue(bytes, view, element, explicit, little);
  }
  return { kind: 'no-pixel-data' };
}

interface ElementHeader {
  group: number;
  number: number;
  vr?: string;
  length: number;
  offset: number;
  dataOffset: number;
}

function readHeader(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  explicit: boolean,
  little: boolean
): ElementHeader {
  const need = (count: number): void => {
    if (offset + count > bytes.length)
      throw new Stop({ kind: 'truncated', tag: 'an element', offset, missing: offset + count - bytes.length });
  };
  need(8);
  const group = view.getUint16(offset, little);
  const number = view.getUint16(offset + 2, little);
  const tag = formatTag(group, number);
  if (group === 0xfffe || !explicit) {
    return { group, number, length: view.getUint32(offset + 4, little), offset, dataOffset: offset + 8 };
  }
  const vr = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!);
  if (!VALID_VRS.has(vr)) throw new Stop({ kind: 'damaged', offset, why: `element ${tag} has no valid type` });
  if (LONG_VRS.has(vr)) {
    need(12);
    return { group, number, vr, length: view.getUint32(offset + 8, little), offset, dataOffset: offset + 12 };
  }
  return { group, number, vr, length: view.getUint16(offset + 6, little), offset, dataOffset: offset + 8 };
}

/** The offset after the element's value; sequences (and undefined lengths) are followed item by item. */
function skipValue(
  bytes: Uint8Array,
  view: DataView,
  element: ElementHeader,
  explicit: boolean,
  little: boolean,
  depth = 0
): number {
  const tag = formatTag(element.group, element.number);
  if (depth > MAX_DEPTH)
    throw new Stop({ kind: 'damaged', offset: element.offset, why: 'its sequences nest too deeply' });
  if (element.length !== UNDEFINED) {
    if (implausible(element.length, bytes.length))
      throw new Stop({
        kind: 'damaged',
        offset: element.offset,
        why: `element ${tag} claims ${formatBytes(element.length)} in a file of ${formatBytes(bytes.length)}`
      });
    const end = element.dataOffset + element.length;
    if (end > bytes.length)
      throw new Stop({ kind: 'truncated', tag, offset: element.offset, missing: end - bytes.length });
    return end;
  }
  if (element.group === 0x7fe0 && element.number === 0x0010) return bytes.length;
  // Undefined length: a sequence of items, ended by the sequence delimiter (FFFE,E0DD).
  let offset = element.dataOffset;
  for (;;) {
    const item = readHeader(bytes, view, offset, false, little);
    if (item.group === 0xfffe && item.number === 0xe0dd) return item.dataOffset;
    if (item.group !== 0xfffe || item.number !== 0xe000)
      throw new Stop({ kind: 'damaged', offset, why: `sequence ${tag} holds something that is not an item` });
    if (item.length !== UNDEFINED) {
      offset = skipValue(
        bytes,
        view,
        { ...item, group: element.group, number: element.number },
        explicit,
        little,
        depth + 1
      );
      continue;
    }
    // An item of undefined length: its elements, then the item delimiter (FFFE,E00D).
    offset = item.dataOffset;
    for (;;) {
      const inner = readHeader(bytes, view, offset, explicit, little);
      if (inner.group === 0xfffe && inner.number === 0xe00d) {
        offset = inner.dataOffset;
        break;
      }
      offset = skipValue(bytes, view, inner, explicit, little, depth + 1);
    }
  }
}

export function formatBytes(count: number): string {
  if (count >= 1 << 30) return `${(count / (1 << 30)).toFixed(1)} GB`;
  if (count >= 1 << 20) return `${(count / (1 << 20)).toFixed(1)} MB`;
  if (count >= 1 << 10) return `${(count / (1 << 10)).toFixed(1)} KB`;
  return `${count} bytes`;
}
