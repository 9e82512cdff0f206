/**
 * The main build's worker threads, as the desktop app runs them: every worker a built module starts must sit beside it
 * (modules find theirs as `./<name>.js`: main/common/moduleWorker.ts), and the built training replica must start its
 * wasm backend and model in plain Node, outside the sources and tsx.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const outMain = join(import.meta.dirname, '..', '..', 'out', 'main');

describe('the built main bundle', () => {
  it('has every worker its modules start beside them', () => {
    const built = readdirSync(outMain).filter((name) => name.endsWith('.js'));
    const started = new Set<string>();
    for (const file of built) {
      const text = readFileSync(join(outMain, file), 'utf8');
      for (const match of text.matchAll(/startModuleWorker\(import\.meta\.url,\s*"(\w+)"/g)) started.add(match[1]!);
    }
    expect([...started].sort()).toEqual(['decodeWorker', 'replicaWorker']);
    for (const name of started) expect(built, `${name}.js`).toContain(`${name}.js`);
  });

  it('runs a training replica from the built worker file', async () => {
    const worker = new Worker(join(outMain, 'replicaWorker.js'));
    try {
      const reply = await new Promise<{ ok: boolean; value: { floats: number; variables: number } }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        const options = { model: 'segmentation-only', preset: 'tiny', height: 32, width: 32, channels: 1, seed: 1 };
        worker.postMessage({ id: 1, type: 'start', options, threads: 1 });
      });
      expect(reply.ok).toBe(true);
      expect(reply.value.floats).toBeGreaterThan(1000);
      expect(reply.value.variables).toBeGreaterThan(10);
    } finally {
      await worker.terminate();
    }
  });
});
