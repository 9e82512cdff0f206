/** The ground floor beside the contract: utilities every domain of main/ may use, importing nothing above. */
export type { Logger } from './Logger';
export { createLogger } from './createLogger';
export { EventBus, type EventListener } from './EventBus';
export { createId } from './createId';
export { writeFileAtomically, sweepTemporaryFiles, translateWriteError } from './atomicWrite';
export { Random, hashToUnit, type RandomState } from './random';
