/**
 * Issue 15, finding 5: the desktop shell's start, against a fake `electron` module: which scheme serves the page, what
 * the session allows, and what the app protocol serves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeElectronState, FakeWebContents } from './testing/fakeElectron';

vi.mock('electron', async () => (await import('./testing/fakeElectron')).createFakeElectron());

let folder: string;
const savedWorkspace = process.env.GENSEG_WORKSPACE;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-shell-'));
  process.env.GENSEG_WORKSPACE = join(folder, 'workspace');
  fakeElectronState().app.isPackaged = true;
  await import('./main');
  // main.ts continues once app.whenReady() resolves.
  await new Promise((resolve) => setTimeout(resolve, 50));
});

afterAll(async () => {
  fakeElectronState().appEvents.emit('will-quit');
  await new Promise((resolve) => setTimeout(resolve, 200));
  if (savedWorkspace === undefined) delete process.env.GENSEG_WORKSPACE;
  else process.env.GENSEG_WORKSPACE = savedWorkspace;
  rmSync(folder, { recursive: true, force: true });
});

describe('the desktop shell', () => {
  it('opens its window on app://renderer/index.html', () => {
    expect(fakeElectronState().windows.map((window) => window.loadedUrl)).toEqual(['app://renderer/index.html']);
  });

  it('registers app:// as a standard, secure scheme before the app is ready, and serves it', () => {
    expect(fakeElectronState().privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) }
    ]);
    expect([...fakeElectronState().protocolHandlers.keys()]).toEqual(['app']);
  });

  it('refuses every permission, both when the page asks and when Chromium checks', () => {
    const session = fakeElectronState().session;
    const granted: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      session.permissionRequestHandler!({}, permission, (answer) => granted.push(answer));
      expect(session.permissionCheckHandler, 'a permission check handler').toBeDefined();
      granted.push(session.permissionCheckHandler!({}, permission, 'app://renderer'));
    }
    expect(granted.every((answer) => answer === false)).toBe(true);
  });

  it('blocks webviews, new windows and navigation in every web contents the app creates', () => {
    const contents = new FakeWebContents();
    fakeElectronState().appEvents.emit('web-contents-created', {}, contents);
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const navigate = { preventDefault: vi.fn() };
    contents.emit('will-navigate', navigate, 'https://evil.example/');
    expect(navigate.preventDefault).toHaveBeenCalled();
  });

  it('serves app:// from the renderer folder only, with the content security policy', async () => {
    const handler = fakeElectronState().protocolHandlers.get('app')!;
    const page = await handler({ url: 'app://renderer/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toMatch(/default-src 'self'/);
    const rendererFolder = pathToFileURL(resolve(import.meta.dirname, '..', 'renderer')).toString();
    expect(fakeElectronState().fetched).toEqual([`${rendererFolder}/index.html`]);
    for (const url of [
      'app://renderer/..%2f..%2fpackage.json',
      'app://renderer/%2e%2e%2f%2e%2e%2fetc/passwd',
      'app://other/index.html',
      'app://renderer/%zz'
    ]) {
      expect((await handler({ url })).status, url).toBe(404);
    }
    // Dot segments the URL parser itself removes stay inside the folder.
    await handler({ url: 'app://renderer/%2e%2e/%2e%2e/etc/passwd' });
    for (const fetched of fakeElectronState().fetched)
      expect(fetched.startsWith(`${rendererFolder}/`), fetched).toBe(true);
  });
});
