export { Workspace } from './Workspace';
export { Project } from './Project';
export type { ProjectManifest } from './Project';
export { importNiftiFile, addImportedVolume, toVolumeSummary } from './importVolume';
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
  resolveCaseSequences,
  setTrainingSequences,
  trainingSequencesKey
} from './caseSequences';
