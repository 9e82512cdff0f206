import { describe, expect, it } from 'vitest';
import { caseNameOf, offerNiftiCases, type ImportedScan } from './niftiCases';

const grid = { dimensions: [240, 240, 155] as [number, number, number], voxelToPatient: [-1, 0, 0, 0, 0, -1, 0, 239, 0, 0, 1, 0, 0, 0, 0, 1] };
const scan = (id: string, name: string, guessedName: string, geometry = grid): ImportedScan => ({ id, name, guessedName, geometry });

describe('cases offered among NIfTI files imported together', () => {
  it('reads the case from the name without its last word', () => {
    expect(caseNameOf('BraTS19_2013_10_1_t1ce')).toBe('BraTS19_2013_10_1');
    expect(caseNameOf('case 12 FLAIR')).toBe('case 12');
    expect(caseNameOf('brain-T2')).toBe('brain');
    expect(caseNameOf('T1')).toBeNull();
  });

  it('offers the BraTS files of each patient as one case, T1 first, even when the patients share a grid', () => {
    const scans = [
      scan('a-flair', 'BraTS_001_flair', 'FLAIR'),
      scan('a-t1', 'BraTS_001_t1', 'T1'),
      scan('a-t1ce', 'BraTS_001_t1ce', 'T1c'),
      scan('a-t2', 'BraTS_001_t2', 'T2'),
      scan('b-t2', 'BraTS_002_t2', 'T2'),
      scan('b-flair', 'BraTS_002_flair', 'FLAIR')
    ];
    expect(offerNiftiCases(scans)).toEqual([
      { volumeIds: ['a-t1', 'a-t1ce', 'a-t2', 'a-flair'], names: ['T1', 'T1c', 'T2', 'FLAIR'], caseName: 'BraTS_001' },
      { volumeIds: ['b-t2', 'b-flair'], names: ['T2', 'FLAIR'], caseName: 'BraTS_002' }
    ]);
  });

  it('offers nothing for one file, unknown sequences, a sequence twice or another grid', () => {
    expect(offerNiftiCases([scan('a', 'case_t1', 'T1')])).toEqual([]);
    expect(offerNiftiCases([scan('a', 'case_t1', 'T1'), scan('b', 'case_seg', 'case_seg')])).toEqual([]);
    expect(offerNiftiCases([scan('a', 'case_t1', 'T1'), scan('b', 'case_mprage', 'T1')])).toEqual([]);
    const other = { ...grid, dimensions: [120, 120, 78] as [number, number, number] };
    expect(offerNiftiCases([scan('a', 'case_t1', 'T1'), scan('b', 'case_flair', 'FLAIR', other)])).toEqual([]);
    // Two scans named alike but for a word that is not a sequence: two patients, not one case.
    expect(offerNiftiCases([scan('a', 'patient_1', 'patient_1'), scan('b', 'patient_2', 'patient_2')])).toEqual([]);
  });
});
