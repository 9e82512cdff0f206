import { app, BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { appRendererUrl } from './appProtocol';
import { isAllowedExternalUrl } from './externalLinks';

/**
 * Where the renderer comes from: the built files over app:// (appProtocol.ts); the dev server named by
 * ELECTRON_RENDERER_URL only while developing, never in a packaged app, where an environment variable must not be able
 * to point the window (and its IPC bridge) at another page.
 */
export function rendererUrl(): string {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  return devServer && !app.isPackaged ? devServer : appRendererUrl;
}

export function isTrustedRendererUrl(url: string): boolean {
  try {
    const expected = new URL(rendererUrl());
    const actual = new URL(url);
    return (
      actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname
    );
  } catch {
    return false;
  }
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
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      spellcheck: false
    }
  });
  window.once('ready-to-show', () => window.show());
  // No navigation away from the app and no new windows; allow-listed links open in the user's browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadURL(rendererUrl());
  return window;
}
