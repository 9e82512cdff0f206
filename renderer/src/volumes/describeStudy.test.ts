import { describe, expect, it } from 'vitest';
import { describeStudy } from './describeStudy';

const none = { patientName: null, patientId: null, studyDescription: null, studyDate: null };

describe('describeStudy', () => {
  it('shows patient, study and date where the files have them', () => {
    expect(describeStudy({ ...none, sourceKind: 'dicom', patientName: 'DOE^JANE', studyDescription: 'BRAIN', studyDate: '2001-03-16' })).toEqual({
      text: 'DOE^JANE · BRAIN · 2001-03-16',
      missing: false
    });
    expect(describeStudy({ ...none, sourceKind: 'dicom', patientId: ' 123 ', studyDate: '2001-03-16' }).text).toBe('ID 123 · 2001-03-16');
  });

  it('says quietly that a NIfTI file has no patient or study details', () => {
    expect(describeStudy({ ...none, sourceKind: 'nifti' })).toEqual({ text: 'NIfTI: no patient or study details in the file', missing: true });
    expect(describeStudy({ ...none, sourceKind: 'dicom', patientName: '  ' }).missing).toBe(true);
  });
});
