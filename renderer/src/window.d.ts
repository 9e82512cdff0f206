import type { ApiClient } from '../../main/api/contract/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a browser, where the web host's WebSocket is used instead. */
    api?: ApiClient;
  }
}

export {};
