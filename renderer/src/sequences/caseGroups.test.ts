import { describe, expect, it } from 'vitest';
import { confirmedCases, describeCaseProblem, initialChoice } from './caseGroups';

const group = {
  patientName: 'Doe^Jane',
  patientId: 'P1',
  studyDescription: 'MR brain',
  seriesIds: ['s-t1', 's-t2', 's-flair'],
  guessedNames: ['T1', 'T2', 'FLAIR']
};
const other = { ...group, patientId: 'P2', seriesIds: ['p2-a', 'p2-b'], guessedNames: ['T1c', 'DWI'] };

describe('confirming the cases a DICOM scan offers', () => {
  it('offers each group as one case, main’s first series as reference, with the guessed names', () => {
    expect(initialChoice(group)).toEqual({ asOneCase: true, referenceId: 's-t1', names: { 's-t1': 'T1', 's-t2': 'T2', 's-flair': 'FLAIR' } });
    const all = ['s-t1', 's-t2', 's-flair', 'p2-a', 'p2-b'];
    expect(confirmedCases([group, other], [initialChoice(group), initialChoice(other)], all)).toEqual([
      { seriesIds: ['s-t1', 's-t2', 's-flair'], names: ['T1', 'T2', 'FLAIR'] },
      { seriesIds: ['p2-a', 'p2-b'], names: ['T1c', 'DWI'] }
    ]);
  });

  it('puts the chosen reference first, keeps only ticked series, takes edited names trimmed', () => {
    const choice = { ...initialChoice(group), referenceId: 's-flair', names: { 's-t1': 'T1', 's-t2': ' T2w ', 's-flair': 'FLAIR' } };
    expect(confirmedCases([group], [choice], ['s-t1', 's-t2', 's-flair'])).toEqual([
      { seriesIds: ['s-flair', 's-t1', 's-t2'], names: ['FLAIR', 'T1', 'T2w'] }
    ]);
    // The reference unticked: the first ticked one takes its place.
    expect(confirmedCases([group], [choice], ['s-t1', 's-t2'])).toEqual([{ seriesIds: ['s-t1', 's-t2'], names: ['T1', 'T2w'] }]);
    // One series ticked is no case; a group declined is separate scans.
    expect(confirmedCases([group], [choice], ['s-t2'])).toEqual([]);
    expect(confirmedCases([group], [{ ...choice, asOneCase: false }], ['s-t1', 's-t2'])).toEqual([]);
  });

  it('says in words why names do not do, and leaves such a group out', () => {
    const same = { ...initialChoice(group), names: { 's-t1': 'T1', 's-t2': 't1', 's-flair': 'FLAIR' } };
    expect(describeCaseProblem(group, same, group.seriesIds)).toBe('Two sequences are named t1: each sequence of a case needs its own name.');
    expect(confirmedCases([group], [same], group.seriesIds)).toEqual([]);
    // The clash is between ticked series only.
    expect(describeCaseProblem(group, same, ['s-t1', 's-flair'])).toBeNull();
    const empty = { ...initialChoice(group), names: { 's-t1': 'T1', 's-t2': '  ', 's-flair': 'FLAIR' } };
    expect(describeCaseProblem(group, empty, group.seriesIds)).toBe('Every sequence needs a name (T1, T1c, T2, FLAIR…).');
    expect(describeCaseProblem(group, { ...empty, asOneCase: false }, group.seriesIds)).toBeNull();
  });
});
