import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { selectBackend } from './selectBackend';

describe('selectBackend', () => {
  it('skips the native packages that are not installed and reports why', async () => {
    const choice = await selectBackend();
    // Native packages are optional: where they are absent the choice falls to wasm, with a reason for each skip.
    if (choice.candidate === 'wasm') {
      expect(choice.skipped.map((s) => s.candidate)).toEqual(['tfjs-node-gpu', 'tfjs-node']);
      for (const skip of choice.skipped) expect(skip.reason.length).toBeGreaterThan(0);
    }
    expect(tf.getBackend()).toBe(choice.backendName);
  });

  it('falls through to the next candidate when one fails', async () => {
    const choice = await selectBackend(['tfjs-node', 'cpu']);
    expect(['tfjs-node', 'cpu']).toContain(choice.candidate);
    if (choice.candidate === 'cpu') expect(choice.skipped[0]!.reason).toMatch(/MODULE_NOT_FOUND|Cannot find/);
  });
});
