import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiDispatcher, createApiHandlers, EventBus, type ApiDispatcher, type Logger } from '../api';
import { createLogger } from '../common';
import type { TrainingStatus } from '../contract';
import { ProposalJobs } from '../inference';
import { createNodeWorkerSpawner, JobSlot, type SpawnWorker } from '../jobs';
import { DicomImportJobs, Workspace } from '../project';
import { TrainingRuns } from '../training';
import { appVersion } from './appVersion';

export interface AppCore {
  workspace: Workspace;
  events: EventBus;
  dispatch: ApiDispatcher;
  logger: Logger;
  jobs: JobSlot<TrainingStatus>;
  training: TrainingRuns;
  proposals: ProposalJobs;
  /**
   * Settles once what a previous app left behind has been dealt with: the job processes of hosts that died are
   * stopped, their runs marked interrupted, their projects' half-written temporary files removed.
   */
  recovery: Promise<void>;
  close(): Promise<void>;
}

export interface AppCoreOptions {
  /** Where the list of projects, new projects and logs live. */
  workspaceFolder?: string;
  logger?: Logger;
  /** How the host starts the training process (utilityProcess in Electron); child_process.fork by default. */
  spawnWorker?: SpawnWorker;
}

/** The composition root shared by the Electron host, the web host, the CLI and the tests. */
export function createAppCore(options: AppCoreOptions = {}): AppCore {
  const workspaceFolder = options.workspaceFolder ?? defaultWorkspaceFolder();
  const logger = options.logger ?? createLogger(join(workspaceFolder, 'logs'));
  const workspace = new Workspace(workspaceFolder);
  const events = new EventBus();
  const jobs = new JobSlot<TrainingStatus>(
    options.spawnWorker ?? createNodeWorkerSpawner(jobWorkerPath()),
    logger,
    join(workspaceFolder, 'jobs')
  );
  const training = new TrainingRuns(workspace, events, jobs);
  const recovery = jobs
    .reclaimOrphanedJobs()
    .then(async (records) => {
      for (const record of records) await training.recoverOrphanedJob(record.detail);
    })
    .catch((error: unknown) => logger.error('recovering the jobs of an app that ended failed', error));
  const proposals = new ProposalJobs(workspace, events, jobs);
  const services = { workspace, events, appVersion, jobs, training, proposals, dicomImports: new DicomImportJobs(events) };
  const dispatch = createApiDispatcher(createApiHandlers(services), logger);
  return {
    workspace,
    events,
    dispatch,
    logger,
    jobs,
    training,
    proposals,
    recovery,
    close: async () => {
      await recovery;
      jobs.stop();
      await jobs.whenIdle();
      await workspace.close();
    }
  };
}

/** The job process's entry beside this file: TypeScript under tsx, JavaScript once built. */
function jobWorkerPath(): string {
  const here = fileURLToPath(import.meta.url);
  return join(here, '..', here.endsWith('.ts') ? 'jobWorker.ts' : 'jobWorker.js');
}

export function defaultWorkspaceFolder(): string {
  return process.env.GENSEG_WORKSPACE ?? join(homedir(), 'GenSegWorkstation');
}
