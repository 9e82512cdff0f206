/** Result and payload types of the API. Plain serialisable data only (numbers, strings, arrays, Uint8Array). */

export interface AppInfo {
  name: string;
  version: string;
  host: 'electron' | 'web' | 'cli';
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
  /** DICOM StudyDate as YYYY-MM-DD; null where the file has none (NIfTI) or it was imported before dates were kept. */
  studyDate: string | null;
  seriesDescription: string | null;
  modality: string | null;
  geometry: VolumeGeometryInfo;
  scalarType: ScalarTypeName;
  /** Intensity range of the voxels, for the initial window. */
  minValue: number;
  maxValue: number;
  /** First window: the DICOM file's suggested window, else the 0.5–99.5 percentiles of the nonzero voxels. */
  windowCenter: number;
  windowWidth: number;
  warnings: string[];
  /** For one volume of a 4-D series: its number (from 1) and how many there are; null otherwise. */
  volumeIndex: number | null;
  volumeCount: number | null;
  /** Which scaling was applied on import, in words (DICOM rescale, NIfTI scl, vendor scale seen but not applied). */
  scaling: string | null;
  createdAt: string;
  labels: VolumeLabelState;
  /**
   * The case's sequences (issue 18), the reference (this volume, id = the volume's id) first; one entry for a
   * one-sequence case. Absent from hosts that predate multi-sequence cases.
   */
  sequences?: SequenceRef[];
}

export interface SequenceRef {
  /** The volume's id for the reference sequence, else the sequence's own id. */
  id: string;
  /** T1, T1c, T2, FLAIR, PD, DWI, ADC or the series' own name; null: the reference was never named. */
  name: string | null;
}

/** How a sequence was put on its case's reference grid (issue 18). */
export interface SequencePlacementInfo {
  kind: 'same-grid' | 'resampled';
  sourceDimensions: [number, number, number];
  sourceSpacing: [number, number, number];
  /** Largest distance from a reference voxel centre to the nearest voxel centre of the sequence, mm. */
  largestOffsetMm: number;
  largestAxisAngleDegrees: number;
  /** Fraction of the reference grid outside the sequence (0 there). */
  outsideFraction: number;
}

/** The MR sequences the import recognises by name (main/imaging/sequences/guessSequenceName.ts); others keep their own. */
export const knownSequenceNames = ['T1', 'T1c', 'T2', 'FLAIR', 'PD', 'DWI', 'ADC'] as const;
export type KnownSequenceName = (typeof knownSequenceNames)[number];

/** One sequence of a case: the reference (its volume) or one stored on the reference grid. */
export interface SequenceSummary {
  id: string;
  name: string | null;
  /** A guess from the series description and file name, offered when `name` is null or to confirm it. */
  guessedName: string;
  reference: boolean;
  seriesDescription: string | null;
  sourceKind: 'nifti' | 'dicom';
  minValue: number;
  maxValue: number;
  windowCenter: number;
  windowWidth: number;
  /** Null for the reference: it defines the grid. */
  placement: SequencePlacementInfo | null;
  warnings: string[];
}

/** Series of one patient and study found in a folder scan: offered as one case of several sequences. */
export interface DicomCaseGroup {
  patientName: string | null;
  patientId: string | null;
  studyDescription: string | null;
  /** Series ids of the scan, the proposed reference first. */
  seriesIds: string[];
  /** Guessed sequence names, in the order of seriesIds. */
  guessedNames: string[];
}

/** What a case's sequences are for training: the names chosen for the project, in channel order. */
export interface TrainingSequences {
  /** Empty: one channel, each case's reference sequence (the default, as before issue 18). */
  names: string[];
  /** Cases with tags that lack some of the chosen sequences, with what they lack. */
  incomplete: { volumeId: string; volumeName: string; missing: string[] }[];
  /** Every sequence name present in the project, with how many cases have it. */
  available: { name: string; cases: number }[];
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
  /**
   * Files or series already in the project, not imported again unless the call allowed duplicates: the same file
   * content (SHA-256) for NIfTI, the same SeriesInstanceUID for DICOM.
   */
  duplicates: ImportDuplicate[];
}

