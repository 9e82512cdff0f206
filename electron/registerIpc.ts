import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { callNames, channelOfCall } from '../main/contract/contract';
import type { BridgeOutcome } from '../main/contract/createBridgeClient';
import type { AppCore } from '../main/app';

/**
 * Registers one IPC handler per call of the contract. Each checks that the message comes from the main frame of one of
 * our windows showing our own renderer; the dispatcher then validates the input against the contract's schema.
 */
export function registerIpc(core: AppCore, isTrustedUrl: (url: string) => boolean): () => void {
  for (const name of callNames) {
    ipcMain.handle(channelOfCall(name), async (event: IpcMainInvokeEvent, input: unknown): Promise<BridgeOutcome> => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
        core.logger.error(`refused IPC call ${name} from an untrusted frame`);
        return { ok: false, error: { code: 'unauthorized', message: 'This window may not use the app.' } };
      }
      return core.dispatch(name, input, { host: 'electron' });
    });
  }
  return () => {
    for (const name of callNames) ipcMain.removeHandler(channelOfCall(name));
  };
}
