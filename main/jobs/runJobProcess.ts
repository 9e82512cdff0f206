/**
 * The child side of a job process (Electron's utilityProcess in the desktop app, child_process.fork under plain Node).
 * One job per process: it waits for a `run` message, runs it, reports through typed messages, and exits. A `stop`
 * message ends the job at its next safe point; so does the parent going away (IPC disconnect), so that a job never
 * outlives the app that started it.
 */
import type { JobHooks, JobProcessMessage, ParentMessage } from './jobProtocol';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export type RunJob<Request, Message> = (request: Request, hooks: JobHooks<Message | JobProcessMessage>) => Promise<void>;

/** How long a job may take to wind down (final checkpoint) once its parent has gone, before the process exits. */
export const orphanGraceMilliseconds = 10_000;

export function runJobProcess<Request, Message>(runJob: RunJob<Request, Message>): void {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  const inFlight = new Set<Promise<void>>();
  let stopRequested = false;
  let refreshRequested = false;
  let started = false;

  /** Sends a message; under fork the promise settles once Node has handed it to the IPC channel. */
  const send = (message: Message | JobProcessMessage): void => {
    if (parentPort) {
      parentPort.postMessage(message);
      return;
    }
    if (!process.connected) return;
    const sent = new Promise<void>((resolve) => {
      if (!process.send?.(message, undefined, undefined, () => resolve())) resolve();
    });
    inFlight.add(sent);
    void sent.then(() => inFlight.delete(sent));
  };

  const onMessage = (message: ParentMessage<Request>) => {
    if (message.type === 'stop') {
      stopRequested = true;
      return;
    }
    if (message.type === 'refresh') {
      refreshRequested = true;
      return;
    }
    if (started) return;
    started = true;
    const takeRefreshRequest = () => {
      const asked = refreshRequested;
      refreshRequested = false;
      return asked;
    };
    runJob(message.request, { send, stopRequested: () => stopRequested, takeRefreshRequest })
      .catch((error: unknown) => {
        const text = error instanceof Error ? error.message : String(error);
        send({ type: 'log', line: error instanceof Error ? (error.stack ?? text) : text });
        send({ type: 'failed', code: 'internal', message: `The job stopped because of an error inside its process: ${text}` });
      })
      .finally(async () => {
        // Let every queued message (proposals can be megabytes) reach the parent, then leave even if a backend keeps
        // handles open.
        await Promise.all([...inFlight]);
        if (process.connected) process.disconnect?.();
        setTimeout(() => process.exit(0), 2000).unref();
      });
  };

  if (parentPort) {
    parentPort.on('message', (event) => onMessage(event.data as ParentMessage<Request>));
    return;
  }
  process.on('message', (message) => onMessage(message as ParentMessage<Request>));
  // The parent died or closed the channel: stop at the next step, then leave even if the job does not notice.
  process.on('disconnect', () => {
    stopRequested = true;
    setTimeout(() => process.exit(0), started ? orphanGraceMilliseconds : 0).unref();
  });
}
