/**
 * Issue 15, finding 2: two startTraining calls at once (two windows, a double click) start one run, and the other
 * caller hears 'busy'. The training process is a double here: what matters is how many the app starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../app';
import type { WorkerProcess } from '../jobs';
import { createLesionProject } from '../training/testing';

let folder: string;
let core: AppCore;
let spawned: number;

/** A job process that never trains: it exits when told to stop. */
function createIdleWorker(): WorkerProcess {
  spawned += 1;
  let onExit: (code: number | null, signal: string | null) => void = () => {};
  return {
    send: (message) => {
      if ((message as { type: string }).type === 'stop') setTimeout(() => onExit(0, null), 1);
    },
    onMessage: () => {},
    onExit: (listener) => void (onExit = listener),
    kill: () => onExit(null, 'SIGKILL'),
    pid: undefined
  };
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-concurrent-training-'));
  spawned = 0;
  core = createAppCore({
    workspaceFolder: folder,
    logger: { info: () => {}, error: () => {} },
    spawnWorker: createIdleWorker
  });
});

afterEach(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('startTraining at once', () => {
  it('starts one run for two calls made together, and answers the other busy', async () => {
    const { projectId } = await createLesionProject(core, {
      volumes: 2,
      size: 16,
      slices: 8,
      maskedSlicesPerVolume: 1
    });
    const outcomes = await Promise.all([
      core.dispatch('startTraining', { projectId }, { host: 'web' }),
      core.dispatch('startTraining', { projectId }, { host: 'web' })
    ]);
    const started = outcomes.filter((outcome) => outcome.ok);
    const refused = outcomes.filter((outcome) => !outcome.ok);
    expect(started).toHaveLength(1);
    expect(refused).toMatchObject([{ ok: false, error: { code: 'busy' } }]);
    expect(spawned).toBe(1);
    const runs = await core.dispatch('listTrainingRuns', { projectId }, { host: 'web' });
    expect(runs).toMatchObject({ ok: true, result: [{ status: 'running' }] });
    const status = await core.dispatch('getTrainingStatus', {}, { host: 'web' });
    const runId = (started[0] as { result: { runId: string } }).result.runId;
    expect(status).toMatchObject({ ok: true, result: { state: 'training', runId } });
  });
});
