/**
 * Test helper: writes a DICOM Part 10 file (explicit VR little endian) from a nested description, for objects no
 * public package here provides (enhanced multi-frame). Elements are written in tag order; sequences use undefined
 * lengths. The tests that use it check the output with pydicom and dcm2niix.
 */
export type DicomValue = string | number[] | Uint8Array | Uint16Array | Int16Array | DicomItem[];
/** tag "GGGGEEEE" -> [VR, value] */
export type DicomItem = Record<string, [string, DicomValue]>;

const LONG_VRS = new Set(['OB', 'OW', 'SQ', 'UN', 'UT', 'UC', 'UR', 'OD', 'OF', 'OL']);

export function writeDicomFile(meta: DicomItem, dataSet: DicomItem): Uint8Array {
  const metaBytes = encodeItem(meta);
  const groupLength = encodeElement('00020000', 'UL', [metaBytes.length]);
  return concat([new Uint8Array(128), new TextEncoder().encode('DICM'), groupLength, metaBytes, encodeItem(dataSet)]);
}

function encodeItem(item: DicomItem): Uint8Array {
  const tags = Object.keys(item).sort();
  return concat(tags.map((tag) => encodeElement(tag, item[tag]![0], item[tag]![1])));
}

function encodeElement(tag: string, vr: string, value: DicomValue): Uint8Array {
  const header = new Uint8Array(LONG_VRS.has(vr) ? 12 : 8);
  const view = new DataView(header.buffer);
  view.setUint16(0, parseInt(tag.slice(0, 4), 16), true);
  view.setUint16(2, parseInt(tag.slice(4), 16), true);
  header[4] = vr.charCodeAt(0);
  header[5] = vr.charCodeAt(1);
  if (vr === 'SQ') {
    view.setUint32(8, 0xffffffff, true);
    const items = (value as DicomItem[]).map((entry) =>
      concat([marker(0xe000, 0xffffffff), encodeItem(entry), marker(0xe00d, 0)])
    );
    return concat([header, ...items, marker(0xe0dd, 0)]);
  }
  const body = encodeValue(vr, value);
  if (LONG_VRS.has(vr)) view.setUint32(8, body.length, true);
  else view.setUint16(6, body.length, true);
  return concat([header, body]);
}

function encodeValue(vr: string, value: DicomValue): Uint8Array {
  if (typeof value === 'string') {
    const text = value.length % 2 === 1 ? value + (vr === 'UI' ? '\0' : ' ') : value;
    return new TextEncoder().encode(text);
  }
  if (value instanceof Uint8Array || value instanceof Uint16Array || value instanceof Int16Array) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  const numbers = value as number[];
  const width = vr === 'UL' ? 4 : 2;
  const bytes = new Uint8Array(numbers.length * width);
  const view = new DataView(bytes.buffer);
  numbers.forEach((number, n) =>
    width === 4 ? view.setUint32(n * 4, number, true) : view.setUint16(n * 2, number, true)
  );
  return bytes;
}

function marker(element: number, length: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint16(2, element, true);
  view.setUint32(4, length, true);
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}
