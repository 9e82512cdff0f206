import { ApiError } from '../contract';
import type { Logger } from '../common';
import type { ParentMessage } from './jobProtocol';
import {
  readProcessStartTime,
  reclaimOrphanedJobs,
  removeRunningJobRecord,
  writeRunningJobRecord,
  type RunningJobRecord
} from './runningJobRecord';
import type { SpawnWorker, WorkerProcess } from './WorkerProcess';

/** What the owner of a job does with its process's messages and its end; each runs after the previous one settled. */
export interface JobHandlers<Message> {
  onMessage(message: Message): Promise<void>;
  onExit(code: number | null, signal: string | null): Promise<void>;
  /** Called when the user asks the job to stop, before the process is told. */
  onStopRequested?(): void;
}

export interface RunningJob<Status> {
  readonly label: string;
  readonly status: Status;
  readonly worker: WorkerProcess | undefined;
}

/**
 * One job at a time, each in its own process. A job claims the slot synchronously, before any awaited work, so two
 * requests at once cannot both start; it is released when its process has exited and its last message was handled.
 */
export class JobSlot<Status> {
  private active:
    (RunningJob<Status> & { worker: WorkerProcess | undefined; handlers?: JobHandlers<unknown> }) | undefined;
  private queue: Promise<void> = Promise.resolve();
  private idleWaiters: (() => void)[] = [];
  /** Writes and removals of the running job's record, in order. */
  private recordWrites: Promise<void> = Promise.resolve();

  /** `recordFolder`: where running jobs are recorded, so that the next launch finds a job whose host died. */
  constructor(
    private readonly spawnWorker: SpawnWorker,
    private readonly logger: Logger,
    private readonly recordFolder?: string
  ) {}

  /**
   * At launch: finds the jobs that hosts which died left running, stops their processes if they still run, and
   * returns their records (what each job was for) so their owners can mark them interrupted.
   */
  async reclaimOrphanedJobs(): Promise<RunningJobRecord[]> {
    if (!this.recordFolder) return [];
    await this.recordWrites;
    return reclaimOrphanedJobs(this.recordFolder, this.logger);
  }

  get current(): RunningJob<Status> | undefined {
    return this.active;
  }

  /**
   * Takes the slot for a job (`label` says what it is, e.g. "A training job") or throws `busy`. Call `release` if
   * the job cannot start after all, or `start` to run its process.
   */
  claim(label: string, status: Status): JobClaim<Status> {
    if (this.active) {
      throw new ApiError(
        'busy',
        `${this.active.label} is already running. Stop it or wait until it finishes; one job runs at a time.`
      );
    }
    const job: RunningJob<Status> & { worker: WorkerProcess | undefined; handlers?: JobHandlers<unknown> } = {
      label,
      status,
      worker: undefined
    };
    this.active = job;
    return {
      status,
      release: () => {
        if (this.active === job && !job.worker) this.free();
      },
      start: <Request, Message>(
        request: Request,
        handlers: JobHandlers<Message>,
        detail: Record<string, string> = {}
      ) => {
        if (this.active !== job || job.worker) throw new Error('A job claim starts once, while it holds the slot.');
        const worker = this.spawnWorker();
        job.worker = worker;
        job.handlers = handlers as JobHandlers<unknown>;
        // Some hosts know the pid only once the process runs: record the job at its first message if not now.
        const record = this.recordOnce(worker, label, detail);
        record();
        worker.onMessage((message) => {
          record();
          this.enqueue(() => handlers.onMessage(message as Message), 'job message');
        });
        worker.onExit((code, signal) =>
          this.enqueue(async () => {
            this.changeRecord(() => removeRunningJobRecord(this.recordFolder!));
            if (this.active === job) this.active = undefined;
            await handlers.onExit(code, signal);
            if (!this.active) this.free();
          }, 'job exit')
        );
        const run: ParentMessage<Request> = { type: 'run', request };
        worker.send(run);
      }
    };
  }

  /** Asks the running job to stop at its next safe point; false when nothing runs. */
  stop(): boolean {
    const job = this.active;
    if (!job?.worker) return false;
    job.handlers?.onStopRequested?.();
    const stop: ParentMessage<never> = { type: 'stop' };
    job.worker.send(stop);
    return true;
  }

  /** Tells the running job that the data it reads has changed; false when nothing runs. */
  notifyDataChanged(): boolean {
    const job = this.active;
    if (!job?.worker) return false;
    const refresh: ParentMessage<never> = { type: 'refresh' };
    job.worker.send(refresh);
    return true;
  }

  /** Resolves once no job runs and every message of the last one has been handled (and its record removed). */
  async whenIdle(): Promise<void> {
    if (this.active) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.queue;
    await this.recordWrites;
  }

  private recordOnce(worker: WorkerProcess, label: string, detail: Record<string, string>): () => void {
    let recorded = false;
    return () => {
      const workerPid = worker.pid;
      if (recorded || workerPid === undefined || !this.recordFolder) return;
      recorded = true;
      const record: RunningJobRecord = {
        hostPid: process.pid,
        workerPid,
        workerStartTime: readProcessStartTime(workerPid),
        label,
        detail,
        startedAt: new Date().toISOString()
      };
      this.changeRecord(() => writeRunningJobRecord(this.recordFolder!, record));
    };
  }

  private changeRecord(change: () => Promise<void>): void {
    if (!this.recordFolder) return;
    this.recordWrites = this.recordWrites
      .then(change)
      .catch((error: unknown) => this.logger.error('recording the running job failed', error));
  }

  private enqueue(task: () => Promise<void>, what: string): void {
    this.queue = this.queue.then(task).catch((error: unknown) => this.logger.error(`${what} failed`, error));
  }

  private free(): void {
    this.active = undefined;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

export interface JobClaim<Status> {
  readonly status: Status;
  release(): void;
  /** `detail` says what the job is for (project id, run id) in the running job's record. */
  start<Request, Message>(request: Request, handlers: JobHandlers<Message>, detail?: Record<string, string>): void;
}
