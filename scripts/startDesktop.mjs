// `npm start`: fetch the Electron binary on first run (Electron 42+ has no install step), then build and open the
// desktop window. Where the binary cannot be fetched, say so in one line and point to the browser version.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronFolder = dirname(require.resolve('electron/package.json'));
const install = spawnSync(process.execPath, [join(electronFolder, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'] });
let electronPath;
try {
  electronPath = install.status === 0 ? require('electron') : undefined;
} catch {
  electronPath = undefined;
}
if (!electronPath) {
  console.error(
    'The desktop window is unavailable on this machine (the Electron binary could not be downloaded); run `npm run serve` to open the same app in a browser.'
  );
  process.exit(1);
}
const result = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'preview', ...process.argv.slice(2)], {
  stdio: 'inherit'
});
process.exit(result.status ?? 1);
