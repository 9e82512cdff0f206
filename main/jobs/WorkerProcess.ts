import { fork } from 'node:child_process';

/**
 * What the app needs of a job process, whichever way its host starts one. Messages cross the process boundary by
 * structured clone, untyped; the job's owner narrows them to its own protocol.
 */
export interface WorkerProcess {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
  readonly pid: number | undefined;
}

export type SpawnWorker = () => WorkerProcess;

/**
 * Starts a job process with child_process.fork (plain Node: the web host, the CLI, tests). The Electron host supplies
 * its own spawner built on utilityProcess. Structured-clone serialisation carries typed arrays as they are.
 */
export function createNodeWorkerSpawner(workerPath: string): SpawnWorker {
  return () => {
    const child = fork(workerPath, [], {
      execArgv: workerPath.endsWith('.ts') ? ['--import', 'tsx'] : [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    });
    return {
      send: (message) => {
        if (child.connected) child.send(message as object);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', listener),
      kill: (signal) => child.kill(signal),
      get pid() {
        return child.pid;
      }
    };
  };
}
