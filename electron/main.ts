/**
 * The desktop shell: lifecycle, single instance, the window, menu, dialogs and IPC. Everything else is the same core
 * that the web host and the CLI run (main/).
 */
import { app, BrowserWindow, dialog, session } from 'electron';
import { join } from 'node:path';
import { createAppCore, type AppCore } from '../main/app';
import { registerAppScheme, serveRendererOverAppProtocol } from './appProtocol';
import { createApplicationMenu } from './createApplicationMenu';
import { createUtilityWorkerSpawner } from './createUtilityWorkerSpawner';
import { createMainWindow, isTrustedRendererUrl } from './createMainWindow';
import { guardWebContents, hardenSession } from './hardenSession';
import { channelOfEvent } from '../main/contract/names';
import { registerIpc } from './registerIpc';

// Before the app is ready, or Chromium does not treat app:// as a standard, secure scheme.
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: AppCore | undefined;

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, isTrustedRendererUrl));

  void app.whenReady().then(() => {
    core = createAppCore({
      workspaceFolder: process.env.GENSEG_WORKSPACE ?? join(app.getPath('documents'), 'GenSegWorkstation'),
      spawnWorker: createUtilityWorkerSpawner()
    });
    const activeCore = core;
    hardenSession(session.defaultSession);
    serveRendererOverAppProtocol(join(import.meta.dirname, '../renderer'));
    registerIpc(activeCore, isTrustedRendererUrl);
    activeCore.events.subscribe((name, payload) => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(channelOfEvent(name), payload);
    });
    createApplicationMenu({
      openProjectFolder: async () => {
        const choice = await dialog.showOpenDialog({
          title: 'Open a GenSeg project folder',
          properties: ['openDirectory']
        });
        const folder = choice.filePaths[0];
        if (choice.canceled || !folder) return;
        try {
          await activeCore.workspace.addExistingProject(folder);
          activeCore.events.emit('onDidChangeProjects', {});
        } catch (error) {
          dialog.showErrorBox('Cannot open this folder', error instanceof Error ? error.message : String(error));
        }
      }
    });
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    void core?.close();
  });
}
