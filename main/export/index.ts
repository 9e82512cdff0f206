/** Public face of the export domain: NIfTI masks and images, DICOM SEG, nnU-Net v2 datasets. */
export { writeNiftiMask, type WriteNiftiMaskOptions } from './writeNiftiMask';
export { writeNiftiImage } from './writeNiftiImage';
export { exportProjectMasks, type ExportSummary, type ExportedCase, type ExportMaskOptions, type ExportedSliceSource } from './exportProjectMasks';
export { zipExportFolder } from './zipExportFolder';
export {
  exportNnunetDataset,
  buildNnunetLabelMap,
  nnunetCaseId,
  nnunetDatasetFolderName,
  type NnunetCase,
  type NnunetDatasetJson,
  type NnunetExportOptions,
  type NnunetExportSummary
} from './exportNnunetDataset';
export {
  exportDicomSeg,
  describeSegment,
  describeSlice,
  NIFTI_CANNOT_HAVE_SEG,
  type DicomSegCase,
  type DicomSegExportSummary,
  type DicomSegSkipped
} from './exportDicomSeg';
