import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(import.meta.dirname, '../..', filePath) });
  return (result?.messages ?? []).filter((message) => message.severity === 2).map((message) => message.ruleId ?? 'parse');
}

describe('import boundaries are lint errors', () => {
  it('keeps electron out of main/', async () => {
    expect(await ruleIdsFor('main/project/Example.ts', "import { app } from 'electron';\nexport const x = app;\n")).toContain(
      'no-restricted-imports'
    );
  });

  it('keeps the renderer out of main/', async () => {
    expect(
      await ruleIdsFor('main/project/Example.ts', "import { x } from '../../renderer/src/api/client';\nexport const y = x;\n")
    ).toContain('no-restricted-imports');
  });

  it('keeps Node, Electron and main internals out of the renderer but allows the contract', async () => {
    expect(await ruleIdsFor('renderer/src/Example.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n")).toContain('no-restricted-imports');
    expect(await ruleIdsFor('renderer/src/Example.ts', "import { Workspace } from '../../main/project';\nexport const w = Workspace;\n")).toContain('no-restricted-imports');
    expect(await ruleIdsFor('renderer/src/Example.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n")).toContain('no-restricted-imports');
    expect(
      await ruleIdsFor('renderer/src/Example.ts', "import type { ApiClient } from '../../main/api/contract';\nexport type C = ApiClient;\n")
    ).toEqual([]);
  });

  it('refuses explicit any', async () => {
    expect(await ruleIdsFor('main/project/Example.ts', 'export const x: any = 1;\n')).toContain('@typescript-eslint/no-explicit-any');
  });
});
