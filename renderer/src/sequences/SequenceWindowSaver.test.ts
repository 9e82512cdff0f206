import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SequenceWindowSaver, type SequenceWindowTarget } from './SequenceWindowSaver';

const flair = { projectId: 'p', volumeId: 'case', sequenceId: 'flair' };
const t1 = { ...flair, sequenceId: 't1' };

describe('saving each sequence’s window in the project', () => {
  let saved: [SequenceWindowTarget, { center: number; width: number }][];
  let fail: boolean;
  let saver: SequenceWindowSaver;
  beforeEach(() => {
    vi.useFakeTimers();
    saved = [];
    fail = false;
    saver = new SequenceWindowSaver(400, async (target, window) => {
      if (fail) throw new Error('offline');
      saved.push([target, window]);
    });
  });
  afterEach(() => vi.useRealTimers());

  it('sends the last window of a drag once, after the user lets go, per sequence', async () => {
    saver.know(flair, { center: 100, width: 200 });
    for (let step = 1; step <= 10; step += 1) {
      saver.request(flair, { center: 100 + step, width: 200 - step });
      await vi.advanceTimersByTimeAsync(100);
    }
    saver.request(t1, { center: 50, width: 60 });
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(400);
    expect(saved).toEqual([
      [flair, { center: 110, width: 190 }],
      [t1, { center: 50, width: 60 }]
    ]);
  });

  it('sends nothing for the window main already has (a case opening with its stored window), nor for no window', async () => {
    saver.knowCase('p', 'case', [{ id: 'flair', windowCenter: 100, windowWidth: 200 }]);
    saver.request(flair, { center: 100 + 1e-7, width: 200 });
    saver.request(t1, { center: 1, width: 0 });
    saver.request(t1, { center: Number.NaN, width: 10 });
    // Dragged away and back before the delay: main still has it.
    saver.request(flair, { center: 120, width: 200 });
    saver.request(flair, { center: 100, width: 200 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual([]);
    // Saved once: the same window again is not sent again.
    saver.request(flair, { center: 130, width: 90 });
    await vi.advanceTimersByTimeAsync(400);
    saver.request(flair, { center: 130, width: 90 });
    await vi.advanceTimersByTimeAsync(400);
    expect(saved).toHaveLength(1);
  });

  it('tries again with the next change when a save failed, and sends what waits when the page is left', async () => {
    saver.know(flair, { center: 100, width: 200 });
    fail = true;
    saver.request(flair, { center: 130, width: 90 });
    await vi.advanceTimersByTimeAsync(400);
    fail = false;
    saver.request(flair, { center: 130, width: 90 });
    expect(saver.waiting).toBe(1);
    saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual([[flair, { center: 130, width: 90 }]]);
    expect(saver.waiting).toBe(0);
  });
});
