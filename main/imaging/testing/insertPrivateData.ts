/**
 * Test helper: makes the long private headers real scanners write (Siemens CSA blobs, Canon/Toshiba private sequences,
 * Philips per-frame sequences of undefined length) by inserting a private group (0029) of `size` bytes just before the
 * pixel data group of a real little-endian file, in that file's own encoding (implicit or explicit VR). The pixels are
 * untouched, so the result must import exactly as the source does; pydicom reads every file in the tests.
 */
import dicomParser from 'dicom-parser';

export type PrivateDataShape = 'blob' | 'sequence-defined' | 'sequence-undefined';

const UNDEFINED = 0xffffffff;

export function insertPrivateData(source: Uint8Array, size: number, shape: PrivateDataShape): Uint8Array {
  const dataSet = dicomParser.parseDicom(source, { untilTag: 'x7fe00010' });
  const implicit = dataSet.string('x00020010') === '1.2.840.10008.1.2';
  const pixelData = dataSet.elements['x7fe00010']!;
  const groupLength = dataSet.elements['x7fe00000'];
  const insertAt = Math.min(
    pixelData.dataOffset - (implicit ? 8 : 12),
    groupLength ? groupLength.dataOffset - 8 : Infinity
  );
  const element = (group: number, number: number, vr: string, body: Uint8Array, length = body.length): Uint8Array => {
    const long = implicit || ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
    const header = new Uint8Array(implicit ? 8 : long ? 12 : 8);
    const view = new DataView(header.buffer);
    view.setUint16(0, group, true);
    view.setUint16(2, number, true);
    if (implicit) view.setUint32(4, length, true);
    else {
      header.set([vr.charCodeAt(0), vr.charCodeAt(1)], 4);
      if (long) view.setUint32(8, length, true);
      else view.setUint16(6, length, true);
    }
    return concat([header, body]);
  };
  const marker = (number: number, length: number): Uint8Array => {
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, 0xfffe, true);
    view.setUint16(2, number, true);
    view.setUint32(4, length, true);
    return bytes;
  };
  const blob = (length: number, seed: number): Uint8Array =>
    // Text-like bytes (as in a CSA header): never a sequence delimiter by accident.
    Uint8Array.from({ length }, (_, n) => 0x41 + ((n * 31 + seed) % 26));
  const creator = element(0x0029, 0x0010, 'LO', new TextEncoder().encode('GENSEG PRIVATE TEST  '.slice(0, 20)));
  let privateElement: Uint8Array;
  if (shape === 'blob') privateElement = element(0x0029, 0x1010, 'OB', blob(size, 0));
  else {
    const undefinedLength = shape === 'sequence-undefined';
    const itemCount = Math.max(1, Math.round(size / 1024));
    const items = Array.from({ length: itemCount }, (_, n) => {
      const content = concat([
        element(0x0029, 0x1011, 'LO', new TextEncoder().encode(`ITEM ${String(n).padStart(7, '0')}`)),
        element(0x0029, 0x1020, 'OB', blob(Math.floor(size / itemCount), n))
      ]);
      return undefinedLength
        ? concat([marker(0xe000, UNDEFINED), content, marker(0xe00d, 0)])
        : concat([marker(0xe000, content.length), content]);
    });
    const body = concat(undefinedLength ? [...items, marker(0xe0dd, 0)] : items);
    privateElement = element(0x0029, 0x1010, 'SQ', body, undefinedLength ? UNDEFINED : body.length);
  }
  return concat([source.subarray(0, insertAt), creator, privateElement, source.subarray(insertAt)]);
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
