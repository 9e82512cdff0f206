/**
 * Global set-up of the end-to-end tests: the web host, in this process, over a fresh temporary workspace. It builds
 * nothing: the test script builds out/renderer first.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createAppCore } from '../../../main/app';
import { startWebHost } from '../../../main/server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The page address with its token, as `npm run serve` prints it. */
    appUrl: string;
    /** The host's workspace, for fixtures that must put data in a project as the job process would. */
    workspaceFolder: string;
  }
}

const rendererFolder = resolve(import.meta.dirname, '../../../out/renderer');

export default async function startTestHost(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(join(rendererFolder, 'index.html'))) {
    throw new Error(`${rendererFolder}/index.html is missing: build the app first (npx electron-vite build).`);
  }
  const workspaceFolder = await mkdtemp(join(tmpdir(), 'genseg-e2e-'));
  const core = createAppCore({ workspaceFolder });
  const host = await startWebHost({ core, rendererFolder });
  project.provide('appUrl', host.url);
  project.provide('workspaceFolder', workspaceFolder);
  return async () => {
    await host.close();
    await core.close();
    await rm(workspaceFolder, { recursive: true, force: true });
  };
}
