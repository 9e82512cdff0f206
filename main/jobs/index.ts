/**
 * Public face of the jobs domain: a generic runner for work that must not run on the app's event loop. One job at a
 * time, each in its own process, with typed messages both ways, stop, and an end that is always reported.
 */
export { JobSlot, type JobClaim, type JobHandlers, type RunningJob } from './JobSlot';
export { createNodeWorkerSpawner, type SpawnWorker, type WorkerProcess } from './WorkerProcess';
export { isProcessRunning, type RunningJobRecord } from './runningJobRecord';
export { runJobProcess, orphanGraceMilliseconds, type RunJob } from './runJobProcess';
export type { JobHooks, JobProcessMessage, ParentMessage } from './jobProtocol';
