/**
 * TensorFlow.js on WebGPU in plain Node (and Electron's utility process): Dawn's `webgpu` addon gives a `GPU` object,
 * tfjs-backend-webgpu runs on it. Any GPU with a Metal, Direct3D 12 or Vulkan driver works; no CUDA, no browser.
 *
 * What the backend package needs from its host, and how it gets it:
 * - `navigator.gpu` — its constructor throws without it. We define exactly that (the GPU object Dawn created), and no
 *   `window`, `document` or worker scope: nothing on the training path uses them (measured: a whole GenSeg step and
 *   every kernel test run with only `navigator.gpu`).
 * - The WebGPU constants (`GPUBufferUsage`, `GPUMapMode`, ...), which Dawn exports as `globals`: copied onto
 *   `globalThis` where missing.
 * - An adapter and a device: we request them ourselves (high-performance preference, one native API per platform)
 *   and register the backend with that device, instead of the package's own factory, so that the adapter is known
 *   before training starts and software adapters can be refused.
 *
 * Dawn is first asked in a child process (`webgpuProbe.ts`), so that what its native code writes to stderr never reaches
 * the user; it is loaded here only when that answer names an adapter that may train.
 *
 * Software adapters (SwiftShader, lavapipe, WARP) are refused unless asked for: a GenSeg step there is minutes of
 * shader compilation and a dispatch per millisecond. Tests ask for them (`allowSoftware`, or
 * GENSEG_WEBGPU_ALLOW_SOFTWARE=1 in the environment).
 */
import { tf } from '../tf';
import { dawnEnvironment, probeWebGpu, type DawnApi, type ProbedAdapterInfo } from './webgpuProbe';
import { registerWebGpuFusedKernels } from './webgpuFusedKernels';

const apiNames: Record<DawnApi, string> = { vulkan: 'Vulkan', metal: 'Metal', d3d12: 'Direct3D 12' };

export interface WebGpuAdapterDescription {
  /** The adapter's own name, e.g. "NVIDIA GeForce RTX 4070" or "SwiftShader Device (Subzero)". */
  name: string;
  /** The native API Dawn drives, e.g. "Vulkan". */
  api: string;
  vendor: string;
  /** A CPU rasteriser (SwiftShader, lavapipe, WARP), not a GPU. */
  software: boolean;
}

export interface WebGpuOptions {
  /** Accept a software adapter (tests). Default: GENSEG_WEBGPU_ALLOW_SOFTWARE=1 in the environment, else false. */
  allowSoftware?: boolean;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: object;
}

interface ActiveWebGpu {
  adapter: WebGpuAdapterDescription;
  device: GPUDevice;
}

let active: ActiveWebGpu | null = null;

/** Whether the environment allows a software adapter. */
export function softwareAdapterAllowedByEnvironment(): boolean {
  return process.env.GENSEG_WEBGPU_ALLOW_SOFTWARE === '1';
}

/** The adapter the webgpu backend runs on in this process, once activated. */
export function activeWebGpuAdapter(): WebGpuAdapterDescription | null {
  return active?.adapter ?? null;
}

/**
 * Finds a WebGPU adapter, registers tfjs's webgpu backend on it and makes it the active backend. Throws with the reason
 * when there is no usable adapter (none, or only a software one that was not allowed). Idempotent in a process: the
 * first device is kept (a second device would compile every pipeline again).
 */
