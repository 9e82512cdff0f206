import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isProcessRunning,
  readProcessStartTime,
  reclaimOrphanedJobs,
  runningJobRecordFile,
  writeRunningJobRecord,
  type RunningJobRecord
} from './runningJobRecord';

const linux = existsSync('/proc/self/stat');
const silentLogger = { info: () => {}, error: () => {} };
let folder: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-job-record-'));
});

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

function startIdleProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** The pid of a process that has exited: a host that died. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

function recordFor(
  workerPid: number,
  hostPid: number,
  workerStartTime = readProcessStartTime(workerPid)
): RunningJobRecord {
  return {
    hostPid,
    workerPid,
    workerStartTime,
    label: 'A training job',
    detail: { projectId: 'p', runId: 'r' },
    startedAt: ''
  };
}

describe.runIf(linux)('reclaimOrphanedJobs', () => {
  it('stops a job process whose host died, removes the record and says what the job was', async () => {
    const worker = startIdleProcess();
    const record = recordFor(worker.pid!, await deadPid());
    const file = runningJobRecordFile(folder, record.hostPid);
    await writeRunningJobRecord(folder, record);
    const reclaimed = await reclaimOrphanedJobs(folder, silentLogger);
    expect(reclaimed.map((entry) => entry.detail)).toEqual([{ projectId: 'p', runId: 'r' }]);
    expect(isProcessRunning(worker.pid!)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('leaves a job alone while its host runs (another instance of the app)', async () => {
    const worker = startIdleProcess();
    const file = runningJobRecordFile(folder, process.pid);
    await writeRunningJobRecord(folder, recordFor(worker.pid!, process.pid));
    expect(await reclaimOrphanedJobs(folder, silentLogger)).toEqual([]);
    expect(isProcessRunning(worker.pid!)).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it('never kills a process that only has the same pid (its start time differs)', async () => {
    const other = startIdleProcess();
    const record = recordFor(other.pid!, await deadPid(), '1');
    const file = runningJobRecordFile(folder, record.hostPid);
    await writeRunningJobRecord(folder, record);
    expect(await reclaimOrphanedJobs(folder, silentLogger)).toMatchObject([{ workerPid: other.pid }]);
    expect(isProcessRunning(other.pid!)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });
});
