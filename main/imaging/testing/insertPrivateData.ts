/**
 * Test helper: makes the long private headers real scanners write (Siemens CSA blobs, Canon/Toshiba private sequences,
 * Philips per-frame sequences of undefined length) by inserting a private group (0029) of `size` bytes just before the
 * pixel data group of a real little-endian file, in that file's own encoding (implicit or explicit VR). The pixels are
 * untouched, so the result must import exactly as the source does; pydicom reads every file in the tests.
 */
import dicomParser from 'dicom-parser';
import { concatBytes, encodeDicomElement, encodeItemMarker, UNDEFINED_LENGTH } from './dicomElementBytes';

export type PrivateDataShape = 'blob' | 'sequence-defined' | 'sequence-undefined';

export function insertPrivateData(source: Uint8Array, size: number, shape: PrivateDataShape): Uint8Array {
  const dataSet = dicomParser.parseDicom(source, { untilTag: 'x7fe00010' });
  const implicit = dataSet.string('x00020010') === '1.2.840.10008.1.2';
  const pixelData = dataSet.elements['x7fe00010']!;
  const groupLength = dataSet.elements['x7fe00000'];
  const insertAt = Math.min(
    pixelData.dataOffset - (implicit ? 8 : 12),
    groupLength ? groupLength.dataOffset - 8 : Infinity
  );
  const element = (group: number, number: number, vr: string, body: Uint8Array, length = body.length): Uint8Array =>
    encodeDicomElement(
      group.toString(16).padStart(4, '0') + number.toString(16).padStart(4, '0'),
      vr,
      body,
      { implicit, length }
    );
  const marker = encodeItemMarker;
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
      const content = concatBytes([
        element(0x0029, 0x1011, 'LO', new TextEncoder().encode(`ITEM ${String(n).padStart(7, '0')}`)),
        element(0x0029, 0x1020, 'OB', blob(Math.floor(size / itemCount), n))
      ]);
      return undefinedLength
        ? concatBytes([marker(0xe000, UNDEFINED_LENGTH), content, marker(0xe00d, 0)])
        : concatBytes([marker(0xe000, content.length), content]);
    });
    const body = concatBytes(undefinedLength ? [...items, marker(0xe0dd, 0)] : items);
    privateElement = element(0x0029, 0x1010, 'SQ', body, undefinedLength ? UNDEFINED_LENGTH : body.length);
  }
  return concatBytes([source.subarray(0, insertAt), creator, privateElement, source.subarray(insertAt)]);
}
