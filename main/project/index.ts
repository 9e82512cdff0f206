export { Workspace, createId } from './Workspace';
export { Project } from './Project';
export type { ProjectManifest } from './Project';
export { importNiftiFile, addImportedVolume, toVolumeSummary } from './importVolume';
export { writeFileAtomically } from './atomicWrite';
export { DicomImportJobs } from './DicomImportJobs';
