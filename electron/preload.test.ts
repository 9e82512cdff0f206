import { describe, expect, it, vi } from 'vitest';
import { channelOfCall } from '../main/contract/names';
import { fakeElectronState } from './testing/fakeElectron';

vi.mock('electron', async () => (await import('./testing/fakeElectron')).createFakeElectron());

await import('./preload');

interface ExposedBridge {
  call(name: string, input: unknown): Promise<unknown>;
  on(name: string, listener: (payload: unknown) => void): () => void;
}

describe('the preload bridge', () => {
  it('exposes one object, `api`, with only `call` and `on`', () => {
    const exposed = fakeElectronState().exposed;
    expect([...exposed.keys()]).toEqual(['api']);
    expect(Object.keys(exposed.get('api') as object).sort()).toEqual(['call', 'on']);
  });

  it('sends only calls of the contract to main, on their own channel', async () => {
    const api = fakeElectronState().exposed.get('api') as ExposedBridge;
    for (const name of ['deleteEverything', 'toString', '__proto__', '']) {
      expect(await api.call(name, {})).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    }
    expect(fakeElectronState().invoked).toEqual([]);
    await api.call('listProjects', {});
    expect(fakeElectronState().invoked).toEqual([{ channel: channelOfCall('listProjects'), args: [{}] }]);
  });

  it('listens only to events of the contract', () => {
    const api = fakeElectronState().exposed.get('api') as ExposedBridge;
    expect(() => api.on('someInternalChannel', () => {})).toThrow(/no event named/);
    expect(typeof api.on('onDidChangeProjects', () => {})).toBe('function');
  });
});
