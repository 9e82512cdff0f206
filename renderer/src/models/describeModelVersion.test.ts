import { describe, expect, it } from 'vitest';
import type { ModelVersionSummary } from '../../../main/contract/types';
import { describeBackend, describeDataUsed, describeDuration, describeMeasured, describeScoreBriefly, modelName } from './describeModelVersion';

const evaluation = (overrides: Partial<ModelVersionSummary['evaluation']>): Pick<ModelVersionSummary, 'evaluation'> => ({
  evaluation: { dice: null, auroc: null, heldOutLabelledSlices: 0, heldOutPresentSlices: 0, heldOutAbsentSlices: 0, ...overrides }
});

describe('describeModelVersion', () => {
  it('shows a score only when held-out data measured it', () => {
    // What the old card said as "AUROC 0.58 (0 slices)" and "Dice —": nothing was measured.
    expect(describeMeasured(evaluation({ auroc: 0.58 }))).toBeNull();
    expect(describeScoreBriefly(evaluation({ auroc: 0.58 }))).toBe('accuracy not measured');
    expect(describeMeasured(evaluation({ dice: 0.714, heldOutLabelledSlices: 3, auroc: 0.8, heldOutPresentSlices: 4, heldOutAbsentSlices: 6 }))).toBe(
      'Measured: outline overlap (Dice) 0.71 on 3 held-out drawn slices; tells tumour slices apart (AUROC) 0.80 on 10 held-out slices.'
    );
    expect(describeScoreBriefly(evaluation({ auroc: 0.9, heldOutPresentSlices: 1, heldOutAbsentSlices: 1 }))).toBe('held-out AUROC 0.90');
  });

  it('names the version, its data and its training time in words', () => {
    expect(modelName({ number: 3, name: null })).toBe('Model 3');
    expect([describeBackend('wasm'), describeBackend('webgpu'), describeBackend('NVIDIA RTX 4070, WebGPU')]).toEqual(['the CPU', 'the GPU', 'NVIDIA RTX 4070, WebGPU']);
    expect(modelName({ number: 3, name: 'April cohort' })).toBe('Model 3 · April cohort');
    expect(describeDataUsed({ volumes: 3, presentSlices: 10, absentSlices: 20, labelledSlices: 2, validationPresentSlices: 1, validationLabelledSlices: 1 })).toBe(
      '3 scans, 31 tagged slices, 3 with a drawn mask'
    );
    expect(describeDataUsed({ volumes: 1 })).toBe('1 scan, 0 tagged slices, 0 with a drawn mask');
    expect([describeDuration(0.2), describeDuration(59), describeDuration(750), describeDuration(3900)]).toEqual(['1 s', '59 s', '13 min', '1 h 5 min']);
  });
});
