export * from '../contract';
export { EventBus } from '../common';
export { createApiHandlers, type ApiHandlers, type CallContext, type CoreServices } from './createApiHandlers';
export { createApiDispatcher, type ApiDispatcher, type DispatchOutcome } from './createApiDispatcher';
export type { Logger } from '../common';
