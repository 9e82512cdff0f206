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

  it('counts slices as unsaved while they wait and while their save is under way, not once main has them', async () => {
    let answer: () => void = () => undefined;
    const queue = new MaskSaveQueue(
      (_key, _slices) =>
        new Promise<void>((resolve) => {
          answer = resolve;
        }),
      10_000
    );
    queue.enqueue('p/v', [slice(2, 1)]);
    queue.enqueue('p/w', [slice(5, 1)]);
    expect([...queue.unsavedSlices('p/v')]).toEqual([2]);
    const saving = queue.flush();
    queue.enqueue('p/v', [slice(3, 1)]);
    await Promise.resolve();
    expect([...queue.unsavedSlices('p/v')].sort()).toEqual([2, 3]);
    answer();
    await new Promise((resolve) => setTimeout(resolve, 0));
    answer();
    await saving;
    expect([...queue.unsavedSlices('p/v')]).toEqual([3]);
    expect([...queue.unsavedSlices('p/w')]).toEqual([]);
    queue.dispose();
  });
});
