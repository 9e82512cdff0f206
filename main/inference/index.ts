/** Public face of inference: proposal jobs in the app, and the proposal loop that runs in the job process. */
export { ProposalJobs } from './ProposalJobs';
export { runProposalJob } from './runProposalJob';
export { suggestNext, defaultAnnotationCosts } from './suggestNext';
