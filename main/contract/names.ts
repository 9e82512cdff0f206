/**
 * The names of every call and event, without their schemas, so the sandboxed preload can check names without bundling
 * zod. contract.ts checks at compile time that these lists and its tables have exactly the same keys.
 */
export const callNameList = [
  'getAppInfo',
  'listProjects',
  'createProject',
  'openProject',
  'addProjectFolder',
  'importNiftiFromPath',
  'importNiftiUpload',
  'scanDicomFolder',
  'importDicomSeries',
  'cancelImport',
  'listVolumes',
  'getVolumeVoxels',
  'listSequences',
  'groupVolumesIntoCase',
  'renameSequence',
  'setSequenceWindow',
  'getTrainingSequences',
  'setTrainingSequences',
  'getWeakLabels',
  'tagScan',
  'setTumourRanges',
  'setSliceStates',
  'getMaskSlices',
  'saveMaskSlices',
  'getVolumeMask',
  'importMaskFromPath',
  'importMaskUpload',
  'getTrainingStatus',
  'startTraining',
  'resumeTraining',
  'stopTraining',
  'listTrainingRuns',
  'getTrainingMetrics',
  'listModelVersions',
  'renameModelVersion',
  'deleteModelVersion',
  'getTrainingReadiness',
  'proposeMasks',
  'listProposals',
  'getProposalLabels',
  'acceptProposal',
  'rejectProposal',
  'suggestNext',
  'exportMasks',
  'getExportFile',
  'getExportArchive'
] as const;

export const eventNameList = [
  'onDidChangeProjects',
  'onDidChangeVolumes',
  'onDidImportProgress',
  'onDidChangeWeakLabels',
  'onDidChangeMask',
  'onDidChangeTraining',
  'onDidTrainingProgress',
  'onDidChangeModelVersions',
  'onDidChangeProposals'
] as const;

export type CallName = (typeof callNameList)[number];
export type EventName = (typeof eventNameList)[number];

const callNameSet: ReadonlySet<string> = new Set(callNameList);
const eventNameSet: ReadonlySet<string> = new Set(eventNameList);

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && callNameSet.has(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventNameSet.has(name);
}

/** The one place channel strings are made, for Electron IPC. */
export const channelOfCall = (name: CallName): string => `api:call:${name}`;
export const channelOfEvent = (name: EventName): string => `api:event:${name}`;
