/**
 * Whether two scans share one patient coordinate system, so that one can be resampled onto the other without a
 * registration (issue 18). DICOM series share one when they carry the same FrameOfReferenceUID; NIfTI files when both
 * have a sform or qform with the same code (scanner, aligned, Talairach, MNI-152, template). Anything else is refused
 * with the reason: the workstation has no registration.
 */
const niftiSpaces: Record<string, string> = {
  '1': 'scanner coordinates (code 1)',
  '2': 'coordinates aligned to another scan (code 2)',
  '3': 'Talairach coordinates (code 3)',
  '4': 'MNI-152 coordinates (code 4)',
  '5': 'template coordinates (code 5)'
};

/** Null when `sequence` may be placed on `reference`'s grid; otherwise the reason it may not, in plain words. */
export function checkFrameOfReference(
  referenceName: string,
  reference: string | null | undefined,
  sequenceName: string,
  sequence: string | null | undefined
): string | null {
  const none = (name: string) =>
    `${name} does not say which patient coordinates it is in (no DICOM frame of reference, no NIfTI sform or qform code), so it cannot be placed on another scan without a registration.`;
  if (!reference) return none(referenceName);
  if (!sequence) return none(sequenceName);
  if (reference === sequence) return null;
  const [referenceKind, referenceValue] = split(reference);
  const [sequenceKind, sequenceValue] = split(sequence);
  if (referenceKind === 'dicom' && sequenceKind === 'dicom')
    return `${sequenceName} and ${referenceName} were acquired in different frames of reference (their DICOM FrameOfReferenceUIDs differ), so one cannot be placed on the other without a registration.`;
  if (referenceKind === 'nifti' && sequenceKind === 'nifti')
    return `${referenceName} is in ${describeNiftiSpace(referenceValue)} and ${sequenceName} in ${describeNiftiSpace(sequenceValue)}: different coordinate systems, so one cannot be placed on the other without a registration.`;
  return `${referenceName} and ${sequenceName} come one from DICOM and one from NIfTI, so nothing shows that they share patient coordinates; import both the same way (both DICOM, or both NIfTI converted together).`;
}

function split(frame: string): [string, string] {
  const at = frame.indexOf(':');
  return at < 0 ? [frame, ''] : [frame.slice(0, at), frame.slice(at + 1)];
}

function describeNiftiSpace(code: string): string {
  return niftiSpaces[code] ?? `coordinates with code ${code}`;
}
