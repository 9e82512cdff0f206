import { homedir } from 'node:os';
import { join } from 'node:path';
import { createApiDispatcher, createApiHandlers, EventBus, type ApiDispatcher, type Logger } from '../api';
import { DicomImportJobs, Workspace } from '../project';
import { createNodeWorkerSpawner, type SpawnWorker } from '../training/job/WorkerProcess';
import { TrainingJobManager } from '../training/TrainingJobManager';
import { createLogger } from './createLogger';
import { appVersion } from './appVersion';

export interface AppCore {
  workspace: Workspace;
  events: EventBus;
  dispatch: ApiDispatcher;
  logger: Logger;
  training: TrainingJobManager;
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
  const training = new TrainingJobManager(workspace, events, options.spawnWorker ?? createNodeWorkerSpawner(), logger);
  const dispatch = createApiDispatcher(createApiHandlers({ workspace, events, appVersion, training, dicomImports: new DicomImportJobs(events) }), logger);
  return {
    workspace,
    events,
    dispatch,
    logger,
    training,
    close: async () => {
      training.stop();
      await training.waitForIdle();
      await workspace.close();
    }
  };
}

export function defaultWorkspaceFolder(): string {
  return process.env.GENSEG_WORKSPACE ?? join(homedir(), 'GenSegWorkstation');
}
