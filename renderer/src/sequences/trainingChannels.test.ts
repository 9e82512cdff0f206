import { describe, expect, it } from 'vitest';
import { channelsToAdd, describeMissingChannels, moveChannel } from './trainingChannels';

const project = {
  names: ['T1', 'FLAIR'],
  incomplete: [],
  available: [
    { name: 'FLAIR', cases: 12 },
    { name: 'T1', cases: 12 },
    { name: 'T2', cases: 11 },
    { name: 'T1c', cases: 3 }
  ]
};

describe('the training channels', () => {
  it('moves a channel up or down, never out of the list', () => {
    expect(moveChannel(['T1', 'T1c', 'FLAIR'], 2, -1)).toEqual(['T1', 'FLAIR', 'T1c']);
    expect(moveChannel(['T1', 'T1c', 'FLAIR'], 0, 1)).toEqual(['T1c', 'T1', 'FLAIR']);
    expect(moveChannel(['T1', 'T1c'], 0, -1)).toEqual(['T1', 'T1c']);
    expect(moveChannel(['T1', 'T1c'], 1, 1)).toEqual(['T1', 'T1c']);
  });

  it('offers the sequences not chosen yet, most common first', () => {
    expect(channelsToAdd(project)).toEqual([
      { name: 'T2', cases: 11 },
      { name: 'T1c', cases: 3 }
    ]);
    expect(channelsToAdd({ ...project, names: ['flair', 't1', 'T2', 'T1C'] })).toEqual([]);
  });

  it('says which tagged cases lack a chosen sequence, and that training will not start', () => {
    expect(describeMissingChannels(project)).toBeNull();
    const one = { ...project, incomplete: [{ volumeId: 'v1', volumeName: 'Case 7', missing: ['FLAIR'] }] };
    expect(describeMissingChannels(one)).toBe(
      'One tagged case lacks a chosen sequence: Case 7 (no FLAIR). Training will not start until each has them: add the sequences to those cases, or choose fewer.'
    );
    const many = {
      ...project,
      incomplete: ['A', 'B', 'C'].map((name) => ({ volumeId: name, volumeName: `Case ${name}`, missing: ['T2', 'FLAIR'] }))
    };
    expect(describeMissingChannels(many, 2)).toBe(
      '3 tagged cases lack a chosen sequence: Case A (no T2, FLAIR); Case B (no T2, FLAIR) and 1 more. Training will not start until each has them: add the sequences to those cases, or choose fewer.'
    );
  });
});
