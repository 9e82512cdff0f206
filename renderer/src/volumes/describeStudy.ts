import type { VolumeSummary } from '../../../main/contract/types';

/**
 * Patient, study and date of a scan where its files have them (DICOM), as the list and the image overlay show them.
 * A NIfTI file carries none of them: the line says so, quietly (`missing`), rather than leaving a gap.
 */
export function describeStudy(
  volume: Pick<VolumeSummary, 'patientName' | 'patientId' | 'studyDescription' | 'studyDate' | 'sourceKind'>
): { text: string; missing: boolean } {
  const patient = volume.patientName?.trim() || (volume.patientId?.trim() ? `ID ${volume.patientId.trim()}` : null);
  const parts = [patient, volume.studyDescription?.trim(), volume.studyDate].filter(Boolean);
  if (parts.length > 0) return { text: parts.join(' · '), missing: false };
  return {
    text: volume.sourceKind === 'nifti' ? 'NIfTI: no patient or study details in the file' : 'No patient or study details in the files',
    missing: true
  };
}
