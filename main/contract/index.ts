export * from './contract';
export * from './errors';
export * from './types';
export * from './wireFormat';
export * from './createSocketClient';
export * from './createBridgeClient';
