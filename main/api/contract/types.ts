/** Result and payload types of the API. Plain serialisable data only (numbers, strings, arrays, Uint8Array). */

export interface AppInfo {
  name: string;
  version: string;
  host: 'electron' | 'web';
  platform: string;
}

export interface ProjectSummary {
  id: string;
  name: string;
  createdAt: string;
  lastOpenedAt: string | null;
  /** Null until the project has been opened in this session. */
  volumeCount: number | null;
}

export type ScalarTypeName = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

export interface VolumeGeometryInfo {
  /** [columns, rows, slices] */
  dimensions: [number, number, number];
  /** Row-major 4x4 voxel (i, j, k) to patient LPS millimetres. */
  voxelToPatient: number[];
}

export interface VolumeSummary {
  id: string;
  name: string;
  sourceKind: 'nifti' | 'dicom';
  patientName: string | null;
  patientId: string | null;
  studyDescription: string | null;
  seriesDescription: string | null;
  modality: string | null;
  geometry: VolumeGeometryInfo;
  scalarType: ScalarTypeName;
  /** Intensity range of the voxels, for the initial window. */
  minValue: number;
  maxValue: number;
  warnings: string[];
  createdAt: string;
}

export interface VolumeVoxels {
  volumeId: string;
  geometry: VolumeGeometryInfo;
  scalarType: ScalarTypeName;
  /** Little-endian voxels, i fastest, then j, then k. */
  bytes: Uint8Array;
}

export interface ImportProblem {
  /** The file's name as the user knows it (never a full path of another user's data in logs). */
  file: string;
  code: string;
  message: string;
}

export interface ImportResult {
  imported: VolumeSummary[];
  problems: ImportProblem[];
}

export interface ImportProgress {
  projectId: string;
  jobId: string;
  phase: 'scanning' | 'decoding' | 'saving' | 'done';
  filesScanned: number;
  seriesFound: number;
  slicesDecoded: number;
  slicesTotal: number;
}

export interface VolumesChanged {
  projectId: string;
}
