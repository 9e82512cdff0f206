import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ParentMessage, WorkerMessage } from './jobTypes';

/** What the app needs of a training process, whichever way its host starts one. */
export interface WorkerProcess {
  send(message: ParentMessage): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
  readonly pid: number | undefined;
}

export type SpawnWorker = () => WorkerProcess;

/**
 * Starts the training process with child_process.fork (plain Node: the web host, the CLI, tests). The Electron host
 * supplies its own spawner built on utilityProcess. Structured-clone serialisation carries typed arrays as they are.
 */
export function createNodeWorkerSpawner(
  workerPath = fileURLToPath(new URL('../worker.ts', import.meta.url))
): SpawnWorker {
  return () => {
    const child = fork(workerPath, [], {
      execArgv: workerPath.endsWith('.ts') ? ['--import', 'tsx'] : [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    });
    return {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as WorkerMessage)),
      onExit: (listener) => child.on('exit', listener),
      kill: (signal) => child.kill(signal),
      get pid() {
        return child.pid;
      }
    };
  };
}
