import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { backendOrderFor, selectBackend } from './selectBackend';

/** A loader that finds no optional package, as on a machine where tfjs-node and tfjs-node-gpu did not install. */
function requireNothing(name: string): never {
  throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
}

describe('selectBackend', () => {
  it('skips the native packages that are not installed and a missing or software GPU, says why, and falls to wasm', async () => {
    const choice = await selectBackend({ requireOptional: requireNothing, wasmThreads: 1, allowSoftwareGpu: false });
    expect(choice.candidate).toBe('wasm');
    expect(choice.backendName).toBe('wasm');
    expect(choice.skipped.map((s) => s.candidate)).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node']);
    expect(choice.skipped[0]!.reason).toMatch(/^MODULE_NOT_FOUND: Cannot find module '@tensorflow\/tfjs-node-gpu'/);
    expect(choice.skipped[2]!.reason).toMatch(/^MODULE_NOT_FOUND: Cannot find module '@tensorflow\/tfjs-node'/);
    expect(choice.skipped[1]!.reason.length).toBeGreaterThan(0);
    expect(choice.description).toBe('CPU, 1 thread, WebAssembly');
    expect(choice.gpu).toBe(false);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('falls through to the next candidate when one fails', async () => {
    const choice = await selectBackend({ order: ['tfjs-node', 'cpu'], requireOptional: requireNothing });
    expect(choice.candidate).toBe('cpu');
    expect(choice.skipped).toEqual([{ candidate: 'tfjs-node', reason: "MODULE_NOT_FOUND: Cannot find module '@tensorflow/tfjs-node'" }]);
    expect(choice.description).toBe('CPU, 1 thread, plain JavaScript (slow)');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('tries GPUs first, then the CPU; a device choice keeps to its own kind', async () => {
    expect(backendOrderFor('auto')).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(backendOrderFor('gpu')).toEqual(['tfjs-node-gpu', 'webgpu']);
    expect(backendOrderFor('cpu')).toEqual(['tfjs-node', 'wasm', 'cpu']);
    const cpu = await selectBackend({ device: 'cpu', requireOptional: requireNothing, wasmThreads: 1 });
    expect(cpu.gpu).toBe(false);
    expect(cpu.skipped.map((s) => s.candidate)).toEqual(['tfjs-node']);
  });

  it('says which GPUs it tried when a GPU was asked for and none can train', async () => {
    const outcome = await selectBackend({ device: 'gpu', allowSoftwareGpu: false, requireOptional: requireNothing }).catch(
      (error: Error) => error
    );
    // With a hardware WebGPU adapter this picks it instead; without one it refuses with both reasons.
    if (outcome instanceof Error) expect(outcome.message).toMatch(/^no GPU backend could start: tfjs-node-gpu: MODULE_NOT_FOUND.*; webgpu: /);
    else expect(outcome).toMatchObject({ candidate: 'webgpu', gpu: true });
  });
});
