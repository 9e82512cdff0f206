import { BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the renderer comes from: the dev server in development, the built files otherwise. */
export function rendererUrl(): string {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  return devServer ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
}

export function isTrustedRendererUrl(url: string): boolean {
  const expected = new URL(rendererUrl());
  const actual = new URL(url);
  return (
    actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname
  );
}

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#111418',
    title: 'GenSeg Workstation',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  });
  window.once('ready-to-show', () => window.show());
  // No navigation away from the app and no new windows; links to the web open in the user's browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadURL(rendererUrl());
  return window;
}
