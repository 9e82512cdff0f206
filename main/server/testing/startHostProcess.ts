/**
 * Runs the web host as `npm run serve` does, in its own process, so a test can tell whether something it sent killed
 * the host (an in-process host would take the test runner down with it, or hide the crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface HostProcess {
  child: ChildProcess;
  port: number;
  token: string;
  /** Everything the host wrote to stderr. */
  stderr(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startHostProcess(folder: string): Promise<HostProcess> {
  const renderer = join(folder, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>GenSeg</title>');
  const serve = resolve(import.meta.dirname, '..', 'serve.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', serve, '--port', '0', '--workspace', join(folder, 'workspace'), '--renderer', renderer],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<URL>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolvePromise(new URL(match[0]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (${code}) before it started: ${stderr}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    port: Number(url.port),
    token: url.searchParams.get('token')!,
    stderr: () => stderr,
    alive,
    stop: async () => {
      if (!alive()) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
}
