/** Public face of the imaging domain: readers (DICOM, NIfTI), the volume model and its geometry. */
export * from './volume';
export * from './importTypes';
export { ImagingError, isImagingError, type ImagingErrorCode, type RefusedFile } from './ImagingError';
export * as geometry from './geometry';
export { readNiftiFile, type ReadNiftiOptions } from './nifti/readNiftiFile';
export { writeNiftiFile, type WriteNiftiOptions } from './nifti/writeNiftiFile';
export { scanDicomFolder } from './dicom/scanDicomFolder';
export { loadDicomSeries, type LoadDicomOptions } from './dicom/loadDicomSeries';
export type {
  DicomScanResult,
  SeriesSummary,
  SkippedFile,
  DicomFrameReference,
  DicomPixelFormat
} from './dicom/dicomTypes';
export { computeSpacing, convertLpsRas, countVoxels, createAffineFromColumns, invertAffine, multiplyMatrices, transformPoint } from './geometry';
export { readDicomSourceImages, type DicomSourceImage } from './dicomSeg/readDicomSourceImages';
export { writeDicomSeg, DICOM_CODES, type DicomCode, type SegSegmentDescription, type WriteDicomSegInput } from './dicomSeg/writeDicomSeg';
export { readDicomSeg, describeDicomSeg, type DicomSegContent, type DicomSegSegment } from './dicomSeg/readDicomSeg';
export * from './sequences';
