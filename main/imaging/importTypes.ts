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
  /** Things the user should know about the data (uneven slice spacing, gantry tilt, chosen 4D volume...). */
  warnings: string[];
  /** The display window the file suggests (DICOM 0028,1050/1051), to open the volume with. */
  window?: DisplayWindow;
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
