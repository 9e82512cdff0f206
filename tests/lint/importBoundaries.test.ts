import { ESLint } from 'eslint';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });
const fixtures = join(import.meta.dirname, 'fixtures');

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
      await ruleIdsFor('renderer/src/Example.ts', "import type { ApiClient } from '../../main/contract';\nexport type C = ApiClient;\n")
    ).toEqual([]);
  });

  it('refuses explicit any', async () => {
    expect(await ruleIdsFor('main/project/Example.ts', 'export const x: any = 1;\n')).toContain('@typescript-eslint/no-explicit-any');
  });

});

/** Each fixture names the path it is linted as and the rule it must trip (or "nothing"). */
function readFixture(name: string): { code: string; lintAs: string; expected: string } {
  const code = readFileSync(join(fixtures, name), 'utf8');
  const lintAs = /^\/\/ lint as: (\S+)/m.exec(code)?.[1];
  const expected = /^\/\/ expect: (\S+)/m.exec(code)?.[1];
  if (!lintAs || !expected) throw new Error(`${name} must say what it is linted as and what it expects`);
  return { code, lintAs, expected };
}

describe('the floors of main/ are lint errors (tests/lint/fixtures)', () => {
  const names = readdirSync(fixtures).filter((name) => name.endsWith('.ts'));

  it('has a fixture for each rule', () => {
    expect(names.length).toBeGreaterThanOrEqual(7);
  });

  it.each(names)('%s', async (name) => {
    const { code, lintAs, expected } = readFixture(name);
    const ruleIds = await ruleIdsFor(lintAs, code);
    if (expected === 'nothing') expect(ruleIds).toEqual([]);
    else expect(ruleIds).toContain(expected);
  });

  it('finds an import cycle between two real files', async () => {
    const unignoring = new ESLint({ cwd: root, ignore: false });
    const results = await unignoring.lintFiles([join(fixtures, 'cycle/*.ts')]);
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.messages.map((message) => message.ruleId)).toContain('import-x/no-cycle');
    }
  });
});
