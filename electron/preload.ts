/**
 * The only bridge between the sandboxed renderer and main: `window.api` with `call` and `on`, limited to the names in
 * the API contract. Nothing else from Node or Electron reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelOfCall, channelOfEvent, isCallName, isEventName } from '../main/contract/names';
import type { ApiBridge, BridgeOutcome } from '../main/contract/createBridgeClient';

const bridge: ApiBridge = {
  call(name: string, input: unknown): Promise<BridgeOutcome> {
    if (!isCallName(name)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown-call', message: `There is no call named ${name}.` }
      });
    }
    return ipcRenderer.invoke(channelOfCall(name), input) as Promise<BridgeOutcome>;
  },
  on(name: string, listener: (payload: unknown) => void): () => void {
    if (!isEventName(name)) throw new Error(`There is no event named ${name}.`);
    const channel = channelOfEvent(name);
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => ipcRenderer.removeListener(channel, forward);
  }
};

contextBridge.exposeInMainWorld('api', bridge);
