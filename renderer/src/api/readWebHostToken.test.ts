import { describe, expect, it } from 'vitest';
import { readWebHostToken } from './readWebHostToken';

function fakeBrowser(address: string) {
  const stored = new Map<string, string>();
  const state = { address };
  const location = {
    get href() {
      return state.address;
    }
  } as Location;
  const storage = {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => void stored.set(key, value)
  } as Storage;
  const history = {
    state: null,
    replaceState: (_data: unknown, _unused: string, url: string) => {
      state.address = new URL(url, state.address).href;
    }
  } as unknown as History;
  return { location, storage, history, state };
}

describe('readWebHostToken', () => {
  it('takes the token from the address, keeps it for the tab and removes it from the address bar', () => {
    const browser = fakeBrowser('http://127.0.0.1:5000/?token=abc_123&view=1#top');
    expect(readWebHostToken(browser.location, browser.storage, browser.history)).toBe('abc_123');
    expect(browser.state.address).toBe('http://127.0.0.1:5000/?view=1#top');
    expect(readWebHostToken(browser.location, browser.storage, browser.history)).toBe('abc_123');
  });

  it('has no token when the page was opened without one', () => {
    const browser = fakeBrowser('http://127.0.0.1:5000/');
    expect(readWebHostToken(browser.location, browser.storage, browser.history)).toBeNull();
  });
});
