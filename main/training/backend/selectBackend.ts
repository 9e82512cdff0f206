/**
 * Chooses the fastest TensorFlow.js backend this machine can run, in the order CUDA GPU (tfjs-node-gpu), any other GPU
 * (WebGPU on a hardware adapter), native CPU (tfjs-node), wasm (every core but one), plain JS cpu, and says why each
 * faster one was skipped. The model code is the same on all of them. The user may ask for a GPU or the CPU only.
 */
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import type { DeviceChoice } from '../../contract';
import { tf } from '../tf';
import { registerConv2dBackpropFilterKernel } from './conv2dBackpropFilterKernel';
import { registerConv2dBackpropInputKernel } from './conv2dBackpropInputKernel';
import { registerAliasingIdentityKernel } from './aliasingIdentityKernel';
import { registerCopyKernels } from './copyKernels';
import { registerFusedLayerKernels } from './fusedLayerKernels';
import { chooseWasmThreadCount, describeWasmBackend, getWasmThreadCount, startWasmBackend } from './wasmThreads';
import { activateWebGpu, describeWebGpu } from './webgpuBackend';

export type BackendCandidate = 'tfjs-node-gpu' | 'webgpu' | 'tfjs-node' | 'wasm' | 'cpu';
export type { DeviceChoice };

export interface BackendChoice {
  /** The candidate that was chosen. */
  candidate: BackendCandidate;
  /** The tfjs backend name now active (`tensorflow`, `webgpu`, `wasm` or `cpu`). */
  backendName: string;
  /** What trains, for people: "NVIDIA GeForce RTX 4070, WebGPU over Vulkan", "CPU, 2 threads, WebAssembly". */
  description: string;
  /** It runs on a GPU. */
  gpu: boolean;
  /** Faster candidates that were tried and why each was skipped. */
  skipped: { candidate: BackendCandidate; reason: string }[];
}

export interface SelectBackendOptions {
  /** Default 'auto'. */
  device?: DeviceChoice;
  /** Overrides the order the device choice gives (tests, benches). */
  order?: readonly BackendCandidate[];
  /** Accept a software WebGPU adapter (SwiftShader, lavapipe): tests only. Default: GENSEG_WEBGPU_ALLOW_SOFTWARE=1. */
  allowSoftwareGpu?: boolean;
  /** Loads an optional native package by name; tests pass one that finds none. */
  requireOptional?: (name: string) => unknown;
  /** Threads of the wasm backend (default: chooseWasmThreadCount()). */
  wasmThreads?: number;
}

export const gpuBackendOrder: readonly BackendCandidate[] = ['tfjs-node-gpu', 'webgpu'];
export const cpuBackendOrder: readonly BackendCandidate[] = ['tfjs-node', 'wasm', 'cpu'];
export const defaultBackendOrder: readonly BackendCandidate[] = [...gpuBackendOrder, ...cpuBackendOrder];

/** The candidates a device choice tries, fastest first. */
export function backendOrderFor(device: DeviceChoice): readonly BackendCandidate[] {
  return device === 'gpu' ? gpuBackendOrder : device === 'cpu' ? cpuBackendOrder : defaultBackendOrder;
}

const requireOptional = createRequire(import.meta.url);
let wasmKernelsReplaced = false;

/** Tries each candidate in order and activates the first that initialises. */
export async function selectBackend(
  options: SelectBackendOptions | readonly BackendCandidate[] = {}
): Promise<BackendChoice> {
  const settings: SelectBackendOptions = isOrder(options) ? { order: options } : options;
  const order = settings.order ?? backendOrderFor(settings.device ?? 'auto');
  const skipped: BackendChoice['skipped'] = [];
  for (const candidate of order) {
    try {
      const active = await activateCandidate(candidate, settings);
      return { candidate, ...active, skipped };
    } catch (error) {
      skipped.push({ candidate, reason: describeError(error) });
    }
  }
  const what = settings.device === 'gpu' ? 'no GPU backend could start' : 'no TensorFlow.js backend could start';
  throw new Error(`${what}: ${skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ')}`);
}

function isOrder(value: SelectBackendOptions | readonly BackendCandidate[]): value is readonly BackendCandidate[] {
  return Array.isArray(value);
}

/** Activates one candidate (throws if it cannot start) and returns the tfjs backend name. */
export async function activateBackend(candidate: BackendCandidate, options: SelectBackendOptions = {}): Promise<string> {
  return (await activateCandidate(candidate, options)).backendName;
}

async function activateCandidate(
  candidate: BackendCandidate,
  options: SelectBackendOptions
): Promise<Pick<BackendChoice, 'backendName' | 'description' | 'gpu'>> {
  if (candidate === 'webgpu') {
    const adapter = await activateWebGpu(
      options.allowSoftwareGpu === undefined ? {} : { allowSoftware: options.allowSoftwareGpu }
    );
    return { backendName: 'webgpu', description: describeWebGpu(adapter), gpu: !adapter.software };
  }
  const backendName = await activateLibrary(candidate, options);
  return { backendName, description: describeLibrary(candidate), gpu: candidate === 'tfjs-node-gpu' };
}

async function activateLibrary(candidate: Exclude<BackendCandidate, 'webgpu'>, options: SelectBackendOptions): Promise<string> {
  if (candidate === 'tfjs-node-gpu' || candidate === 'tfjs-node') {
    // Optional native packages: absent on most machines, so they are loaded by name at run time, never imported.
    (options.requireOptional ?? requireOptional)(`@tensorflow/${candidate}`);
    await setBackendOrThrow('tensorflow');
    return 'tensorflow';
  }
  if (candidate === 'wasm') {
    await startWasmBackend(chooseWasmThreadCount({ requested: options.wasmThreads }));
    registerConv2dBackpropFilterKernel('wasm');
    if (!wasmKernelsReplaced) {
      registerConv2dBackpropInputKernel('wasm');
      registerAliasingIdentityKernel('wasm');
      registerCopyKernels('wasm');
    }
    wasmKernelsReplaced = true;
    registerFusedLayerKernels('wasm');
    return 'wasm';
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await setBackendOrThrow('cpu');
  registerFusedLayerKernels('cpu');
  return 'cpu';
}

/** "CPU, 8 threads, WebAssembly" and the like, for the libraries whose device has no name of its own. */
function describeLibrary(candidate: Exclude<BackendCandidate, 'webgpu'>): string {
  if (candidate === 'tfjs-node-gpu') return 'CUDA GPU, TensorFlow native';
  if (candidate === 'tfjs-node') return `CPU, ${plural(cpus().length, 'core')}, TensorFlow native`;
  if (candidate === 'wasm') return describeWasmBackend(getWasmThreadCount() ?? 1);
  return 'CPU, 1 thread, plain JavaScript (slow)';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

async function setBackendOrThrow(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const firstLine = error.message.split('\n')[0] ?? '';
    return code ? `${code}: ${firstLine}` : firstLine;
  }
  return String(error);
}
