export { Workspace } from './Workspace';
export { Project } from './Project';
export type { ProjectManifest } from './Project';
export { importNiftiFile, addImportedVolume, toVolumeSummary, hashFile, oneSliceWarning } from './importVolume';
export { splitTypedPaths, expandTypedPath, resolveNiftiPaths } from './typedPaths';
export { DicomImportJobs } from './DicomImportJobs';
export { VolumeCache } from './VolumeCache';
export { resolveInsideProject } from './resolveInsideProject';
export {
  caseSequenceNames,
  getTrainingSequences,
  groupSeriesIntoCases,
  groupVolumesIntoCase,
  guessVolumeSequenceName,
  listCaseSequences,
  readSequenceVoxels,
  renameSequence,
  setSequenceWindow,
  resolveCaseSequences,
  setTrainingSequences,
  trainingSequencesKey
} from './caseSequences';
