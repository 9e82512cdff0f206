import { runProposalJob } from '../../inference';
import type { SpawnWorker, WorkerProcess } from '../../jobs';
import { runTrainingJob } from '../job/runTrainingJob';
import type { JobRequest, WorkerMessage } from '../job/jobTypes';

/**
 * Runs the job slot's jobs in the test's own process instead of a child (the real training and proposal loops, not a
 * double); messages are cloned as they would be between processes.
 */
export const inProcessJobs: SpawnWorker = (): WorkerProcess => {
  const messageListeners: ((message: unknown) => void)[] = [];
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  let stopRequested = false;
  let started = false;
  return {
    send(message) {
      const parent = message as { type: 'run'; request: JobRequest } | { type: 'stop' };
      if (parent.type === 'stop') stopRequested = true;
      if (parent.type !== 'run' || started) return;
      started = true;
      const hooks = {
        send: (sent: WorkerMessage) => messageListeners.forEach((listener) => listener(structuredClone(sent))),
        stopRequested: () => stopRequested,
        takeRefreshRequest: () => false
      };
      const job = parent.request.kind === 'train' ? runTrainingJob(parent.request, hooks) : runProposalJob(parent.request, hooks);
      void job
        .catch((error: unknown) => hooks.send({ type: 'failed', code: 'internal', message: String(error) }))
        .finally(() => exitListeners.forEach((listener) => listener(0, null)));
    },
    onMessage: (listener) => messageListeners.push(listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => {
      stopRequested = true;
    },
    pid: undefined
  };
};
