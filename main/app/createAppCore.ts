import { homedir } from 'node:os';
import { join } from 'node:path';
import { createApiDispatcher, createApiHandlers, EventBus, type ApiDispatcher, type Logger } from '../api';
import { Workspace } from '../project';
import { createLogger } from './createLogger';
import { appVersion } from './appVersion';

export interface AppCore {
  workspace: Workspace;
  events: EventBus;
  dispatch: ApiDispatcher;
  logger: Logger;
  close(): Promise<void>;
}

export interface AppCoreOptions {
  /** Where the list of projects, new projects and logs live. */
  workspaceFolder?: string;
  logger?: Logger;
}

/** The composition root shared by the Electron host, the web host, the CLI and the tests. */
export function createAppCore(options: AppCoreOptions = {}): AppCore {
  const workspaceFolder = options.workspaceFolder ?? defaultWorkspaceFolder();
  const logger = options.logger ?? createLogger(join(workspaceFolder, 'logs'));
  const workspace = new Workspace(workspaceFolder);
  const events = new EventBus();
  const dispatch = createApiDispatcher(createApiHandlers({ workspace, events, appVersion }), logger);
  return { workspace, events, dispatch, logger, close: () => workspace.close() };
}

export function defaultWorkspaceFolder(): string {
  return process.env.GENSEG_WORKSPACE ?? join(homedir(), 'GenSegWorkstation');
}
