import { describe, expect, it } from 'vitest';
import type { VolumeSummary } from '../../../main/contract/types';
import { nextVolume, viewVolumes } from './volumeListView';

function volume(
  id: string,
  name: string,
  labels: Partial<VolumeSummary['labels']> = {},
  extra: Partial<VolumeSummary> = {}
): VolumeSummary {
  return {
    id,
    name,
    patientName: null,
    patientId: null,
    studyDescription: null,
    seriesDescription: null,
    modality: null,
    labels: { scan: 'unknown', presentSlices: 0, absentSlices: 0, maskedSlices: 0, pendingProposals: 0, disagreement: false, ...labels },
    ...extra
  } as VolumeSummary;
}

const volumes = [
  volume('a', 'case 10', { scan: 'present', presentSlices: 12 }),
  volume('b', 'case 2', {}, { seriesDescription: 'T1 axial', patientName: 'Doe^Jane' }),
  volume('c', 'case 1', { scan: 'absent', absentSlices: 90 }),
  volume('d', 'case 3', { scan: 'present', presentSlices: 4, pendingProposals: 1 }),
  volume('e', 'case 4')
];

describe('volume list view', () => {
  it('filters by every word of the text over name, patient and descriptions', () => {
    const ids = (text: string) => viewVolumes(volumes, { text, state: 'all', order: 'imported' }).map((v) => v.id);
    expect(ids('t1 jane')).toEqual(['b']);
    expect(ids('CASE')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ids('case 10')).toEqual(['a']);
  });

  it('filters by weak-label state', () => {
    const ids = (state: 'untagged' | 'present' | 'absent' | 'to-review') =>
      viewVolumes(volumes, { text: '', state, order: 'imported' }).map((v) => v.id);
    expect(ids('untagged')).toEqual(['b', 'e']);
    expect(ids('present')).toEqual(['a', 'd']);
    expect(ids('absent')).toEqual(['c']);
    expect(ids('to-review')).toEqual(['d']);
  });

  it('sorts by name with numbers in order, or with the work left first', () => {
    expect(viewVolumes(volumes, { text: '', state: 'all', order: 'name' }).map((v) => v.name)).toEqual([
      'case 1',
      'case 2',
      'case 3',
      'case 4',
      'case 10'
    ]);
    expect(viewVolumes(volumes, { text: '', state: 'all', order: 'state' }).map((v) => v.id)).toEqual([
      'd',
      'b',
      'e',
      'a',
      'c'
    ]);
  });

  it('goes to the next untagged or next to review, wrapping round, and says when there is none', () => {
    expect(nextVolume(volumes, 'b', 'untagged')?.id).toBe('e');
    expect(nextVolume(volumes, 'e', 'untagged')?.id).toBe('b');
    expect(nextVolume(volumes, null, 'untagged')?.id).toBe('b');
    expect(nextVolume(volumes, 'd', 'to-review')).toBeNull();
    expect(nextVolume(volumes, 'a', 'to-review')?.id).toBe('d');
    expect(nextVolume([], null, 'untagged')).toBeNull();
  });
});
