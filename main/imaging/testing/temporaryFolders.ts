/** Temporary folders made by tests, removed by `removeTemporaryFolders` (call it in afterAll). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

export function createTemporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), `genseg-${prefix}-`));
  created.push(folder);
  return folder;
}

export function removeTemporaryFolders(): void {
  for (const folder of created.splice(0)) rmSync(folder, { recursive: true, force: true });
}
