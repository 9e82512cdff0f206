/** Public face of the export domain: NIfTI masks and images (DICOM SEG and nnU-Net datasets come later). */
export { writeNiftiMask, type WriteNiftiMaskOptions } from './writeNiftiMask';
export { writeNiftiImage } from './writeNiftiImage';
export { exportProjectMasks, type ExportSummary, type ExportedCase } from './exportProjectMasks';
