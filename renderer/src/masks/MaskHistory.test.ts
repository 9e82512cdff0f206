import { describe, expect, it } from 'vitest';
import { MaskHistory, type SliceEdit } from './MaskHistory';

function edit(sliceIndex: number, size = 4): SliceEdit {
  return { sliceIndex, before: new Uint8Array(size), after: new Uint8Array(size).fill(1) };
}

describe('MaskHistory', () => {
  it('undoes and redoes steps in order; a new step clears redo', () => {
    const history = new MaskHistory();
    history.record([edit(1)]);
    history.record([edit(2), edit(3)]);
    expect(history.undo()?.map((e) => e.sliceIndex)).toEqual([2, 3]);
    expect(history.redo()?.map((e) => e.sliceIndex)).toEqual([2, 3]);
    history.undo();
    history.record([edit(5)]);
    expect(history.canRedo).toBe(false);
    expect(history.undoCount).toBe(2);
  });

  it('keeps at least 50 steps and drops the oldest beyond its limits', () => {
    const history = new MaskHistory({ maxSteps: 60, maxBytes: 1_000_000 });
    for (let step = 0; step < 80; step++) history.record([edit(step)]);
    expect(history.undoCount).toBe(60);
    const small = new MaskHistory({ maxSteps: 100, maxBytes: 800 });
    for (let step = 0; step < 80; step++) small.record([edit(step, 100)]);
    expect(small.byteSize).toBeLessThanOrEqual(800);
    expect(small.undoCount).toBe(4);
  });
});
