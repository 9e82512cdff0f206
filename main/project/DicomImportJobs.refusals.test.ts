/** Issue 20, item 7: a folder with nothing importable fails with the per-file reasons attached, through the API. */
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../common';
import { ApiError } from '../contract';
import { writeRefusedFolder } from '../imaging/testing/refusedFiles';
import { removeTemporaryFolders } from '../imaging/testing/temporaryFolders';
import { DicomImportJobs } from './DicomImportJobs';
import type { Project } from './Project';

afterAll(removeTemporaryFolders);

describe('DICOM scan refusals', () => {
  it('hands the per-file list to the API with the error', async () => {
    const { folder, files } = writeRefusedFolder();
    const jobs = new DicomImportJobs(new EventBus());
    const error = await jobs.scan({ id: 'project' } as Project, 'job-1', folder).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    const json = (error as ApiError).toJSON();
    expect(json.code).toBe('bad-file');
    expect(json.problems!.map((problem) => problem.file).sort()).toEqual(Object.values(files).sort());
    expect(json.problems!.find((problem) => problem.file === files.htj2k)!.message).toMatch(
      /High-Throughput JPEG 2000/
    );
  });
});
