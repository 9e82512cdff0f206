import { describe, expect, it } from 'vitest';
import { MaskSaveQueue } from './MaskSaveQueue';

function slice(sliceIndex: number, value: number) {
  return { sliceIndex, labels: new Uint8Array(4).fill(value) };
}

describe('MaskSaveQueue', () => {
  it('sends only the changed slices, the newest labels of each, in one call', async () => {
    const calls: { volumeId: string; slices: { sliceIndex: number; labels: Uint8Array }[] }[] = [];
    const queue = new MaskSaveQueue(async (volumeId, slices) => {
      calls.push({ volumeId, slices });
    }, 10_000);
    queue.enqueue('p/v', [slice(3, 1), slice(4, 1)]);
    queue.enqueue('p/v', [slice(3, 2)]);
    await queue.flush();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.slices.map((entry) => [entry.sliceIndex, entry.labels[0]])).toEqual([
      [3, 2],
      [4, 1]
    ]);
    queue.dispose();
  });

  it('keeps slices whose save failed for the next save, and says so', async () => {
    let fail = true;
    const saved: number[] = [];
    const states: string[] = [];
    const queue = new MaskSaveQueue(async (_volumeId, slices) => {
      if (fail) throw new Error('disk full');
      saved.push(...slices.map((entry) => entry.sliceIndex));
    }, 10_000);
    queue.onDidChangeState(({ state }) => states.push(state));
    queue.enqueue('p/v', [slice(1, 1)]);
    await queue.flush();
    expect(states).toContain('error');
    fail = false;
    await queue.flush();
    expect(saved).toEqual([1]);
    expect(states[states.length - 1]).toBe('saved');
    queue.dispose();
  });
});
