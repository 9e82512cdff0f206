/** `npm run serve`: the same app in a browser, on 127.0.0.1 with a per-launch token. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppCore } from '../app';
import { startWebHost } from './startWebHost';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, workspace: { type: 'string' }, renderer: { type: 'string' } }
});
const rendererFolder = resolve(values.renderer ?? 'out/renderer');
if (!existsSync(resolve(rendererFolder, 'index.html'))) {
  process.stderr.write(`The renderer is not built (${rendererFolder}/index.html is missing). Run \`npm run build\` first.\n`);
  process.exit(1);
}
const core = createAppCore(values.workspace ? { workspaceFolder: resolve(values.workspace) } : {});
const host = await startWebHost({ core, rendererFolder, port: Number(values.port) });
process.stdout.write(`GenSeg Workstation is running. Open this address in a browser:\n  ${host.url}\n`);
const stop = async () => {
  await host.close();
  await core.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