export interface ImportDuplicate {
  /** The file's or series' name as the user knows it. */
  file: string;
  reason: 'same-file' | 'same-series';
  /** The path the user typed it by (imports by path only), to import it after all. */
  path?: string;
  /** The volume already in the project. */
  volumeId: string;
  volumeName: string;
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

export type SliceStateName = 'present' | 'absent' | 'unknown';

export interface SliceRangeInfo {
  /** Zero-based, inclusive. */
  first: number;
  last: number;
}

/** What the volume list shows about a volume's labels. */
export interface VolumeLabelState {
  scan: SliceStateName;
  presentSlices: number;
  absentSlices: number;
  maskedSlices: number;
  /** 0 or 1: one live proposal per scan, from the newest model that proposed for it. */
  pendingProposals: number;
  /** The scan is tagged no tumour but the newest model that proposed for it found some. */
  disagreement: boolean;
}

export interface WeakLabels {
  volumeId: string;
  scan: SliceStateName;
  tumourRanges: SliceRangeInfo[];
  /** One entry per slice along the acquisition axis. */
  slices: SliceStateName[];
  /** Why each slice has its state: scan tag, range, single-slice toggle, drawn mask, reviewed proposal, or none. */
  sources: ('scan' | 'range' | 'slice' | 'mask' | 'proposal' | null)[];
}

export interface MaskSliceData {
  sliceIndex: number;
  /** dim_i * dim_j uint8 labels, i fastest. */
  labels: Uint8Array;
  version: number;
  provenance: 'user' | 'proposal-accepted' | 'proposal-edited' | 'imported';
  /** For an imported mask, the file it came from. */
  sourceFile?: string | null;
}

/** What importing a mask file onto a scan did. */
export interface MaskImportResult {
  volumeId: string;
  fileName: string;
  format: 'nifti' | 'dicom-seg';
  /** Taken as is, reoriented exactly (same voxels in another order), or resampled nearest-neighbour. */
  placement: 'same-grid' | 'reoriented' | 'resampled';
  /** Slices (k) that received the imported mask (a new version each; earlier ones stay in the history). */
  importedSlices: number[];
  tumourVoxels: number;
  /** How the grids differed, label values merged, ... in the user's words. */
  warnings: string[];
}

export interface VolumeMask {
  volumeId: string;
  /** The whole labelmap in the volume's grid. */
  labels: Uint8Array;
  /** Slices with tumour drawn (at least one labelled voxel). */
  maskedSlices: number[];
  /** Slices with a stored mask row, masked or erased since (an erased slice keeps its version). */
  storedSlices: number[];
  /** The stored version of each of `storedSlices` (same order): send it back as `baseVersion` when saving an edit. */
  versions: number[];
}

export interface WeakLabelsChanged {
  projectId: string;
  volumeId: string;
}

export interface MaskChanged {
  projectId: string;
  volumeId: string;
  sliceIndices: number[];
}

/** The methods a project can train: GenSeg, and the paper's two baselines (docs/genseg.md). Declared once, here. */
export const trainingMethods = ['genseg', 'segmentation-only', 'ae-segmentation'] as const;
export type TrainingMethod = (typeof trainingMethods)[number];

/**
 * One click must end in a model version: without a limit given, a run stops by itself after this many minutes (Stop
 * ends it sooner, keeping the best model so far). Declared here so the training panel says the same.
 */
export const defaultTrainingMinutes = { paper: 120, cpu: 20, tiny: 2 } as const;

/** Model sizes: the paper's widths, a quarter of them for CPUs, an eighth for tests. */
export const presetNames = ['paper', 'cpu', 'tiny'] as const;
export type PresetName = (typeof presetNames)[number];

/** Where to train: the fastest the machine has (a GPU when there is one), a GPU only, or the CPU only. */
export const deviceChoices = ['auto', 'gpu', 'cpu'] as const;
export type DeviceChoice = (typeof deviceChoices)[number];

export const trainingRunStatuses = ['running', 'stopped', 'failed', 'finished', 'interrupted'] as const;
export type TrainingRunStatus = (typeof trainingRunStatuses)[number];

/** What a model version measured, as stored with it. */
export interface ModelVersionMetrics {
  evaluation: ModelEvaluationInfo;
  steps: number;
  bestStep: number;
  parameters: Record<string, number>;
}

export interface TrainingProgressInfo {
  step: number;
  epoch: number;
  losses: Record<string, number>;
  stepsPerSecond: number;
  elapsedSeconds: number;
  /** Null when the job runs until stopped. */
  secondsLeft: number | null;
  /** What trains, for people: "NVIDIA GeForce RTX 4070, WebGPU over Vulkan", "CPU, 8 threads, WebAssembly". */
  backend: string;
  validationDice: number | null;
  bestValidationDice: number | null;
  /**
   * Soft Dice of the segmentation on the drawn slices of the last step that had some (1 - the unweighted Dice loss),
   * for the "is it improving" curve when nothing is held out; null until a step had drawn slices.
   */
  trainingDice?: number | null;
}

export interface ModelEvaluationInfo {
  /** Global Dice over the held-out masked slices, thresholded at 0.5; null when none are held out. */
  dice: number | null;
  /** AUROC of predicted tumour area as a present-versus-absent score on held-out tagged slices. */
  auroc: number | null;
  heldOutLabelledSlices: number;
  heldOutPresentSlices: number;
  heldOutAbsentSlices: number;
}

export interface TrainingStatus {
  state: 'idle' | 'training' | 'stopping' | 'proposing';
  projectId: string | null;
  runId: string | null;
  method: TrainingMethod | null;
  preset: PresetName | null;
  /** Which recipe runs and why, in one line for the training panel. */
  recipe: string | null;
  /** What trains or proposes, as the progress says it; null until the job process has chosen. */
  backend: string | null;
  progress: TrainingProgressInfo | null;
  /** The last lines the training process logged. */
  lastLines: string[];
}

export interface TrainingRunSummary {
  id: string;
  status: TrainingRunStatus;
  method: TrainingMethod;
  preset: PresetName;
  backend: string | null;
  error: string | null;
  startedAt: string;
  endedAt: string | null;
  /** A checkpoint exists and the run did not finish: it can be resumed. */
  resumable: boolean;
}

export interface ModelVersionSummary {
  id: string;
  number: number;
  /** The name the user gave it; null: shown as "Model <number>". */
  name: string | null;
  /** Seconds of training from the run's start to this version (null when the run is unknown). */
  trainingSeconds: number | null;
  runId: string | null;
  method: TrainingMethod;
  preset: PresetName;
  backend: string;
  createdAt: string;
  evaluation: ModelEvaluationInfo;
  dataSnapshot: Record<string, number>;
  steps: number;
  bestStep: number;
}

/**
 * What the project's tags and masks allow now (the rules training uses to hold data out): the amounts, the scans held
 * out to measure accuracy, what is missing to measure it and whether the data is too thin to learn from.
 */
export interface TrainingReadiness {
  /** Scans with at least one tagged slice (the only ones training reads). */
  taggedScans: number;
  presentSlices: number;
  absentSlices: number;
  maskedSlices: number;
  /** The scans set aside to measure accuracy (the same split training makes: stable, by each scan's id). */
  heldOutScans: { id: string; name: string }[];
  /** Held-out Dice can be measured: a held-out scan has tumour drawn. */
  diceMeasurable: boolean;
  /** Held-out AUROC can be measured: the held-out scans have slices of both kinds. */
  aurocMeasurable: boolean;
  /** Mask slices to draw on a held-out scan before Dice is measured (0: it is; null: drawing alone cannot). */
  slicesToDrawForDice: number | null;
  /** Scans to tag before one is held out (0: one is). */
  scansToTagForHoldOut: number;
  /** "Accuracy not measured: draw a mask on 1 more slice of …, or tag 2 more scans …, to measure it."; null: measured. */
  toMeasure: string | null;
  /** The thin-data warning, naming the rule, or null. */
  thinData: string | null;
}

/** What deleting a model version did. */
export interface ModelVersionDeleted {
  modelVersionId: string;
  /** Scans whose proposal from it was waiting for review (or flagged as a disagreement) and is withdrawn. */
  withdrawnVolumeIds: string[];
}

export interface TrainingEventInfo {
  projectId: string;
  runId: string;
  status: TrainingRunSummary['status'];
  message: string | null;
}

export interface MetricSeries {
  name: string;
  steps: number[];
  values: number[];
}

export interface TrainingProgressEvent {
  projectId: string;
  runId: string;
  progress: TrainingProgressInfo;
}

export interface ProposalsChanged {
  projectId: string;
  volumeId: string;
  done: number;
  total: number;
}

/**
 * A proposal is `pending` until every slice it found is decided (`reviewed`); a newer proposal for the same scan
 * `supersedes` it; on a scan the user tagged no tumour, a model that finds tumour makes a `disagreement` (a second
 * read the user can open), never a queue item.
 */
export const proposalStatuses = ['pending', 'reviewed', 'superseded', 'disagreement'] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];

