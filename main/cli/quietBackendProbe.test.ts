/**
 * What native code writes while the training process looks for a GPU (Mesa's Vulkan device-select layer, the Vulkan
 * loader, Dawn) never reaches the command line's stderr, and the backend the run chose is still said in words. The
 * CLI runs as a user runs it, in a process of its own, and trains two steps of the tiny preset: the cheapest command
 * that makes the training process choose a backend.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../app';
import { createLesionProject } from '../training/testing';

const cliEntry = resolve(import.meta.dirname, 'index.ts');
/** Lines of the native libraries, as they write them (see training/backend/webgpuProbe.ts). */
const nativeNoise = /XDG_RUNTIME_DIR|Vulkan|vkCreateInstance|vkEnumeratePhysicalDevices|Loader Message|loader_get_json|While initializing adapter|InitializeImpl|CheckVkSuccessImpl|dawn\/native/;

let workspace: string;
let projectId: string;

function runCli(args: string[], environment: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, '--workspace', workspace, ...args], {
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, err }));
  });
}

/** The environment of a user's shell on a server: no XDG_RUNTIME_DIR, no software GPU allowed. */
function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete environment.XDG_RUNTIME_DIR;
  delete environment.GENSEG_WEBGPU_ALLOW_SOFTWARE;
  delete environment.VK_ICD_FILENAMES;
  return environment;
}

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'genseg-quiet-probe-'));
  const core = createAppCore({ workspaceFolder: workspace, logger: { info: () => {}, error: () => {} } });
  ({ projectId } = await createLesionProject(core, { volumes: 2, size: 16, slices: 8, maskedSlicesPerVolume: 1 }));
  await core.close();
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe.skipIf(process.platform !== 'linux')('the GPU probe on the command line', { timeout: 300_000 }, () => {
  it.each([
    ['as installed (Debian: Mesa device-select layer, lavapipe)', {}],
    // A driver list that names a missing file: the Vulkan loader and Dawn complain on any Linux with libvulkan1.
    ['with a Vulkan driver that is missing', { VK_DRIVER_FILES: '/nonexistent/genseg-missing-driver.json' }]
  ])('trains %s without a line of native output, and says where it trains', async (_, extra) => {
    const result = await runCli(['train', '--project', projectId, '--preset', 'tiny', '--steps', '2'], userEnvironment(extra));
    expect({ code: result.code, err: result.err }).toMatchObject({ code: 0 });
    expect(result.err.split('\n').filter((line) => nativeNoise.test(line))).toEqual([]);
    expect(result.err).toMatch(/^training on \S.*$/m);
    expect(result.out).toMatch(/^finished\t/m);
  });
});
