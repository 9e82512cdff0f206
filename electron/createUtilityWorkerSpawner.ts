import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { SpawnWorker } from '../main/jobs';

/**
 * Starts the training process as an Electron utility process (a Node child that Chromium's process model manages):
 * a crash or out-of-memory there is reported through `exit` and never takes the window down.
 */
export function createUtilityWorkerSpawner(): SpawnWorker {
  return () => {
    const child = utilityProcess.fork(join(import.meta.dirname, 'jobWorker.js'), [], {
      serviceName: 'GenSeg training',
      stdio: 'inherit'
    });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(code, null)),
      kill: () => void child.kill(),
      get pid() {
        return child.pid;
      }
    };
  };
}
