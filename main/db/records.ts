import type { ModelVersionMetrics, PresetName, ProposalStatus, TrainingMethod, TrainingRunStatus } from '../contract';
/** Plain records the repositories read and write. They carry no database handles. */
import type { GridPlacement, NiftiLayout, ScalarTypeName, VolumeScaling } from '../imaging';

export type { ScalarTypeName };

export interface VolumeRecord {
  id: string;
  name: string;
  sourceKind: 'nifti' | 'dicom';
  sourceFiles: string[];
  patientName: string | null;
  patientId: string | null;
  studyDescription: string | null;
  /** DICOM StudyDate (YYYYMMDD); null for NIfTI and for volumes imported before it was stored. */
  studyDate?: string | null;
  /** SHA-256 (hex) of the imported file, to find a file imported twice; null for DICOM series (their UID does that). */
  contentHash?: string | null;
  seriesDescription: string | null;
  modality: string | null;
  seriesInstanceUid: string | null;
  dimensions: [number, number, number];
  voxelToPatient: number[];
  /** Voxel order of NIfTI files written from this volume (dcm2niix's for DICOM); null: the volume's own. */
  niftiLayout: NiftiLayout | null;
  scalarType: ScalarTypeName;
  minValue: number;
  maxValue: number;
  /** First display window: the DICOM file's suggested window, else robust percentiles of the tissue. */
  windowCenter: number;
  windowWidth: number;
  /** Relative to the project folder. */
  cacheFile: string;
  /** Import warnings (uneven spacing, split 4-D series, mosaic, vendor scaling...): they travel into every export. */
  warnings: string[];
  /** For one volume of a 4-D series: its number (from 1) and how many there are; null otherwise. */
  volumeIndex: number | null;
  volumeCount: number | null;
  /** The scaling applied on import (null for volumes imported before it was recorded). */
  scaling: VolumeScaling | null;
  createdAt: string;
  /** The name of this volume as the case's reference sequence (T1, FLAIR...); null or absent: not named. */
  sequenceName?: string | null;
  /** `dicom:<FrameOfReferenceUID>` or `nifti:<code>`; null or absent: unknown (imported before it was recorded). */
  frameOfReference?: string | null;
  studyInstanceUid?: string | null;
}

/**
 * Another sequence of a case (issue 18): its voxels are stored on the case's reference grid (the volume's), so tags,
 * masks and proposals of the volume apply to it unchanged.
 */
export interface SequenceRecord {
  id: string;
  /** The case: its reference volume. */
  volumeId: string;
  name: string;
  /** Order in the case after the reference, from 1. */
  position: number;
  sourceKind: 'nifti' | 'dicom';
  sourceFiles: string[];
  seriesDescription: string | null;
  seriesInstanceUid: string | null;
  modality: string | null;
  frameOfReference: string | null;
  sourceDimensions: [number, number, number];
  sourceVoxelToPatient: number[];
  scalarType: ScalarTypeName;
  minValue: number;
  maxValue: number;
  windowCenter: number;
  windowWidth: number;
  /** Relative to the project folder; voxels on the reference grid. */
  cacheFile: string;
  placement: GridPlacement;
  warnings: string[];
  createdAt: string;
}

export type SliceState = 'present' | 'absent' | 'unknown';
export type SliceLabelSource = 'scan' | 'range' | 'slice' | 'mask' | 'proposal';

export interface SliceLabel {
  sliceIndex: number;
  state: SliceState;
  source: SliceLabelSource;
  /**
   * For a label a drawn mask sets (source 'mask'): what the slice is without the mask. Without it, what the slice was
   * before the mask is kept; a tag written later passes what it implies.
   */
  withoutMask?: { state: SliceState; source: SliceLabelSource };
}

export type MaskProvenance = 'user' | 'proposal-accepted' | 'proposal-edited' | 'imported';

export interface MaskSlice {
  sliceIndex: number;
  /** Uncompressed uint8 labels of one slice, dim_i * dim_j, i fastest. */
  labels: Uint8Array;
  version: number;
  provenance: MaskProvenance;
  modelVersionId: string | null;
  author: string;
  updatedAt: string;
  /** For an imported mask, the file it came from (as the user named it); null otherwise. */
  sourceFile: string | null;
}

export type { TrainingRunStatus } from '../contract';

/** What a run was asked to do, stored with it so that it can resume with the same options. */
export interface StoredRunConfig {
  /** The job's options (main/training/job/jobTypes.ts, TrainingOptions), as JSON. */
  options?: object;
  /** The recipe's line for the training panel. */
  recipe?: string | null;
}

export interface TrainingRunRecord {
  id: string;
  status: TrainingRunStatus;
  method: TrainingMethod;
  preset: PresetName;
  config: StoredRunConfig;
  backend: string | null;
  checkpointFile: string | null;
  error: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface MetricPoint {
  step: number;
  name: string;
  value: number;
}

export interface ModelVersionRecord {
  id: string;
  number: number;
  runId: string | null;
  method: TrainingMethod;
  preset: PresetName;
  config: StoredRunConfig;
  metrics: ModelVersionMetrics;
  dataSnapshot: Record<string, number>;
  backend: string;
  weightsFolder: string;
  createdAt: string;
  /** The name the user gave it; null: "Model <number>". */
  name?: string | null;
  /** When the user deleted it (its weights are gone; masks accepted from it still name it). */
  deletedAt?: string | null;
}

export interface ProposalRecord {
  id: string;
  volumeId: string;
  modelVersionId: string;
  /** Uncompressed uint8 labelmap in the volume's grid. */
  labels: Uint8Array;
  sliceAreas: number[];
  status: ProposalStatus;
  /** What the user decided per slice so far. */
  reviewedSlices: Record<number, 'accepted' | 'rejected'>;
  createdAt: string;
}

export interface SliceRange {
  /** Inclusive slice indices along the acquisition axis. */
  first: number;
  last: number;
}

export interface ScanLabel {
  state: SliceState;
  tumourRanges: SliceRange[];
}
