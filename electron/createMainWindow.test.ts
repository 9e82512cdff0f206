/**
 * Issue 15, finding 5: the window, tested without Electron's binary (a fake `electron` module records what the shell
 * asks for and plays the page's part).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeElectronState, resetFakeElectron } from './testing/fakeElectron';

vi.mock('electron', async () => (await import('./testing/fakeElectron')).createFakeElectron());

const { createMainWindow, isTrustedRendererUrl, rendererUrl } = await import('./createMainWindow');

const savedRendererUrl = process.env.ELECTRON_RENDERER_URL;

beforeEach(() => {
  resetFakeElectron();
  delete process.env.ELECTRON_RENDERER_URL;
});

afterEach(() => {
  if (savedRendererUrl === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = savedRendererUrl;
});

function openWindow() {
  createMainWindow();
  const window = fakeElectronState().windows.at(-1)!;
  return window;
}

describe('the main window', () => {
  it('runs the page sandboxed and context-isolated, with no Node anywhere', () => {
    const { options } = openWindow();
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      preload: expect.stringMatching(/preload[\\/]index\.cjs$/)
    });
  });

  it('loads the renderer from the app:// protocol, not from file://', () => {
    fakeElectronState().app.isPackaged = true;
    expect(openWindow().loadedUrl).toBe('app://renderer/index.html');
    expect(rendererUrl()).toBe('app://renderer/index.html');
  });

  it('honours ELECTRON_RENDERER_URL only when the app is not packaged', () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
    fakeElectronState().app.isPackaged = true;
    expect(rendererUrl()).toBe('app://renderer/index.html');
    expect(isTrustedRendererUrl('http://localhost:5173/')).toBe(false);
    fakeElectronState().app.isPackaged = false;
    expect(rendererUrl()).toBe('http://localhost:5173/');
  });

  it('blocks navigation away from the renderer', () => {
    fakeElectronState().app.isPackaged = true;
    const { webContents } = openWindow();
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      webContents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://other/index.html')).toBe(true);
    expect(navigate('not a url')).toBe(true);
    expect(navigate('app://renderer/index.html')).toBe(false);
  });

  it('opens no new window, and only allow-listed https links in the browser', async () => {
    const { webContents } = openWindow();
    const open = (url: string) => webContents.windowOpenHandler!({ url });
    for (const url of [
      'https://evil.example/',
      'http://arxiv.org/abs/1908.09373',
      'file:///etc/passwd',
      'https://arxiv.org.evil.example/',
      'javascript:alert(1)'
    ]) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
    expect(open('https://arxiv.org/abs/1908.09373')).toEqual({ action: 'deny' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fakeElectronState().openedExternally).toEqual(['https://arxiv.org/abs/1908.09373']);
  });
});
