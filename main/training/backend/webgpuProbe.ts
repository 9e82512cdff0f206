/**
 * Which WebGPU adapters this machine has, asked in a child process. Loading Dawn and asking for adapters makes native
 * code write to the process's stderr: Mesa's Vulkan device-select layer ("error: XDG_RUNTIME_DIR is invalid or not
 * set in the environment."), the Vulkan loader, and Dawn about every device it cannot use ("Warning: Vulkan
 * shaderUniform*ArrayDynamicIndexing required. - While initializing adapter ..."). Nothing in JavaScript can hold
 * those lines back in the process that writes them, so the first look happens in a process of its own whose stderr is
 * captured: it is shown only when the probe itself fails (its last line becomes part of the reason), never when it
 * answers. Only when the answer names an adapter that may train is Dawn loaded in the training process, with
 * `dawnEnvironment` set first so that the known sources stay quiet there too.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Dawn's names for the native APIs. */
export type DawnApi = 'vulkan' | 'metal' | 'd3d12';

/** What the adapter says of itself (GPUAdapterInfo, as plain data that crosses a process boundary). */
export interface ProbedAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

export interface WebGpuProbe {
  /** Per native API asked for, in that order: the high-performance adapter, or null when there is none. */
  adapters: { api: DawnApi; info: ProbedAdapterInfo | null }[];
  /** Dawn's list of every adapter (the error text that lists them); empty when no adapter was found. */
  listing: string;
  /** Why the `webgpu` package could not load (no Vulkan loader, no build for this platform); absent when it loaded. */
  loadFailure?: string;
}

const answerMarker = 'GENSEG-WEBGPU-PROBE ';
const probeTimeoutMs = 60_000;

/**
 * The child's program: plain JavaScript (no build step, no tsx), so that the same text runs under Node, tsx and
 * Electron's utility process (as Node, with ELECTRON_RUN_AS_NODE). It answers on stdout after a marker and exits at
 * once (a live Dawn instance would keep it running).
 */
const probeProgram = `
const { webgpu, apis } = JSON.parse(process.env.GENSEG_WEBGPU_PROBE);
const answer = { adapters: [], listing: '' };
const messageOf = (error) => (error instanceof Error ? error.message : String(error));
let dawn = null;
try {
  dawn = await import(webgpu);
} catch (error) {
  answer.loadFailure = messageOf(error);
}
for (const api of dawn ? apis : []) {
  let info = null;
  try {
    const adapter = await dawn.create(['backend=' + api]).requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) {
      const i = adapter.info;
      info = { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter === true };
    }
  } catch {}
  answer.adapters.push({ api, info });
}
if (answer.adapters.some((entry) => entry.info)) {
  try {
    await dawn.create(['adapter=genseg-workstation-lists-adapters']).requestAdapter();
  } catch (error) {
    answer.listing = messageOf(error);
  }
}
process.stdout.write('\\n${answerMarker}' + JSON.stringify(answer) + '\\n', () => process.exit(0));
`;

/** One answer per process and setting: the adapters do not change while it runs. */
const probed = new Map<string, Promise<WebGpuProbe>>();

/**
 * Asks a child process for the adapters of `apis`. Rejects with the reason, in words, when the child gives no answer:
 * it crashed, timed out or could not load Dawn.
 */
export function probeWebGpu(apis: DawnApi[], allowSoftware: boolean): Promise<WebGpuProbe> {
  const key = JSON.stringify([apis, allowSoftware]);
  let answer = probed.get(key);
  if (!answer) {
    answer = runProbe(apis, allowSoftware);
    probed.set(key, answer);
  }
  return answer;
}

function runProbe(apis: DawnApi[], allowSoftware: boolean): Promise<WebGpuProbe> {
  const webgpu = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', probeProgram], {
      env: {
        ...process.env,
        ...dawnEnvironment(allowSoftware),
        GENSEG_WEBGPU_PROBE: JSON.stringify({ webgpu, apis }),
        ELECTRON_RUN_AS_NODE: '1'
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), probeTimeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`the WebGPU check could not start (${error.message})`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((entry) => entry.startsWith(answerMarker));
      if (line) {
        resolve(JSON.parse(line.slice(answerMarker.length)) as WebGpuProbe);
        return;
      }
      // Only now does what the native code wrote matter: its last line says why the check failed.
      const lastLine = stderr.trim().split('\n').at(-1)?.trim();
      const how = signal === 'SIGKILL' ? `did not answer within ${probeTimeoutMs / 1000} s` : `stopped without an answer (${signal ?? `exit code ${code}`})`;
      reject(new Error(`the WebGPU check ${how}${lastLine ? `: ${lastLine}` : ''}`));
    });
  });
}

/**
 * Environment for Dawn, set before it loads (in the probe and in the training process), on Linux only and never over
 * what the user set: Mesa's device-select layer off (it only orders devices, which Dawn does itself, and it is what
 * asks for XDG_RUNTIME_DIR); and while software adapters are refused, lavapipe's driver left out, so that the Vulkan
 * loader does not offer Dawn a device it would refuse anyway, with a warning, on every start.
 */
export function dawnEnvironment(allowSoftware: boolean): Record<string, string> {
  if (process.platform !== 'linux') return {};
  const environment: Record<string, string> = {};
  if (process.env.NODEVICE_SELECT === undefined) environment.NODEVICE_SELECT = '1';
  const driversNamed = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES', 'VK_LOADER_DRIVERS_SELECT', 'VK_LOADER_DRIVERS_DISABLE'].some(
    (name) => process.env[name] !== undefined
  );
  if (!allowSoftware && !driversNamed) environment.VK_LOADER_DRIVERS_DISABLE = '*lvp_icd*';
  return environment;
}
