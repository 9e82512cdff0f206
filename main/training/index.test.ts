import { describe, expect, it } from 'vitest';
import { createTrainer, selectBackend } from './index';

describe('createTrainer', () => {
  it('builds each model kind from one set of options', async () => {
    await selectBackend(['wasm']);
    for (const model of ['genseg', 'segmentation-only', 'ae-segmentation'] as const) {
      const trainer = createTrainer({ model, preset: 'tiny', height: 32, width: 32, channels: 1, seed: 1 });
      expect(trainer.kind).toBe(model);
      expect(trainer.inputShape).toEqual([32, 32, 1]);
      expect(trainer.stepCount).toBe(0);
      expect(Object.values(trainer.countParameters()).every((count) => count > 0)).toBe(true);
      trainer.dispose();
    }
  });
});
