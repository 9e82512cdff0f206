export { createAppCore, defaultWorkspaceFolder, type AppCore, type AppCoreOptions } from './createAppCore';
export { createLogger } from '../common';
export { appVersion } from './appVersion';
