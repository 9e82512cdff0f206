import { describe, expect, it } from 'vitest';
import { JobSlot } from './JobSlot';
import type { WorkerProcess } from './WorkerProcess';

/** A process double that records what it was sent and lets the test say when it talks or exits. */
function createFakeWorkers() {
  const workers: (WorkerProcess & { sent: unknown[]; emit(message: unknown): void; exit(code: number): void })[] = [];
  const spawn = () => {
    let onMessage: (message: unknown) => void = () => {};
    let onExit: (code: number | null, signal: string | null) => void = () => {};
    const worker = {
      sent: [] as unknown[],
      send: (message: unknown) => void worker.sent.push(message),
      onMessage: (listener: typeof onMessage) => void (onMessage = listener),
      onExit: (listener: typeof onExit) => void (onExit = listener),
      kill: () => {},
      pid: 1234,
      emit: (message: unknown) => onMessage(message),
      exit: (code: number) => onExit(code, null)
    };
    workers.push(worker);
    return worker;
  };
  return { workers, spawn };
}

const silentLogger = { info: () => {}, error: () => {} };

describe('JobSlot', () => {
  it('lets one of two requests made at once claim the slot, before either has awaited anything', async () => {
    const { spawn } = createFakeWorkers();
    const slot = new JobSlot<{ state: string }>(spawn, silentLogger);
    const outcomes = await Promise.allSettled(
      [1, 2].map(async () => {
        const claim = slot.claim('A training job', { state: 'training' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        claim.start({ kind: 'train' }, { onMessage: async () => {}, onExit: async () => {} });
      })
    );
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'busy', message: expect.stringMatching(/A training job is already running/) });
  });

  it('frees the slot when a claim is released before its process starts', () => {
    const { spawn, workers } = createFakeWorkers();
    const slot = new JobSlot(spawn, silentLogger);
    slot.claim('A proposal job', {}).release();
    expect(slot.current).toBeUndefined();
    expect(workers).toHaveLength(0);
    expect(() => slot.claim('A training job', {})).not.toThrow();
  });

  it('handles messages in order, then the exit, and only then reports idle', async () => {
    const { spawn, workers } = createFakeWorkers();
    const slot = new JobSlot(spawn, silentLogger);
    const seen: string[] = [];
    const claim = slot.claim('A training job', {});
    claim.start(
      { kind: 'train' },
      {
        onMessage: async (message: { type: string }) => {
          await new Promise((resolve) => setTimeout(resolve, 10));
          seen.push(message.type);
        },
        onExit: async () => void seen.push('exit'),
        onStopRequested: () => void seen.push('stop requested')
      }
    );
    const [worker] = workers;
    expect(worker!.sent).toEqual([{ type: 'run', request: { kind: 'train' } }]);
    expect(slot.stop()).toBe(true);
    expect(worker!.sent.at(-1)).toEqual({ type: 'stop' });
    let idle = false;
    const whenIdle = slot.whenIdle().then(() => (idle = true));
    worker!.emit({ type: 'progress' });
    worker!.emit({ type: 'trained' });
    worker!.exit(0);
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(idle).toBe(false);
    await whenIdle;
    expect(seen).toEqual(['stop requested', 'progress', 'trained', 'exit']);
    expect(slot.current).toBeUndefined();
    expect(slot.stop()).toBe(false);
  });
});
