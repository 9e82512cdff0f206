/**
 * Entry of the job process (Electron's utilityProcess in the desktop app, child_process.fork under plain Node): one
 * training or proposal job per process. The loop itself, stop and the orphan check are in main/jobs.
 */
import { runProposalJob } from '../inference';
import { runJobProcess } from '../jobs';
import { runTrainingJob, type JobRequest, type WorkerMessage } from '../training';

runJobProcess<JobRequest, WorkerMessage>((request, hooks) =>
  request.kind === 'train' ? runTrainingJob(request, hooks) : runProposalJob(request, hooks)
);
