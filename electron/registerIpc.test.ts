import { beforeEach, describe, expect, it, vi } from 'vitest';
import { callNames, channelOfCall } from '../main/contract/contract';
import { fakeElectronState, resetFakeElectron } from './testing/fakeElectron';

vi.mock('electron', async () => (await import('./testing/fakeElectron')).createFakeElectron());

const { registerIpc } = await import('./registerIpc');

function createCore() {
  const dispatch = vi.fn(async () => ({ ok: true as const, result: 'done' }));
  const core = { dispatch, logger: { info: vi.fn(), error: vi.fn() } };
  return { core, dispatch };
}

const trusted = (url: string) => url === 'app://renderer/index.html';

function invoke(channel: string, senderFrame: unknown, input: unknown = {}) {
  const handler = fakeElectronState().ipcHandlers.get(channel);
  if (!handler) throw new Error(`No handler registered for '${channel}'`);
  return handler({ senderFrame }, input) as Promise<unknown>;
}

beforeEach(() => resetFakeElectron());

describe('registerIpc', () => {
  it('registers one handler per call of the contract, and no other channel', () => {
    const { core } = createCore();
    registerIpc(core as never, trusted);
    expect([...fakeElectronState().ipcHandlers.keys()].sort()).toEqual(callNames.map(channelOfCall).sort());
    expect(() => invoke('api:call:deleteEverything', { url: 'app://renderer/index.html', parent: null })).toThrow(
      /No handler/
    );
  });

  it('refuses calls from a subframe, from a page that is not the renderer, or without a frame', async () => {
    const { core, dispatch } = createCore();
    registerIpc(core as never, trusted);
    const channel = channelOfCall('listProjects');
    const mainFrame = { url: 'app://renderer/index.html', parent: null };
    for (const frame of [
      null,
      { url: 'https://evil.example/', parent: null },
      { url: 'app://renderer/index.html', parent: mainFrame },
      { url: 'file:///home/user/page.html', parent: null }
    ]) {
      expect(await invoke(channel, frame)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
    expect(await invoke(channel, mainFrame, {})).toEqual({ ok: true, result: 'done' });
    expect(dispatch).toHaveBeenCalledWith('listProjects', {}, { host: 'electron' });
  });

  it('removes its handlers when asked', () => {
    const { core } = createCore();
    const unregister = registerIpc(core as never, trusted);
    unregister();
    expect(fakeElectronState().ipcHandlers.size).toBe(0);
  });
});