export interface ProposalSummary {
  id: string;
  volumeId: string;
  modelVersionId: string;
  /** The model version's number, as the training panel names it ("Model 3"). */
  modelVersionNumber: number;
  status: ProposalStatus;
  /** The user's decision per slice so far (slice index → accepted or rejected). */
  reviewedSlices: Record<number, 'accepted' | 'rejected'>;
  /** Predicted tumour area per slice, mm². */
  sliceAreas: number[];
  createdAt: string;
}

/** Seconds a clinician spends on each kind of action, for ranking what to annotate next. */
export interface AnnotationCosts {
  tagScan: number;
  markRange: number;
  drawMaskSlice: number;
  reviewProposalSlice: number;
}

/** One next action, ranked by expected value per second of the user's time, with the reason it was chosen. */
export interface AnnotationSuggestion {
  kind: 'tag-scan' | 'mark-range' | 'draw-mask' | 'review-proposal';
  volumeId: string;
  volumeName: string;
  /** The slice to draw on (draw-mask), zero-based. */
  sliceIndex?: number;
  /** What it costs, in seconds. */
  seconds: number;
  /** Expected value (in drawn-mask-slice equivalents) per second; only the order is meaningful. */
  valuePerSecond: number;
  reason: string;
}

export interface ProposalLabels {
  proposalId: string;
  volumeId: string;
  /** The proposed labelmap in the volume's grid. */
  labels: Uint8Array;
}