export async function activateWebGpu(options: WebGpuOptions = {}): Promise<WebGpuAdapterDescription> {
  const allowSoftware = options.allowSoftware ?? softwareAdapterAllowedByEnvironment();
  if (active) {
    if (active.adapter.software && !allowSoftware) throw new Error(refusalOf(active.adapter));
    await setWebGpuBackend();
    return active.adapter;
  }
  // Asked in a child first: where no adapter may train (most machines without a GPU), Dawn never loads here.
  const probe = await probeWebGpu(platformApis(), allowSoftware);
  if (probe.loadFailure !== undefined) throw new Error(`the WebGPU library could not load: ${probe.loadFailure.split('\n')[0]}`);
  const names = parseAdapterNames(probe.listing);
  const reasons: string[] = [];
  const usable: DawnApi[] = [];
  for (const { api, info } of probe.adapters) {
    const description = info ? describeAdapter(info, api, names) : null;
    if (!description) reasons.push(`no ${apiNames[api]} adapter`);
    else if (description.software && !allowSoftware) reasons.push(refusalOf(description));
    else usable.push(api);
  }
  if (usable.length === 0) throw new Error(reasons.join('; ') || `WebGPU has no native API on ${process.platform}`);
  Object.assign(process.env, dawnEnvironment(allowSoftware));
  // The backend package registers its kernels on load, and its own backend factory only if navigator.gpu already
  // exists; ours replaces that factory below either way.
  const backendPackage = (await import('@tensorflow/tfjs-backend-webgpu')) as typeof import('@tensorflow/tfjs-backend-webgpu');
  const dawn = (await import('webgpu')) as unknown as DawnModule;
  installWebGpuGlobals(dawn.globals);
  for (const api of usable) {
    const gpu = dawn.create([`backend=${api}`]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
    if (!adapter) {
      reasons.push(`no ${apiNames[api]} adapter`);
      continue;
    }
    const description = describeAdapter(adapter.info, api, names);
    if (description.software && !allowSoftware) {
      reasons.push(refusalOf(description));
      continue;
    }
    const device = await adapter.requestDevice(deviceDescriptorFor(adapter));
    defineNavigatorGpu(gpu);
    active = { adapter: description, device };
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed') console.error(`The WebGPU device was lost: ${info.message}`);
    });
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    const adapterInfo = adapter.info;
    tf.registerBackend('webgpu', () => new backendPackage.WebGPUBackend(device, adapterInfo), 0);
    await setWebGpuBackend();
    // GenSeg's layers as WebGPU programs (one engine call per layer call, as on wasm and cpu).
    registerWebGpuFusedKernels();
    return description;
  }
  throw new Error(reasons.join('; ') || `WebGPU has no native API on ${process.platform}`);
}

/** "NVIDIA GeForce RTX 4070, WebGPU over Vulkan". */
export function describeWebGpu(adapter: WebGpuAdapterDescription): string {
  const base = `${adapter.name}, WebGPU over ${adapter.api}`;
  return adapter.software ? `${base} (software adapter, for tests)` : base;
}

function refusalOf(adapter: WebGpuAdapterDescription): string {
  return `only a software adapter (${adapter.name} over ${adapter.api}); set GENSEG_WEBGPU_ALLOW_SOFTWARE=1 to use it`;
}

async function setWebGpuBackend(): Promise<void> {
  if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') returned false");
  await tf.ready();
}

function platformApis(): DawnApi[] {
  if (process.platform === 'darwin') return ['metal'];
  if (process.platform === 'win32') return ['d3d12', 'vulkan'];
  return ['vulkan'];
}

function installWebGpuGlobals(globals: object): void {
  const target = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(globals)) if (!(name in target)) target[name] = value;
}

/** `navigator.gpu`, on Node's own navigator where it has one (Node ≥ 21), else on a navigator holding only it. */
function defineNavigatorGpu(gpu: GPU): void {
  const host = globalThis as { navigator?: object };
  if (host.navigator) Object.defineProperty(host.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}

/** The limits tfjs's own factory asks for: the adapter's maxima, so large convolutions fit. */
function deviceDescriptorFor(adapter: GPUAdapter): GPUDeviceDescriptor {
  const limits = adapter.limits;
  const requiredFeatures: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  return {
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup
    }
  };
}

const softwareNames = /swiftshader|llvmpipe|lavapipe|softpipe|basic render|\bwarp\b/i;

function describeAdapter(
  info: Pick<ProbedAdapterInfo, 'vendor' | 'architecture' | 'device' | 'description'> & { isFallbackAdapter?: boolean },
  api: DawnApi,
  names: { api: string; name: string }[]
): WebGpuAdapterDescription {
  // WebGPU normalises `info.device` ("nvidia-geforce-rtx-4070"); Dawn's adapter list has the name as the driver says it.
  const listed = names.filter((entry) => entry.api === api);
  const match =
    listed.find((entry) => normalise(entry.name) === normalise(info.device)) ?? (listed.length === 1 ? listed[0] : undefined);
  const name = match?.name ?? (info.device || info.description || info.vendor || 'unnamed adapter');
  const software =
    info.isFallbackAdapter === true || [name, info.device, info.description, info.architecture].some((text) => softwareNames.test(text));
  return { name, api: apiNames[api], vendor: info.vendor, software };
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Every adapter Dawn sees, with its API and full name. Dawn lists them in the error it gives when asked for an adapter
 * that does not exist (the documented way to list adapters in the `webgpu` package; the probe asks); an empty list if
 * that changes.
 */
function parseAdapterNames(listing: string): { api: string; name: string }[] {
  return [...listing.matchAll(/\* backend: '([^']+)', name: '(.*)'$/gm)].map((m) => ({ api: m[1]!, name: m[2]! }));
}
