/**
 * Plain-data descriptions of what a folder scan found. Everything here is JSON-serialisable, so a scan result can be
 * shown in the UI, stored, and handed back to `loadDicomSeries` without scanning again.
 */
import type { DisplayWindow } from '../importTypes';
import type { Vec3 } from '../volume';

/** How the pixels of one DICOM object are stored. */
export interface DicomPixelFormat {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  /** 0 unsigned, 1 two's complement */
  pixelRepresentation: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
  /** 0: RGBRGB..., 1: RRR...GGG...BBB... (only meaningful for colour) */
  planarConfiguration: number;
  transferSyntaxUid: string;
}

/** One 2D image: a single-frame file, or one frame of a multi-frame file. */
export interface DicomFrameReference {
  path: string;
  /** 0 for single-frame files. */
  frameIndex: number;
  instanceNumber?: number;
  /** ImagePositionPatient, LPS mm; absent when the object carries no position. */
  position?: Vec3;
  /** ImageOrientationPatient: unit row direction (along a row, i) and column direction (down a column, j). */
  rowDirection?: Vec3;
  columnDirection?: Vec3;
  /** PixelSpacing as [between rows (j), between columns (i)] mm. */
  pixelSpacing?: [number, number];
  /** SliceThickness (0018,0050) and SpacingBetweenSlices (0018,0088): the slice step of a single image, as dcm2niix
   * takes it (spacing first, since thickness may leave out the gap). */
  sliceThickness?: number;
  spacingBetweenSlices?: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** EchoTime (0018,0081) ms and the diffusion b-value (0018,9087, or the GE/Siemens private copies), when given:
   * they name the volumes of a multi-echo or diffusion series. */
  echoTime?: number;
  bValue?: number;
  /** Which tile of a Siemens mosaic this slice is (the file's one image holds all slices of a volume, tiled). */
  mosaic?: DicomMosaicTile;
  /** Vendor scaling seen in the header besides RescaleSlope/Intercept (Philips' private scale), never applied. */
  vendorScale?: VendorScale;
  format: DicomPixelFormat;
}

/** Tile `index` (from 0, row by row) of a mosaic laid out `tilesPerRow` x `tilesPerRow`, each `columns` x `rows`. */
export interface DicomMosaicTile {
  index: number;
  tilesPerRow: number;
  rows: number;
  columns: number;
}

/** Philips' private scale slope (2005,100E) and intercept (2005,100D), as read: dcm2niix applies them only with -p y. */
export interface VendorScale {
  vendor: 'Philips';
  scaleSlope: number;
  scaleIntercept?: number;
}

/** The size of one slice: a mosaic's tile, else the stored image. */
export function sliceSizeOf(frame: DicomFrameReference): { rows: number; columns: number } {
  return frame.mosaic ?? frame.format;
}

export interface DicomSeriesIdentity {
  patientName?: string;
  patientId?: string;
  studyInstanceUid?: string;
  studyDescription?: string;
  studyDate?: string;
  seriesInstanceUid: string;
  /** FrameOfReferenceUID (0020,0052): series that share it share patient coordinates. */
  frameOfReferenceUid?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  modality?: string;
  /** CT gantry tilt in degrees (0018,1120), when the scanner recorded it. */
  gantryTilt?: number;
  /** "2D" or "3D" (0018,0023). */
  acquisitionType?: string;
  /** Echo-planar imaging (ScanningSequence contains EP, or EchoPulseSequence YES), which dcm2niix never reorients. */
  isEchoPlanar?: boolean;
  /**
   * The display window the scanner suggests (0028,1050 / 0028,1051; the first of several), in modality values
   * (after rescale). Absent when missing or meaningless (width below 1, as DICOM requires at least 1).
   */
  window?: DisplayWindow;
}

export interface SeriesSummary extends DicomSeriesIdentity {
  /** Unique within one scan: the SeriesInstanceUID, plus a part number when the series had to be split. */
  id: string;
  /** Why this is a part of a series ("orientation 2 of 2", "volume 3 of 10"), when it was split. */
  splitReason?: string;
  /** A short name for the part that tells it from its siblings ("volume 3 of 10, b = 1000"), when it was split. */
  partLabel?: string;
  /** For the volumes of a 4-D series (images repeating at the same positions): this one's number, from 1, and how
   * many there are. */
  volumeIndex?: number;
  volumeCount?: number;
  rows: number;
  columns: number;
  sliceCount: number;
  fileCount: number;
  frames: DicomFrameReference[];
}

export interface SkippedFile {
  path: string;
  code: string;
  /** The reason, in words a clinician understands. */
  reason: string;
}

export interface DicomScanResult {
  series: SeriesSummary[];
  /** Files that were not imported and why (the first 1,000; `skippedCount` has the total). */
  skipped: SkippedFile[];
  skippedCount: number;
  /** How many of the skipped files were simply not DICOM (documents, thumbnails, DICOMDIR indexes...). */
  nonDicomCount: number;
  filesScanned: number;
}
