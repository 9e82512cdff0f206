export { createAppCore, defaultWorkspaceFolder, type AppCore, type AppCoreOptions } from './createAppCore';
export { createLogger } from './createLogger';
export { appVersion } from './appVersion';
