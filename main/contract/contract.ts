/**
 * The API contract: every call the renderer can make and every event it can receive, declared once.
 * The Electron preload and IPC registration, the web host's router and the renderer's two clients are all built
 * from these two tables. Renderer code may import this folder for types only.
 */
import { z } from 'zod';
import { defineCall, defineEvent } from './defineContract';
import { callNameList, eventNameList, type CallName, type EventName } from './names';
import { maximumUploadBytes } from './limits';
import { deviceChoices, exportFormats, exportProposalChoices, presetNames, trainingMethods } from './types';
import type {
  AppInfo,
  DicomScanSummary,
  ExportResult,
  MetricSeries,
  ModelVersionDeleted,
  ModelVersionSummary,
  TrainingReadiness,
  ProposalLabels,
  ProposalSummary,
  AnnotationSuggestion,
  ProposalsChanged,
  TrainingEventInfo,
  TrainingProgressEvent,
  TrainingRunSummary,
  TrainingStatus,
  MaskChanged,
  MaskImportResult,
  MaskSliceData,
  VolumeMask,
  WeakLabels,
  WeakLabelsChanged,
  ImportProgress,
  ImportResult,
  ProjectSummary,
  VolumeSummary,
  SequenceSummary,
  TrainingSequences,
  VolumeVoxels,
  VolumesChanged
} from './types';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id');
const projectScoped = { projectId: id };
const volumeScoped = { projectId: id, volumeId: id };
const sliceIndex = z.number().int().min(0).max(1_000_000);
const sliceState = z.enum(['present', 'absent', 'unknown']);
const trainingLimits = {
  maxSteps: z.number().int().min(1).max(10_000_000).optional(),
  maxSeconds: z.number().min(1).max(30 * 24 * 3600).optional()
};
const sequenceName = z.string().trim().min(1).max(64);
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be binary data');

