/**
 * Issue 20, item 7: every refusal names the file and a reason in the user's words, the per-file list travels with the
 * error (to the API too), and a file with garbage after a valid header is called damaged, not cut short.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanDicomFolder } from './dicom/scanDicomFolder';
import { ImagingError } from './ImagingError';
import { createTemporaryFolder } from './testing/dicomFixtures';
import { garbageAfterHeader, writeRefusedFolder } from './testing/refusedFiles';
import { removeTemporaryFolders } from './testing/temporaryFolders';

afterAll(removeTemporaryFolders);

describe('refusals say which file and why', () => {
  it('calls a file with garbage after a valid header damaged, not cut short', async () => {
    const folder = join(createTemporaryFolder('garbage'), 'one');
    mkdirSync(folder);
    writeFileSync(join(folder, 'image.dcm'), garbageAfterHeader());
    const error = await scanDicomFolder(folder).catch((caught: unknown) => caught as ImagingError);
    expect(error).toBeInstanceOf(ImagingError);
    const [file] = (error as ImagingError).files!;
    expect(file!.code).toBe('damaged-header');
    expect(file!.reason).not.toMatch(/cut short/);
    expect(file!.reason).toMatch(/damaged from byte \d+/);
  });

  it('says where a file cut short inside its header ends', async () => {
    const { folder, files } = writeRefusedFolder();
    const error = (await scanDicomFolder(folder).catch((caught: unknown) => caught)) as ImagingError;
    const cut = error.files!.find((file) => file.path === files.cut)!;
    expect(cut.code).toBe('file-truncated');
    expect(cut.reason).toMatch(/cut short: the file ends inside element \([0-9A-F]{4},[0-9A-F]{4}\)/);
  });

  it('carries every refused file and its reason with the error, and shows the first reasons in the message', async () => {
    const { folder, files } = writeRefusedFolder();
    const error = (await scanDicomFolder(folder).catch((caught: unknown) => caught)) as ImagingError;
    expect(error).toBeInstanceOf(ImagingError);
    expect(error.code).toBe('no-images-found');
    expect(error.files!.map((file) => file.path).sort()).toEqual(Object.values(files).sort());
    for (const file of error.files!) {
      expect(file.reason).toContain(file.path);
      expect(file.reason).not.toMatch(/undefined|TypeError|Cannot read|dicomParser/);
    }
    expect(error.message).toContain(error.files![0]!.reason);
    expect(error.message).not.toMatch(/see the list of skipped files/);
    expect(error.toJSON().files).toHaveLength(4);
  });
});
