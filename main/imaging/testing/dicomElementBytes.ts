/**
 * Test helper: the one writer of DICOM element bytes (little endian) behind every file the tests make
 * (`writeDicomFile`, `insertPrivateData`, `fuzzCorpus`, `createSiemensMosaic`).
 */

/** Explicit-VR representations with a 2-byte reserved field and a 4-byte length. */
export const LONG_VRS: ReadonlySet<string> = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'UC',
  'UN',
  'UR',
  'UT'
]);

export const UNDEFINED_LENGTH = 0xffffffff;

/** One element: its header (implicit VR: tag and 4-byte length; explicit: tag, VR and a 2- or 4-byte length) and body. */
export function encodeDicomElement(
  tag: string,
  vr: string,
  body: Uint8Array,
  options: { implicit?: boolean; length?: number } = {}
): Uint8Array {
  const length = options.length ?? body.length;
  const long = options.implicit || LONG_VRS.has(vr);
  const header = new Uint8Array(!options.implicit && long ? 12 : 8);
  const view = new DataView(header.buffer);
  view.setUint16(0, parseInt(tag.slice(0, 4), 16), true);
  view.setUint16(2, parseInt(tag.slice(4), 16), true);
  if (options.implicit) view.setUint32(4, length, true);
  else {
    header.set([vr.charCodeAt(0), vr.charCodeAt(1)], 4);
    if (long) view.setUint32(8, length, true);
    else view.setUint16(6, length, true);
  }
  return concatBytes([header, body]);
}

/** An item (FFFE,E000), item delimiter (E00D) or sequence delimiter (E0DD) marker. */
export function encodeItemMarker(element: 0xe000 | 0xe00d | 0xe0dd, length: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint16(2, element, true);
  view.setUint32(4, length, true);
  return bytes;
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}