export const apiCalls = {
  getAppInfo: defineCall<AppInfo>()(z.object({}).strict()),

  listProjects: defineCall<ProjectSummary[]>()(z.object({}).strict()),
  createProject: defineCall<ProjectSummary>()(
    z.object({ name: z.string().trim().min(1).max(120) }).strict()
  ),
  openProject: defineCall<ProjectSummary>()(z.object(projectScoped).strict()),
  /** An existing project folder on this computer, by the path the user typed (quotes and `~` accepted), added to the list. */
  addProjectFolder: defineCall<ProjectSummary>()(z.object({ path: z.string().trim().min(1).max(4096) }).strict()),

  /**
   * `path` is what the user typed: one path per line, or several quoted ones on a line; quotes, `~` and file://
   * addresses are accepted, and a folder imports every NIfTI file directly inside it.
   */
  importNiftiFromPath: defineCall<ImportResult>()(
    z.object({ ...projectScoped, path: z.string().min(1).max(65_536), allowDuplicates: z.boolean().optional() }).strict()
  ),
  importNiftiUpload: defineCall<ImportResult>()(
    z
      .object({
        ...projectScoped,
        fileName: z.string().min(1).max(255),
        bytes: bytes.refine((value) => value.byteLength <= maximumUploadBytes, `must be at most ${maximumUploadBytes / 1024 ** 2} MiB`),
        /** Without it, a file whose bytes are already in the project is reported in `duplicates`, not imported. */
        allowDuplicates: z.boolean().optional()
      })
      .strict()
  ),

  scanDicomFolder: defineCall<DicomScanSummary>()(
    z.object({ ...projectScoped, jobId: id, path: z.string().min(1).max(4096) }).strict()
  ),
  importDicomSeries: defineCall<ImportResult>()(
    z
      .object({
        ...projectScoped,
        jobId: id,
        seriesIds: z.array(z.string().min(1).max(200)).min(1).max(10_000),
        /** Confirmed cases (from the scan's caseGroups): each list's series become one case, the first the reference. */
        cases: z
          .array(
            z
              .object({
                seriesIds: z.array(z.string().min(1).max(200)).min(2).max(16),
                names: z.array(sequenceName).max(16).optional()
              })
              .strict()
          )
          .max(10_000)
          .optional(),
        /** Without it, a series already in the project (same SeriesInstanceUID) is reported in `duplicates`, not imported. */
        allowDuplicates: z.boolean().optional()
      })
      .strict()
  ),
  cancelImport: defineCall<{ cancelled: boolean }>()(z.object({ jobId: id }).strict()),

  listVolumes: defineCall<VolumeSummary[]>()(z.object(projectScoped).strict()),
  getVolumeVoxels: defineCall<VolumeVoxels>()(
    z.object({ ...volumeScoped, sequenceId: id.optional() }).strict()
  ),
  listSequences: defineCall<SequenceSummary[]>()(z.object(volumeScoped).strict()),
  groupVolumesIntoCase: defineCall<SequenceSummary[]>()(
    z
      .object({
        ...volumeScoped,
        sequenceVolumeIds: z.array(id).min(1).max(16),
        names: z.array(sequenceName).max(16).optional()
      })
      .strict()
  ),
  renameSequence: defineCall<SequenceSummary[]>()(z.object({ ...volumeScoped, sequenceId: id, name: sequenceName }).strict()),
  /** The window a sequence of a case opens with from now on (the reference: sequenceId = volumeId). */
  setSequenceWindow: defineCall<SequenceSummary>()(
    z
      .object({
        ...volumeScoped,
        sequenceId: id,
        center: z.number('the window centre must be a number').min(-1e12).max(1e12),
        width: z.number('the window width must be a number').gt(0, 'the window width must be above 0').max(1e12)
      })
      .strict()
  ),
  getTrainingSequences: defineCall<TrainingSequences>()(z.object(projectScoped).strict()),
  setTrainingSequences: defineCall<TrainingSequences>()(
    z.object({ ...projectScoped, names: z.array(sequenceName).max(16) }).strict()
  ),

  getWeakLabels: defineCall<WeakLabels>()(z.object(volumeScoped).strict()),
  tagScan: defineCall<WeakLabels>()(z.object({ ...volumeScoped, state: sliceState }).strict()),
  setTumourRanges: defineCall<WeakLabels>()(
    z
      .object({
        ...volumeScoped,
        ranges: z.array(z.object({ first: sliceIndex, last: sliceIndex }).strict()).max(10_000)
      })
      .strict()
  ),
  setSliceStates: defineCall<WeakLabels>()(
    z.object({ ...volumeScoped, sliceIndices: z.array(sliceIndex).min(1).max(100_000), state: sliceState }).strict()
  ),

  getMaskSlices: defineCall<{ volumeId: string; slices: MaskSliceData[] }>()(
    z.object({ ...volumeScoped, sliceIndices: z.array(sliceIndex).max(100_000).optional() }).strict()
  ),
  saveMaskSlices: defineCall<{ volumeId: string; versions: number[] }>()(
    z
      .object({
        ...volumeScoped,
        slices: z
          .array(
            z
              .object({
                sliceIndex,
                labels: bytes,
                /** The version the edit was drawn on (0: no mask): a newer stored version is a conflict. */
                baseVersion: z.number().int().min(0).max(2 ** 31).optional()
              })
              .strict()
          )
          .min(1)
          .max(100_000)
      })
      .strict()
  ),
  getVolumeMask: defineCall<VolumeMask>()(z.object(volumeScoped).strict()),
  /** A NIfTI label map or DICOM SEG on this computer onto a scan of the project, as imported mask slices. */
  importMaskFromPath: defineCall<MaskImportResult>()(
    z.object({ ...volumeScoped, path: z.string().min(1).max(4096), author: z.string().trim().min(1).max(120).optional() }).strict()
  ),
  /** The same from a browser: the file's bytes. */
  importMaskUpload: defineCall<MaskImportResult>()(
    z.object({ ...volumeScoped, fileName: z.string().min(1).max(255), bytes, author: z.string().trim().min(1).max(120).optional() }).strict()
  ),

  getTrainingStatus: defineCall<TrainingStatus>()(z.object({}).strict()),
  startTraining: defineCall<{ runId: string }>()(
    z
      .object({
        ...projectScoped,
        method: z.enum(trainingMethods).optional(),
        preset: z.enum(presetNames).optional(),
        paperRecipe: z.boolean().optional(),
        /** 'auto' (default): a GPU when one can train, else the CPU. */
        device: z.enum(deviceChoices).optional(),
        /** Without it, a run stops by itself after the preset's default time (20 min for cpu). */
        untilStopped: z.boolean().optional(),
        /** Keep training in the background: new tags and masks reach the model, new versions propose as they come. */
        continuous: z.boolean().optional(),
        seed: z.number().int().min(0).max(2 ** 31).optional(),
        ...trainingLimits
      })
      .strict()
  ),
  resumeTraining: defineCall<{ runId: string }>()(z.object({ ...projectScoped, runId: id, ...trainingLimits }).strict()),
  stopTraining: defineCall<TrainingStatus>()(z.object({}).strict()),
  listTrainingRuns: defineCall<TrainingRunSummary[]>()(z.object(projectScoped).strict()),
  getTrainingMetrics: defineCall<MetricSeries[]>()(z.object({ ...projectScoped, runId: id }).strict()),
  listModelVersions: defineCall<ModelVersionSummary[]>()(z.object(projectScoped).strict()),
  /** Names a model version as the user likes ("after the April cohort"); an empty name goes back to "Model N". */
  renameModelVersion: defineCall<ModelVersionSummary>()(
    z.object({ ...projectScoped, modelVersionId: id, name: z.string().trim().max(80) }).strict()
  ),
  /**
   * Deletes a model version: its weights, and its proposals not reviewed yet (those waiting are withdrawn); masks
   * accepted from it stay and keep naming it. Refused while a job runs in the project.
   */
  deleteModelVersion: defineCall<ModelVersionDeleted>()(z.object({ ...projectScoped, modelVersionId: id }).strict()),
  /** What the tags and masks allow now: what is held out, what is missing to measure accuracy, thin data. */
  getTrainingReadiness: defineCall<TrainingReadiness>()(z.object(projectScoped).strict()),

  proposeMasks: defineCall<{ volumeIds: string[] }>()(
    z.object({ ...projectScoped, modelVersionId: id, volumeIds: z.array(id).max(100_000).optional() }).strict()
  ),
  listProposals: defineCall<ProposalSummary[]>()(z.object(volumeScoped).strict()),
  /** What to annotate next: actions ranked by expected value per second of the user's time, each with its reason. */
  suggestNext: defineCall<AnnotationSuggestion[]>()(
    z
      .object({
        ...projectScoped,
        limit: z.number().int().min(1).max(1000).optional(),
        costs: z
          .object({
            tagScan: z.number().positive().max(3600),
            markRange: z.number().positive().max(3600),
            drawMaskSlice: z.number().positive().max(3600),
            reviewProposalSlice: z.number().positive().max(3600)
          })
          .partial()
          .strict()
          .optional()
      })
      .strict()
  ),
  getProposalLabels: defineCall<ProposalLabels>()(z.object({ ...projectScoped, proposalId: id }).strict()),
  acceptProposal: defineCall<{ acceptedSlices: number[] }>()(
    z
      .object({
        ...projectScoped,
        proposalId: id,
        sliceIndices: z.array(sliceIndex).max(100_000).optional(),
        editedSlices: z.array(z.object({ sliceIndex, labels: bytes }).strict()).max(100_000).optional()
      })
      .strict()
  ),
  exportMasks: defineCall<ExportResult>()(
    z
      .object({
        ...projectScoped,
        /** Default 'nifti'. */
        format: z.enum(exportFormats).optional(),
        volumeIds: z.array(id).max(100_000).optional(),
        /** NIfTI only: the images beside the masks (nnU-Net datasets always hold them). */
        includeImages: z.boolean().optional(),
        /** NIfTI only: scans tagged no tumour, without a mask, as empty masks. */
        emptyMasksForAbsentScans: z.boolean().optional(),
        /** NIfTI only: which proposals go into the masks; default 'accepted'. Pending ones are marked in the manifest. */
        proposals: z.enum(exportProposalChoices).optional(),
        /** nnU-Net only: the dataset number (default 501) and name (default: the project's). */
        datasetId: z.number().int().min(1).max(999).optional(),
        datasetName: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'must be letters, digits and underscores').optional()
      })
      .strict()
  ),
  getExportFile: defineCall<{ fileName: string; bytes: Uint8Array }>()(
    z
      .object({
        ...projectScoped,
        exportId: id,
        // A file of the export, possibly in its subfolders; no part may start with a dot, so never "..".
        fileName: z
          .string()
          .max(400)
          .regex(/^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}\/){0,3}[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/, 'must be a file of the export')
      })
      .strict()
  ),
  /** The whole export as one zip (a browser's one download), folders kept. */
  getExportArchive: defineCall<{ fileName: string; bytes: Uint8Array }>()(z.object({ ...projectScoped, exportId: id }).strict()),
  rejectProposal: defineCall<{ rejectedSlices: number[] }>()(
    z
      .object({
        ...projectScoped,
        proposalId: id,
        sliceIndices: z.array(sliceIndex).max(100_000).optional(),
        markAbsent: z.boolean().optional()
      })
      .strict()
  )
} as const;

