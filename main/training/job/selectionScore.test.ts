import { describe, expect, it } from 'vitest';
import type { PreparedSlice, SliceDomains } from '../data';
import { beatsSelection, scorePredictions, selectionAbsentSlices, selectionScoreFloor, selectionSlicesOf } from './evaluateModel';

const side = 16;
const pixels = side * side;

function slice(index: number, mask: Float32Array | null): PreparedSlice {
  return { volumeId: 'v', sliceIndex: index, image: new Float32Array(pixels), mask };
}

/** A lesion of `area` pixels at the start of the slice. */
function lesion(area: number): Float32Array {
  return new Float32Array(pixels).fill(1, 0, area);
}

/** One held-out masked slice among 10 tumour slices, and 200 slices tagged absent: the demo's held-out set in small. */
const masked = slice(0, lesion(20));
const validation: SliceDomains = {
  labelled: [masked],
  present: [masked, ...Array.from({ length: 9 }, (_, i) => slice(i + 1, null))],
  absent: Array.from({ length: 200 }, (_, i) => slice(100 + i, null))
};
const slices = selectionSlicesOf(validation)!;

/** Predictions for the selection's slices: `onMasked` on the masked slice, `onAbsent` on each sampled absent one. */
function predictions(onMasked: Float32Array, onAbsent: Float32Array): Float32Array[] {
  return [onMasked, ...slices.absent.map(() => onAbsent)];
}

describe('choosing the weights a model version keeps', () => {
  it('samples the absent slices, spread, and weights them to stand for all', () => {
    expect(slices.absent).toHaveLength(selectionAbsentSlices);
    expect(slices.absent[0]!.sliceIndex).toBe(100);
    expect(slices.absent.at(-1)!.sliceIndex).toBeGreaterThan(290);
    expect(slices.labelledWeight).toBe(10);
    expect(slices.absentWeight).toBe(200 / selectionAbsentSlices);
    expect(selectionSlicesOf({ ...validation, labelled: [] })).toBeNull();
  });

  it('scores a model that paints every pixel near 0, though its Dice on the masked slice is not 0', () => {
    const everywhere = new Float32Array(pixels).fill(0.9);
    const result = scorePredictions(predictions(everywhere, everywhere), slices);
    expect(result.dice).toBeCloseTo((2 * 20) / (20 + pixels), 6);
    expect(result.score).toBeLessThan(0.01);
  });

  it('prefers a model that finds half the lesion and stays off healthy slices to one that paints them', () => {
    const half = lesion(10);
    const quiet = scorePredictions(predictions(half, new Float32Array(pixels)), slices);
    // A perfect masked slice, and 3 false pixels on every absent slice: 600 false pixels for the held-out scans.
    const noisy = scorePredictions(predictions(lesion(20), lesion(3)), slices);
    expect(noisy.dice).toBe(1);
    expect(quiet.dice).toBeCloseTo(2 / 3, 6);
    expect(quiet.score).toBeCloseTo(2 / 3, 6);
    // 2·200 / (400 + 600·(200/200)): the absent slices' false pixels count as the held-out scans' would.
    expect(noisy.score).toBeCloseTo((2 * 200) / (400 + 3 * 200), 6);
    expect(quiet.score).toBeGreaterThan(noisy.score);
  });

  it('keeps the newest weights while none has found the tumour, never the painter of every pixel', () => {
    const everywhere = new Float32Array(pixels).fill(0.9);
    const painter = scorePredictions(predictions(everywhere, everywhere), slices).score;
    const silent = scorePredictions(predictions(new Float32Array(pixels), new Float32Array(pixels)), slices).score;
    expect(painter).toBeGreaterThan(silent);
    expect(painter).toBeLessThan(selectionScoreFloor);
    // Step 14 paints everything, step 21 predicts nothing: the later one is kept; a real find then replaces it.
    expect(beatsSelection(painter, null)).toBe(true);
    expect(beatsSelection(silent, painter)).toBe(true);
    expect(beatsSelection(0.3, silent)).toBe(true);
    expect(beatsSelection(painter, 0.3)).toBe(false);
    expect(beatsSelection(0.29, 0.3)).toBe(false);
  });

  it('equals the masked slices\' Dice when nothing is held out as absent', () => {
    const alone = selectionSlicesOf({ ...validation, absent: [] })!;
    const result = scorePredictions([lesion(10)], alone);
    expect(result.score).toBeCloseTo(result.dice, 9);
  });
});
