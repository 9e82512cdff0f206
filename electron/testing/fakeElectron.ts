/**
 * A stand-in for the `electron` module, so the shell's code runs under plain Node in vitest: it records what the shell
 * asks of Electron (window options, handlers, schemes) and lets a test play the part of the page or of Chromium.
 * Use: `vi.mock('electron', async () => (await import('./testing/fakeElectron')).createFakeElectron())`, then
 * `fakeElectronState()` in the test.
 */
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((listener) => listener(...args));
  }
}

export class FakeWebContents extends FakeEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
}

export interface FakeSession {
  permissionRequestHandler?: (
    contents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details?: unknown
  ) => void;
  permissionCheckHandler?: (contents: unknown, permission: string, origin: string, details?: unknown) => boolean;
  headersListener?: (
    details: { responseHeaders?: Record<string, string[]> },
    callback: (response: unknown) => void
  ) => void;
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void;
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void;
  webRequest: { onHeadersReceived(listener: FakeSession['headersListener']): void };
}

function createFakeSession(): FakeSession {
  const session: FakeSession = {
    setPermissionRequestHandler: (handler) => void (session.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler) => void (session.permissionCheckHandler = handler),
    webRequest: { onHeadersReceived: (listener) => void (session.headersListener = listener) }
  };
  return session;
}

export interface FakeElectronState {
  windows: { options: Record<string, unknown>; webContents: FakeWebContents; loadedUrl?: string }[];
  ipcHandlers: Map<string, Listener>;
  exposed: Map<string, unknown>;
  invoked: { channel: string; args: unknown[] }[];
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  protocolHandlers: Map<string, (request: { url: string }) => Promise<Response> | Response>;
  fetched: string[];
  openedExternally: string[];
  app: { isPackaged: boolean };
  appEvents: FakeEmitter;
  /** Resolves app.whenReady(); resolved from the start. */
  ready: Promise<void>;
  documentsFolder: string;
  session: FakeSession;
}

let state: FakeElectronState;

export function fakeElectronState(): FakeElectronState {
  return state;
}

export function resetFakeElectron(): void {
  state = {
    windows: [],
    ipcHandlers: new Map(),
    exposed: new Map(),
    invoked: [],
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    fetched: [],
    openedExternally: [],
    app: { isPackaged: false },
    appEvents: new FakeEmitter(),
    ready: Promise.resolve(),
    documentsFolder: '/nonexistent',
    session: createFakeSession()
  };
}

resetFakeElectron();

export function createFakeElectron(): Record<string, unknown> {
  class BrowserWindow extends FakeEmitter {
    readonly webContents = new FakeWebContents();
    constructor(readonly options: Record<string, unknown>) {
      super();
      state.windows.push({ options, webContents: this.webContents });
    }
    static getAllWindows(): BrowserWindow[] {
      return [];
    }
    async loadURL(url: string): Promise<void> {
      state.windows.find((window) => window.webContents === this.webContents)!.loadedUrl = url;
    }
    show(): void {}
  }
  return {
    app: {
      get isPackaged() {
        return state.app.isPackaged;
      },
      on: (event: string, listener: Listener) => void state.appEvents.on(event, listener),
      whenReady: () => state.ready,
      requestSingleInstanceLock: () => true,
      getPath: () => state.documentsFolder,
      quit: vi.fn()
    },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: vi.fn() },
    dialog: { showOpenDialog: vi.fn(), showErrorBox: vi.fn() },
    utilityProcess: { fork: vi.fn() },
    BrowserWindow,
    shell: { openExternal: async (url: string) => void state.openedExternally.push(url) },
    ipcMain: {
      handle: (channel: string, handler: Listener) => {
        if (state.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
        state.ipcHandlers.set(channel, handler);
      },
      removeHandler: (channel: string) => void state.ipcHandlers.delete(channel)
    },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        state.invoked.push({ channel, args });
        return { ok: true, result: null };
      },
      on: vi.fn(),
      removeListener: vi.fn()
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void state.exposed.set(key, api) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: FakeElectronState['privilegedSchemes']) =>
        void state.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: { url: string }) => Promise<Response>) =>
        void state.protocolHandlers.set(scheme, handler)
    },
    net: {
      fetch: async (url: string) => {
        state.fetched.push(url);
        return new Response('file body', { status: 200, headers: { 'Content-Type': 'text/html' } });
      }
    },
    session: {
      get defaultSession() {
        return state.session;
      }
    }
  };
}