export const apiEvents = {
  onDidChangeProjects: defineEvent<Record<string, never>>(),
  onDidChangeVolumes: defineEvent<VolumesChanged>(),
  onDidImportProgress: defineEvent<ImportProgress>(),
  onDidChangeWeakLabels: defineEvent<WeakLabelsChanged>(),
  onDidChangeMask: defineEvent<MaskChanged>(),
  onDidChangeTraining: defineEvent<TrainingEventInfo>(),
  onDidTrainingProgress: defineEvent<TrainingProgressEvent>(),
  onDidChangeModelVersions: defineEvent<{ projectId: string }>(),
  onDidChangeProposals: defineEvent<ProposalsChanged>()
} as const;

export type ApiCalls = typeof apiCalls;
export type ApiEvents = typeof apiEvents;
export type { CallName, EventName };
export type CallInput<N extends CallName> = z.input<ApiCalls[N]['input']>;
export type ParsedCallInput<N extends CallName> = z.output<ApiCalls[N]['input']>;
export type CallResult<N extends CallName> = NonNullable<ApiCalls[N]['result']>;
export type EventPayload<N extends EventName> = NonNullable<ApiEvents[N]['payload']>;

export const callNames: readonly CallName[] = callNameList;
export const eventNames: readonly EventName[] = eventNameList;
export { isCallName, isEventName, channelOfCall, channelOfEvent } from './names';

// Compile-time proof that names.ts lists exactly the keys of the tables above.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const callNamesMatchTable: SameKeys<CallName, keyof typeof apiCalls> = true;
const eventNamesMatchTable: SameKeys<EventName, keyof typeof apiEvents> = true;
void callNamesMatchTable;
void eventNamesMatchTable;

/** What a client of either host offers the renderer. */
export interface ApiClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}