/** NIfTI label maps with a manifest; one DICOM SEG per DICOM-sourced scan; an nnU-Net v2 dataset. */
export const exportFormats = ['nifti', 'dicom-seg', 'nnunet'] as const;
/** Which model proposals a NIfTI export writes into the masks (see `exportMasks`). */
export const exportProposalChoices = ['none', 'accepted', 'accepted-and-pending'] as const;
export type ExportProposalChoice = (typeof exportProposalChoices)[number];
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportedCaseInfo {
  caseId: string;
  volumeId: string;
  volumeName: string;
  /** The mask, SEG or nnU-Net label file; null for an nnU-Net test case (a scan without a drawn mask). */
  maskFile: string | null;
  imageFile: string | null;
  /** Slices (voxel k, 0-based) with tumour in the written mask; the manifests number them from 1. */
  maskedSlices: number[];
  /** NIfTI only: what the mask holds, in words ("12 drawn; 3 pending proposal of model 2, not reviewed"). */
  contents?: string;
  /** nnU-Net only: imagesTr/labelsTr or imagesTs. */
  split?: 'train' | 'test';
}

export interface ExportSkippedVolume {
  volumeId: string;
  volumeName: string;
  /** Why this scan was left out, in the user's words (a NIfTI scan cannot have a DICOM SEG, ...). */
  reason: string;
}

export interface ExportResult {
  exportId: string;
  format: ExportFormat;
  /**
   * Where the files are, for the user to find them: the full path on the desktop; in a browser, the path inside the
   * project folder (`exports/<id>`), since a web client gets no path of the server's.
   */
  folder: string;
  cases: ExportedCaseInfo[];
  /** Every file written, manifest included, relative to `folder` (nnU-Net's are inside `DatasetNNN_Name/`). */
  files: string[];
  /** Chosen scans that were not exported, with the reason. */
  skipped: ExportSkippedVolume[];
}

export interface DicomSeriesInfo {
  id: string;
  patientName: string | null;
  patientId: string | null;
  studyDescription: string | null;
  studyDate: string | null;
  seriesDescription: string | null;
  seriesNumber: number | null;
  modality: string | null;
  rows: number;
  columns: number;
  sliceCount: number;
  fileCount: number;
  /** Why a series was split into parts (different orientation, size or spacing), if it was. */
  splitReason: string | null;
  /** The volume of this project already imported from this series (same SeriesInstanceUID), if any. */
  alreadyImported: { volumeId: string; volumeName: string } | null;
}

export interface DicomScanSummary {
  jobId: string;
  filesScanned: number;
  skippedCount: number;
  nonDicomCount: number;
  /** The first skipped files and why. */
  skipped: ImportProblem[];
  series: DicomSeriesInfo[];
  /** Series of the same patient and study (two or more), offered as one case each; the user confirms. */
  caseGroups?: DicomCaseGroup[];
}
