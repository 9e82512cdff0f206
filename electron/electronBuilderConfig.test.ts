/** Issue 15, finding 5: the packaged app's Electron fuses, read from electron-builder.yml as electron-builder reads it. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// js-yaml is what electron-builder itself parses its configuration with.
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const config = load(readFileSync(resolve(import.meta.dirname, '..', 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;

describe('electron-builder configuration', () => {
  it('flips the fuses: no run-as-node, no NODE_OPTIONS or inspector, app only from a validated asar, no file:// privileges', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false
    });
    expect(config.asar).toBe(true);
  });
});
