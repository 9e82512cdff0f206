import { describe, expect, it } from 'vitest';
import { SequenceWindows, companionFor, sequenceLabel, sequenceToOpen, stepSequence } from './sequenceSwitching';

const sequence = (id: string, name: string | null, guessedName = name ?? 'T1') => ({ id, name, guessedName, windowCenter: 100, windowWidth: 200 });
const brain = [sequence('vol', null, 'T1'), sequence('s2', 'T1c'), sequence('s3', 'T2'), sequence('s4', 'FLAIR')];

describe('switching the sequences of a case', () => {
  it('names a sequence by its confirmed name, else by the guess', () => {
    expect(sequenceLabel(brain[0]!)).toBe('T1');
    expect(sequenceLabel({ name: 'Post', guessedName: 'T1c' })).toBe('Post');
  });

  it('steps forwards and backwards in the case order, round at the ends', () => {
    expect(stepSequence(brain, 'vol', 1)?.id).toBe('s2');
    expect(stepSequence(brain, 's4', 1)?.id).toBe('vol');
    expect(stepSequence(brain, 'vol', -1)?.id).toBe('s4');
    expect(stepSequence(brain, 's3', -1)?.id).toBe('s2');
    expect(stepSequence(brain, 'unknown', 1)?.id).toBe('s2');
    expect(stepSequence([], 'vol', 1)).toBeUndefined();
  });

  it('opens a case on the sequence read last (by name, any case), else on its reference', () => {
    expect(sequenceToOpen(brain, 'flair')?.id).toBe('s4');
    expect(sequenceToOpen(brain, 'DWI')?.id).toBe('vol');
    expect(sequenceToOpen(brain, null)?.id).toBe('vol');
  });

  it('puts beside the shown sequence the one last shown there, never the same one twice', () => {
    expect(companionFor(brain, 'vol', 'FLAIR')?.id).toBe('s4');
    expect(companionFor(brain, 's4', 'FLAIR')?.id).toBe('vol');
    expect(companionFor(brain, 's2', null)?.id).toBe('s3');
    expect(companionFor(brain, 's2', 'ADC')?.id).toBe('s3');
    expect(companionFor([brain[0]!], 'vol', null)).toBeUndefined();
  });

  it('remembers the window per sequence of each case, and starts from the stored one', () => {
    const windows = new SequenceWindows();
    expect(windows.windowFor('case1', brain[3]!)).toEqual({ center: 100, width: 200 });
    windows.remember('case1', 's4', { center: 40, width: 80 });
    windows.remember('case1', 'vol', { center: 500, width: 900 });
    expect(windows.windowFor('case1', brain[3]!)).toEqual({ center: 40, width: 80 });
    expect(windows.windowFor('case1', brain[0]!)).toEqual({ center: 500, width: 900 });
    expect(windows.windowFor('case2', brain[3]!)).toEqual({ center: 100, width: 200 });
    expect(windows.has('case1', 's4')).toBe(true);
    expect(windows.has('case2', 's4')).toBe(false);
    windows.remember('case1', 's4', { center: 1, width: 0 });
    expect(windows.windowFor('case1', brain[3]!)).toEqual({ center: 40, width: 80 });
  });
});
