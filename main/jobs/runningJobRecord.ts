/**
 * Running jobs' records (`jobs/<host pid>.json` in the workspace, one per app process): which process runs the job,
 * for which host, and for what (project, run). Written when the job's process starts and removed when it exits, so a
 * record found at the next launch whose host is gone means that host died with a job running. That launch stops the
 * job's process if it still runs (it should have stopped by itself when its parent went: runJobProcess) and tells the
 * job's owner what was interrupted.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically, type Logger } from '../common';

export interface RunningJobRecord {
  hostPid: number;
  workerPid: number;
  /** The worker's start time as the kernel counts it (Linux), so a pid reused by another program is never killed. */
  workerStartTime: string | null;
  label: string;
  /** What the job was for, as its owner described it (project id, run id). */
  detail: Record<string, string>;
  startedAt: string;
}

/** This host's record in `folder`. */
export function runningJobRecordFile(folder: string, hostPid = process.pid): string {
  return join(folder, `${hostPid}.json`);
}

export async function writeRunningJobRecord(folder: string, record: RunningJobRecord): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFileAtomically(
    runningJobRecordFile(folder, record.hostPid),
    new TextEncoder().encode(JSON.stringify(record, null, 2))
  );
}

export async function removeRunningJobRecord(folder: string, hostPid = process.pid): Promise<void> {
  await rm(runningJobRecordFile(folder, hostPid), { force: true });
}

/** The kernel's start time of a process (field 22 of /proc/PID/stat); null where there is no /proc or no process. */
export function readProcessStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** True while the process exists and has not exited (a zombie whose parent has not reaped it counts as gone). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function readRecord(file: string): Promise<RunningJobRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as Partial<RunningJobRecord>;
    if (!Number.isInteger(record.hostPid) || !Number.isInteger(record.workerPid)) return undefined;
    return { detail: {}, label: 'A job', workerStartTime: null, startedAt: '', ...record } as RunningJobRecord;
  } catch {
    return undefined;
  }
}

async function waitUntilGone(pid: number, milliseconds: number): Promise<boolean> {
  const deadline = Date.now() + milliseconds;
  while (isProcessRunning(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !isProcessRunning(pid);
}

/**
 * At launch: a record whose host is gone belongs to a job that was running when that app died. Stops each such job's
 * process if it still runs (and is still the same process), removes the records and returns them. Records of hosts
 * that still run (another instance of the app) are left alone.
 */
export async function reclaimOrphanedJobs(folder: string, logger: Logger): Promise<RunningJobRecord[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const reclaimed: RunningJobRecord[] = [];
  for (const name of names.filter((candidate) => /^\d+\.json$/.test(candidate))) {
    const file = join(folder, name);
    const record = await readRecord(file);
    if (record && isProcessRunning(record.hostPid)) continue;
    if (record) await stopOrphan(record, logger);
    await rm(file, { force: true });
    if (record) reclaimed.push(record);
  }
  return reclaimed;
}

async function stopOrphan(record: RunningJobRecord, logger: Logger): Promise<void> {
  const { workerPid } = record;
  if (isProcessRunning(workerPid)) {
    const startTime = readProcessStartTime(workerPid);
    if (startTime !== null && startTime === record.workerStartTime) {
      logger.info(`stopping a job process left running by an app that ended (pid ${workerPid})`);
      process.kill(workerPid, 'SIGTERM');
      if (!(await waitUntilGone(workerPid, 3000))) {
        process.kill(workerPid, 'SIGKILL');
        await waitUntilGone(workerPid, 3000);
      }
    } else if (startTime === null) {
      logger.info(`a job process of an app that ended may still run (pid ${workerPid}); it stops when it notices`);
    }
  }
}
