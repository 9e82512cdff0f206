export * from './contract';
export * from './errors';
export * from './types';
export * from './wireFormat';
export * from './limits';
export * from './parseClientMessage';
export * from './createSocketClient';
export * from './createBridgeClient';
