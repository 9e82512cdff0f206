import type { Volume } from './volume';

/** What the volume list shows about an imported volume, and where it came from. */
export interface VolumeDescription {
  patientName?: string;
  patientId?: string;
  studyDescription?: string;
  studyInstanceUid?: string;
  /** DICOM StudyDate, YYYYMMDD as stored. */
  studyDate?: string;
  seriesDescription?: string;
  seriesInstanceUid?: string;
  seriesNumber?: number;
  modality?: string;
  sourceFormat: 'dicom' | 'nifti';
  sourceFiles: string[];
  /** For one volume of a 4-D series or file: its number (from 1) and how many there are, for names and exports. */
  volumeIndex?: number;
  volumeCount?: number;
  /** Which scaling turned the stored values into the volume's values (issue 20, item 5). */
  scaling?: VolumeScaling;
  /**
   * The patient coordinate system the voxel-to-patient affine is in: `dicom:<FrameOfReferenceUID>`, or for NIfTI
   * `nifti:<code>`, the sform (else qform) code (1 scanner, 2 aligned, 3 Talairach, 4 MNI-152, 5 template);
   * absent when the file says nothing. Sequences of one case must share it (sequences/checkFrameOfReference.ts).
   */
  frameOfReference?: string;
  /** Things the user should know about the data (uneven slice spacing, gantry tilt, chosen 4D volume...). */
  warnings: string[];
  /** The display window the file suggests (DICOM 0028,1050/1051), to open the volume with. */
  window?: DisplayWindow;
}

/** Which scaling turned the stored values into the volume's values, and vendor scaling seen but not applied. */
export interface VolumeScaling {
  /** 'dicom-rescale': RescaleSlope/Intercept; 'nifti-scl': scl_slope/scl_inter; 'none': the stored values as they are. */
  applied: 'dicom-rescale' | 'nifti-scl' | 'none';
  /** The slope and intercept applied, when one pair serves every image (absent when they vary per image). */
  slope?: number;
  intercept?: number;
  /** Vendor scaling in the header that was not applied (Philips' private scale, as `dcm2niix -p n` leaves it). */
  notApplied?: { vendor: 'Philips'; scaleSlope: number; scaleIntercept?: number };
  /** All of the above in the user's words. */
  text: string;
}

/** A display window in the volume's values. */
export interface DisplayWindow {
  center: number;
  width: number;
}

export interface ImportedVolume {
  volume: Volume;
  description: VolumeDescription;
}

export interface ImportProgress {
  filesScanned: number;
  seriesFound: number;
  slicesDecoded: number;
  /** Known once the series to load is fixed; absent while scanning. */
  slicesTotal?: number;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}
