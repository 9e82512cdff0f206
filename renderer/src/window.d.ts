import type { ApiBridge } from '../../main/contract/createBridgeClient';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a browser, where the web host's WebSocket is used instead. */
    api?: ApiBridge;
  }
}

export {};
