/**
 * Test helper: makes new DICOM files from real ones by replacing the values of top-level text elements (positions,
 * orientations, UIDs, numbers). Lengths may change; the element's length field is updated, and the results are checked
 * by pydicom and dcm2niix in the tests that use them. Group lengths (gggg,0000) of edited groups are kept right.
 * Little-endian files only.
 */
import dicomParser from 'dicom-parser';

/** tag ("x00200032") -> new value, multi-values joined with "\\". */
export type ElementEdits = Record<string, string>;

const FOUR_BYTE_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'OV']);

export function rewriteDicomElements(bytes: Uint8Array, edits: ElementEdits): Uint8Array {
  const dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  const implicit = dataSet.string('x00020010') === '1.2.840.10008.1.2';
  const plan = Object.entries(edits).map(([tag, value]) => {
    const element = dataSet.elements[tag];
    if (!element) throw new Error(`rewriteDicomElements: ${tag} is not in the file`);
    const padding = element.vr === 'UI' ? '\0' : ' ';
    const text = value.length % 2 === 1 ? value + padding : value;
    const lengthBytes = implicit || FOUR_BYTE_LENGTH_VRS.has(element.vr ?? '') ? 4 : 2;
    return { element, value: new TextEncoder().encode(text), lengthBytes };
  });
  plan.sort((a, b) => b.element.dataOffset - a.element.dataOffset);
  let result = bytes;
  for (const { element, value, lengthBytes } of plan) {
    const groupLength = dataSet.elements[`x${element.tag.slice(1, 5)}0000`];
    const before = result.subarray(0, element.dataOffset);
    const after = result.subarray(element.dataOffset + element.length);
    const next = new Uint8Array(before.length + value.length + after.length);
    next.set(before, 0);
    next.set(value, before.length);
    next.set(after, before.length + value.length);
    const view = new DataView(next.buffer);
    if (lengthBytes === 2) view.setUint16(element.dataOffset - 2, value.length, true);
    else view.setUint32(element.dataOffset - 4, value.length, true);
    // Group length elements come first in their group, so edits (made last to first) never move them.
    if (groupLength)
      view.setUint32(
        groupLength.dataOffset,
        view.getUint32(groupLength.dataOffset, true) + value.length - element.length,
        true
      );
    result = next;
  }
  return result;
}

/** A DS value: up to 16 characters, as many significant digits as fit. */
export function formatDecimalString(value: number): string {
  for (let digits = 10; digits > 0; digits--) {
    const text = Number(value.toPrecision(digits)).toString();
    if (text.length <= 16) return text;
  }
  return value.toFixed(0);
}
