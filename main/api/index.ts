export * from './contract';
export { EventBus } from './EventBus';
export { createApiHandlers, type ApiHandlers, type CallContext, type CoreServices } from './createApiHandlers';
export { createApiDispatcher, type ApiDispatcher, type DispatchOutcome, type Logger } from './createApiDispatcher';
