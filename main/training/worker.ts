/**
 * Entry of the training process (Electron's utilityProcess in the desktop app, child_process.fork under plain Node).
 * One job per process: it waits for a `run` message, runs it, reports through typed messages, and exits. A `stop`
 * message ends training at the next step with a final checkpoint and the best model so far.
 */
import type { ParentMessage, WorkerMessage } from './job/jobTypes';
import { runProposalJob } from './job/runProposalJob';
import { runTrainingJob } from './job/runTrainingJob';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const inFlight = new Set<Promise<void>>();
/** Sends a message; under fork the promise settles once Node has handed it to the IPC channel. */
const send = (message: WorkerMessage): void => {
  if (parentPort) {
    parentPort.postMessage(message);
    return;
  }
  const sent = new Promise<void>((resolve) => {
    if (!process.send?.(message, undefined, undefined, () => resolve())) resolve();
  });
  inFlight.add(sent);
  void sent.then(() => inFlight.delete(sent));
};
let stopRequested = false;
let started = false;

const onMessage = (message: ParentMessage) => {
  if (message.type === 'stop') {
    stopRequested = true;
    return;
  }
  if (started) return;
  started = true;
  const hooks = { send, stopRequested: () => stopRequested };
  const job = message.request.kind === 'train' ? runTrainingJob(message.request, hooks) : runProposalJob(message.request, hooks);
  job
    .catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      send({ type: 'log', line: error instanceof Error ? (error.stack ?? text) : text });
      send({ type: 'failed', code: 'internal', message: `Training stopped because of an error inside the training process: ${text}` });
    })
    .finally(async () => {
      // Let every queued message (proposals can be megabytes) reach the parent, then leave even if a backend keeps
      // handles open.
      await Promise.all([...inFlight]);
      process.disconnect?.();
      setTimeout(() => process.exit(0), 2000).unref();
    });
};

if (parentPort) parentPort.on('message', (event) => onMessage(event.data as ParentMessage));
else process.on('message', (message) => onMessage(message as ParentMessage));
