import { describe, expect, it } from 'vitest';
import { createApiDispatcher } from './createApiDispatcher';
import type { ApiHandlers } from './createApiHandlers';

const handlers = {
  getAppInfo: async () => ({ name: 'GenSeg Workstation', version: '0', host: 'web', platform: 'linux' })
} as unknown as ApiHandlers;
const logger = { info: () => {}, error: () => {} };

describe('createApiDispatcher', () => {
  it('refuses any name that is not a call of the contract, whatever its type, without throwing', async () => {
    const dispatch = createApiDispatcher(handlers, logger);
    const names: unknown[] = [
      { toString: 1 },
      { toString: null, valueOf: null },
      Object.create(null),
      Symbol('x'),
      12n,
      null,
      'toString',
      '__proto__'
    ];
    for (const name of names) {
      await expect(dispatch(name, {}, { host: 'web' })).resolves.toMatchObject({
        ok: false,
        error: { code: 'unknown-call' }
      });
    }
    await expect(dispatch('getAppInfo', {}, { host: 'web' })).resolves.toMatchObject({ ok: true });
  });
});
