/**
 * Test helper: writes a DICOM Part 10 file (explicit VR little endian) from a nested description, for objects no
 * public package here provides (enhanced multi-frame). Elements are written in tag order; sequences use undefined
 * lengths. The tests that use it check the output with pydicom and dcm2niix.
 */
import { concatBytes, encodeDicomElement, encodeItemMarker, UNDEFINED_LENGTH } from './dicomElementBytes';

export type DicomValue = string | number[] | Uint8Array | Uint16Array | Int16Array | DicomItem[];
/** tag "GGGGEEEE" -> [VR, value] */
export type DicomItem = Record<string, [string, DicomValue]>;

export function writeDicomFile(meta: DicomItem, dataSet: DicomItem): Uint8Array {
  const metaBytes = encodeItem(meta);
  const groupLength = encodeElement('00020000', 'UL', [metaBytes.length]);
  return concatBytes([new Uint8Array(128), new TextEncoder().encode('DICM'), groupLength, metaBytes, encodeItem(dataSet)]);
}

function encodeItem(item: DicomItem): Uint8Array {
  const tags = Object.keys(item).sort();
  return concatBytes(tags.map((tag) => encodeElement(tag, item[tag]![0], item[tag]![1])));
}

function encodeElement(tag: string, vr: string, value: DicomValue): Uint8Array {
  if (vr === 'SQ') {
    const items = (value as DicomItem[]).map((entry) =>
      concatBytes([encodeItemMarker(0xe000, UNDEFINED_LENGTH), encodeItem(entry), encodeItemMarker(0xe00d, 0)])
    );
    return encodeDicomElement(tag, vr, concatBytes([...items, encodeItemMarker(0xe0dd, 0)]), { length: UNDEFINED_LENGTH });
  }
  return encodeDicomElement(tag, vr, encodeValue(vr, value));
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
