/** The ground floor beside the contract: utilities every domain of main/ may use, importing nothing above. */
export type { Logger } from './Logger';
export { createLogger } from './createLogger';
export { EventBus, type EventListener } from './EventBus';
export { createId } from './createId';
export { writeFileAtomically, copyFolderAtomically, sweepTemporaryFiles, translateWriteError } from './atomicWrite';
export { syncFile, syncFolder } from './durableFiles';
export { Random, hashToUnit, type RandomState } from './random';
export { startModuleWorker } from './moduleWorker';
