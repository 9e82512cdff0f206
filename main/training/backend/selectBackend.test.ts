import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { selectBackend } from './selectBackend';

/** A loader that finds no optional package, as on a machine where tfjs-node and tfjs-node-gpu did not install. */
function requireNothing(name: string): never {
  throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
}

describe('selectBackend', () => {
  it('skips the native packages that are not installed, says why, and falls to wasm', async () => {
    const choice = await selectBackend(undefined, { requireOptional: requireNothing, wasmThreads: 1 });
    expect(choice.candidate).toBe('wasm');
    expect(choice.backendName).toBe('wasm');
    expect(choice.skipped.map((s) => s.candidate)).toEqual(['tfjs-node-gpu', 'tfjs-node']);
    for (const skip of choice.skipped) expect(skip.reason).toMatch(/^MODULE_NOT_FOUND: Cannot find module '@tensorflow\/tfjs-node/);
    expect(choice.description).toBe('CPU, 1 thread, WebAssembly');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('falls through to the next candidate when one fails', async () => {
    const choice = await selectBackend(['tfjs-node', 'cpu'], { requireOptional: requireNothing });
    expect(choice.candidate).toBe('cpu');
    expect(choice.skipped).toEqual([{ candidate: 'tfjs-node', reason: "MODULE_NOT_FOUND: Cannot find module '@tensorflow/tfjs-node'" }]);
    expect(choice.description).toBeUndefined();
    expect(tf.getBackend()).toBe('cpu');
  });
});
