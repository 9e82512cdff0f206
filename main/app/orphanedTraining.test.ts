/**
 * Issue 15, finding 3: the training process must not outlive the app that started it. A host process starts
 * training through the core; the test kills the host with SIGKILL and watches the training process end, then opens
 * the workspace again as the next launch would and checks that what the dead host left is found and cleaned.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orphanGraceMilliseconds } from '../jobs';
import { createAppCore, type AppCore } from './createAppCore';

let folder: string;
let core: AppCore | undefined;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-orphan-'));
});

afterEach(async () => {
  await core?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** True while the process exists and is not a zombie waiting for a parent that does not reap it. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function listTemporaryFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.tmp'));
}

describe('a training process whose host dies', () => {
  it(
    'stops within the grace period after its host is killed, and the next launch marks its run interrupted and cleans up',
    { timeout: 240_000 },
    async () => {
      const workspace = join(folder, 'workspace');
      const host = spawn(
        process.execPath,
        ['--import', 'tsx', resolve(import.meta.dirname, 'testing/trainingHostChild.ts'), workspace],
        {
          stdio: ['ignore', 'pipe', 'inherit']
        }
      );
      const started = await new Promise<{ workerPid: number; projectId: string; runId: string }>(
        (resolvePromise, reject) => {
          let output = '';
          host.stdout!.on('data', (chunk: Buffer) => {
            output += chunk.toString();
            const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
            if (line) resolvePromise(JSON.parse(line));
          });
          host.once('exit', (code) => reject(new Error(`the host exited (${code}) before training started`)));
        }
      );
      expect(isRunning(started.workerPid)).toBe(true);

      host.kill('SIGKILL');
      const killedAt = Date.now();
      const deadline = killedAt + orphanGraceMilliseconds + 20_000;
      while (isRunning(started.workerPid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
      const seconds = (Date.now() - killedAt) / 1000;
      console.info(
        `training process after its host was killed: ${isRunning(started.workerPid) ? 'still running' : 'gone'} after ${seconds.toFixed(1)} s`
      );
      expect(isRunning(started.workerPid)).toBe(false);

      // What a kill leaves: the run still marked running, and a checkpoint written halfway (its temporary file).
      const projects = JSON.parse(readFileSync(join(workspace, 'projects.json'), 'utf8')) as {
        id: string;
        folder: string;
      }[];
      const projectFolder = projects.find((project) => project.id === started.projectId)!.folder;
      const runFolder = join(projectFolder, 'models', 'runs', started.runId);
      writeFileSync(join(runFolder, '.checkpoint-12-1700000000000.bin.0badf00d.tmp'), 'half a checkpoint');
      expect(listTemporaryFiles(projectFolder)).not.toEqual([]);
      expect(readdirSync(join(workspace, 'jobs'))).toHaveLength(1);

      core = createAppCore({ workspaceFolder: workspace, logger: { info: () => {}, error: () => {} } });
      await core.recovery;
      const project = await core.workspace.getProject(started.projectId);
      expect((await project.store.trainingRuns.get(started.runId))?.status).toBe('interrupted');
      expect(listTemporaryFiles(projectFolder)).toEqual([]);
      expect(readdirSync(join(workspace, 'jobs'))).toEqual([]);
    }
  );
});
