import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { ParentMessage, WorkerMessage } from '../main/training/job/jobTypes';
import type { SpawnWorker } from '../main/training/job/WorkerProcess';

/**
 * Starts the training process as an Electron utility process (a Node child that Chromium's process model manages):
 * a crash or out-of-memory there is reported through `exit` and never takes the window down.
 */
export function createUtilityWorkerSpawner(): SpawnWorker {
  return () => {
    const child = utilityProcess.fork(join(import.meta.dirname, 'worker.js'), [], {
      serviceName: 'GenSeg training',
      stdio: 'inherit'
    });
    return {
      send: (message: ParentMessage) => child.postMessage(message),
      onMessage: (listener: (message: WorkerMessage) => void) =>
        child.on('message', (message) => listener(message as WorkerMessage)),
      onExit: (listener) => child.on('exit', (code) => listener(code, null)),
      kill: () => void child.kill(),
      get pid() {
        return child.pid;
      }
    };
  };
}
