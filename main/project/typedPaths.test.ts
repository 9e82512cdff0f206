import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expandTypedPath, resolveNiftiPaths, splitTypedPaths } from './typedPaths';

describe('paths as users type and paste them', () => {
  it('splits lines, and quoted paths on one line, and keeps spaces inside an unquoted path', () => {
    expect(splitTypedPaths('/data/a.nii\n\n  /data/my scan.nii.gz  \r\n')).toEqual(['/data/a.nii', '/data/my scan.nii.gz']);
    expect(splitTypedPaths(`"/data/a b.nii" '/data/c.nii.gz' "/data/d.nii"`)).toEqual(['/data/a b.nii', '/data/c.nii.gz', '/data/d.nii']);
    expect(splitTypedPaths('   ')).toEqual([]);
  });

  it('drops surrounding quotes, expands ~ to the home folder and file:// addresses to paths', () => {
    expect(expandTypedPath('"/data/a b.nii"', '/home/ana')).toBe('/data/a b.nii');
    expect(expandTypedPath("'/data/c.nii'", '/home/ana')).toBe('/data/c.nii');
    expect(expandTypedPath('~/scans/x.nii.gz', '/home/ana')).toBe('/home/ana/scans/x.nii.gz');
    expect(expandTypedPath('~', '/home/ana')).toBe('/home/ana');
    expect(expandTypedPath('file:///data/with%20space.nii', '/home/ana')).toBe('/data/with space.nii');
    // Not the home folder of another user, and not a tilde inside a name.
    expect(expandTypedPath('/data/~old/x.nii', '/home/ana')).toBe('/data/~old/x.nii');
  });
});

describe('the NIfTI files typed text names', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'genseg-paths-'));
    mkdirSync(join(folder, 'scans', 'nested'), { recursive: true });
    for (const name of ['b10.nii.gz', 'b2.nii', 'notes.txt', '.hidden.nii', 'nested/deep.nii']) writeFileSync(join(folder, 'scans', name), 'x');
    mkdirSync(join(folder, 'empty'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('takes every NIfTI file directly inside a folder, in natural order, and says why other paths cannot be used', async () => {
    const typed = [`"~/scans"`, '~/scans/b2.nii', 'relative.nii', `${folder}/missing.nii`, `${folder}/scans/notes.txt`, `${folder}/empty`].join('\n');
    const { files, problems } = await resolveNiftiPaths(typed, folder);
    expect(files).toEqual([join(folder, 'scans', 'b2.nii'), join(folder, 'scans', 'b10.nii.gz')]);
    expect(problems.map((problem) => problem.code)).toEqual(['invalid-input', 'not-found', 'unsupported', 'not-found']);
    expect(problems[0]!.message).toContain('full path');
    expect(problems[1]!.message).toBe(`${folder}/missing.nii does not exist.`);
    expect(problems[2]!.message).toBe('notes.txt is not a NIfTI file (.nii or .nii.gz).');
    expect(problems[3]!.message).toContain('holds no NIfTI file');
  });
});
