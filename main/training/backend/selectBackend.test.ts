import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { backendOrderFor, selectBackend } from './selectBackend';

describe('selectBackend', () => {
  it('skips the backends that cannot start here and reports why', async () => {
    const choice = await selectBackend();
    // Native packages are optional and this machine has no GPU: the choice falls to wasm, with a reason for each skip
    // (WebGPU: no adapter, or only a software one, which is never chosen by default).
    if (choice.candidate === 'wasm') {
      expect(choice.skipped.map((s) => s.candidate)).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node']);
      for (const skip of choice.skipped) expect(skip.reason.length).toBeGreaterThan(0);
      expect(choice.description).toMatch(/^CPU, \d+ threads?, WebAssembly$/);
      expect(choice.gpu).toBe(false);
    }
    expect(tf.getBackend()).toBe(choice.backendName);
  });

  it('falls through to the next candidate when one fails', async () => {
    const choice = await selectBackend(['tfjs-node', 'cpu']);
    expect(['tfjs-node', 'cpu']).toContain(choice.candidate);
    if (choice.candidate === 'cpu') expect(choice.skipped[0]!.reason).toMatch(/MODULE_NOT_FOUND|Cannot find/);
  });

  it('tries GPUs first, then the CPU; a device choice keeps to its own kind', async () => {
    expect(backendOrderFor('auto')).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(backendOrderFor('gpu')).toEqual(['tfjs-node-gpu', 'webgpu']);
    expect(backendOrderFor('cpu')).toEqual(['tfjs-node', 'wasm', 'cpu']);
    const cpu = await selectBackend({ device: 'cpu' });
    expect(cpu.gpu).toBe(false);
    expect(cpu.skipped.map((s) => s.candidate)).not.toContain('webgpu');
  });

  it('says which GPUs it tried when a GPU was asked for and none can train', async () => {
    // With a GPU (CUDA or a hardware WebGPU adapter) this picks it instead; here it refuses with both reasons.
    const outcome = await selectBackend({ device: 'gpu', allowSoftwareGpu: false }).catch((error: Error) => error);
    if (outcome instanceof Error) expect(outcome.message).toMatch(/^no GPU backend could start: tfjs-node-gpu: .*; webgpu: /);
    else expect(outcome.gpu).toBe(true);
  });
});
