/**
 * The WebGPU backend, tested on a software adapter (SwiftShader's Vulkan driver, installed with Debian's chromium):
 * every kernel the three models use, forward and gradient, against the cpu backend; a GenSeg step against wasm;
 * checkpoints crossing between WebGPU and wasm; a training job that ends in a model version and proposals.
 *
 * SwiftShader compiles every pipeline on the CPU (about 0.1-0.3 s each) and runs a dispatch per millisecond or so, so
 * everything here shares one backend and one pipeline cache, at one small geometry (32×32, batch 2, tiny preset): the
 * kernel replay compiles what the steps and the job then reuse.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../../app';
import type { CallInput, CallName, CallResult } from '../../contract';
import { createTrainer } from '../createTrainer';
import { createLesionProject } from '../testing/createLesionProject';
import { inProcessJobs } from '../testing/inProcessJobs';
import {
  inputValuesFor,
  recordKernelCalls,
  relativeError,
  runKernelCall,
  tensorsFor,
  type KernelCall
} from '../testing/kernelCalls';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import { tf, type Tensor } from '../tf';
import type { Checkpoint, TrainingBatch } from '../trainingTypes';
import { enableFusedKernels } from './fusedLayerKernels';
import { activateBackend, selectBackend } from './selectBackend';

const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftShaderIcd)) process.env.VK_ICD_FILENAMES = swiftShaderIcd;
if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = tmpdir();
/** Linux without SwiftShader or another Vulkan driver named: nothing to test on (CI installs chromium, so it has one). */
const runnable = process.platform !== 'linux' || Boolean(process.env.VK_ICD_FILENAMES);

const geometry = { height: 32, width: 32, channels: 1 };
const models = ['genseg', 'segmentation-only', 'ae-segmentation'] as const;
/**
 * Kernels whose registered gradients the models never use: layers/padding.ts and layers/resampling.ts run their
 * forwards with exact gradients of their own (tfjs's are wrong: caught by layers/gradientCheck.test.ts), made of
 * kernels that are themselves in the recorded list. Their registered gradients also differ between backends
 * (ResizeNearestNeighborGrad: webgpu and cpu disagree by O(1)), which does not matter here.
 */
const kernelsWithOwnGradients = new Set(['MirrorPad', 'ResizeNearestNeighbor']);
/** Kernel outputs: relative error (max |Δ| / max |expected|) allowed against the cpu backend. */
const kernelTolerance = 1e-4;
/** Step losses: relative difference allowed between WebGPU and wasm (measured: about 1e-6). */
const stepTolerance = 1e-4;

interface WebGpuInternals {
  bufferManager: { getNumUsedBuffers(): number };
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  submitQueue(): void;
}

function batchOf(seed: number): TrainingBatch {
  return createSyntheticBatch({ count: 2, ...geometry, labelled: [true, false], seed });
}

/**
 * Every distinct kernel call of a training step (GenSeg: joint and segmentation steps) and a prediction, per model,
 * on the composed-op path that WebGPU runs (wasm and cpu have fused layer kernels of their own, fusedLayerKernels.ts).
 */
async function recordModelKernels(): Promise<KernelCall[]> {
  const calls = new Map<string, KernelCall>();
  const fused = enableFusedKernels(false);
  try {
    for (const model of models) {
      const trainer = createTrainer({ model, preset: 'tiny', ...geometry, seed: 1 });
      const batch = batchOf(2);
      const recorded = await recordKernelCalls(async () => {
        await trainer.trainStep(batch);
        if (model === 'genseg') await trainer.trainStep(batch, { kind: 'segmentation' });
        await trainer.predict(batch.imagesA);
      });
      for (const call of recorded) calls.set(call.key, call);
      trainer.dispose();
    }
  } finally {
    enableFusedKernels(fused);
  }
  return [...calls.values()];
}

async function outputsOn(
  backend: string,
  run: () => Tensor[]
): Promise<{ values: Float32Array[]; shapes: number[][]; dtypes: string[] }> {
  await tf.setBackend(backend);
  const tensors = tf.tidy(run);
  const values = (await Promise.all(tensors.map((tensor) => tensor.data()))).map((data) => Float32Array.from(data));
  const shapes = tensors.map((tensor) => tensor.shape);
  const dtypes = tensors.map((tensor) => tensor.dtype);
  tf.dispose(tensors);
  return { values, shapes, dtypes };
}

/** Runs `calls` on cpu and on webgpu with the same inputs; the worst relative error per call. */
async function compareKernels(calls: KernelCall[]): Promise<{ call: KernelCall; error: number }[]> {
  const results: { call: KernelCall; error: number }[] = [];
  const inputs = calls.map((call, index) => inputValuesFor(call, index));
  const runAll = () => calls.flatMap((call, index) => runKernelCall(call, tensorsFor(call, inputs[index]!)));
  const expected = await outputsOn('cpu', runAll);
  const actual = await outputsOn('webgpu', runAll);
  let output = 0;
  for (const call of calls) {
    const count = runKernelCallOutputs(call);
    let error = 0;
    for (let k = 0; k < count; k++, output++) {
      error = Math.max(error, relativeError(actual.values[output]!, expected.values[output]!));
      if (actual.shapes[output]!.join() !== expected.shapes[output]!.join()) error = Number.NaN;
    }
    results.push({ call, error });
  }
  return results;
}

/** How many tensors a kernel returns: SplitV one per part, everything the models use otherwise one. */
function runKernelCallOutputs(call: KernelCall): number {
  if (call.name !== 'SplitV') return 1;
  const splits = call.attrs.numOrSizeSplits;
  return Array.isArray(splits) ? splits.length : Number(splits);
}

/**
 * The gradient of Σ w·kernel(inputs) with respect to every float input, w fixed random weights: what backprop asks of
 * the kernel's registered gradient, run on the active backend.
 */
function vectorJacobianProducts(call: KernelCall, values: Float32Array[], weights: Float32Array[], shapes: number[][]): Tensor[] {
  const inputs = tensorsFor(call, values);
  const floatNames = call.inputs.filter((spec) => spec.dtype === 'float32').map((spec) => spec.name);
  const loss = (...xs: Tensor[]): Tensor => {
    const given = { ...inputs };
    floatNames.forEach((name, index) => (given[name] = xs[index]!));
    const outputs = runKernelCall(call, given);
    return tf.addN(outputs.map((out, index) => tf.sum(tf.mul(out, tf.tensor(weights[index]!, shapes[index]!)))));
  };
  return tf.grads(loss)(floatNames.map((name) => inputs[name]!));
}

function describeCall(call: KernelCall): string {
  return `${call.name}(${call.inputs.map((spec) => `${spec.name}: ${spec.dtype}[${spec.shape.join('×')}]`).join(', ')}) ${JSON.stringify(call.attrs)}`;
}

/** Relative difference per loss term. */
function lossDifferences(actual: Record<string, number>, expected: Record<string, number>): Record<string, number> {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  return Object.fromEntries(
    Object.entries(expected).map(([name, value]) => [name, Math.abs(actual[name]! - value) / Math.max(Math.abs(value), 1e-3)])
  );
}

function storeAndReload(checkpoint: Checkpoint): Checkpoint {
  return { manifest: JSON.parse(JSON.stringify(checkpoint.manifest)), data: checkpoint.data.slice(0) };
}

function uploadVariables(): void {
  const backend = tf.backend() as unknown as WebGpuInternals;
  for (const variable of Object.values(tf.engine().registeredVariables)) backend.uploadToGPU(variable.dataId);
  // The uploads' staging buffers are given back when the queue is submitted.
  backend.ensureCommandEncoderReady();
  backend.submitQueue();
}

function gpuBuffersInUse(): number {
  return (tf.backend() as unknown as WebGpuInternals).bufferManager.getNumUsedBuffers();
}

describe.skipIf(!runnable)('the WebGPU backend (SwiftShader here)', { timeout: 900_000 }, () => {
  let calls: KernelCall[] = [];

  beforeAll(async () => {
    await activateBackend('cpu');
    await activateBackend('wasm');
    calls = await recordModelKernels();
    await selectBackend({ order: ['webgpu'], allowSoftwareGpu: true });
  });

  it('refuses a software adapter unless asked, and names the adapter and API it trains on', async () => {
    const refused = await selectBackend({ order: ['webgpu', 'wasm'], allowSoftwareGpu: false });
    expect(refused.candidate).toBe('wasm');
    expect(refused.skipped[0]).toMatchObject({ candidate: 'webgpu', reason: expect.stringMatching(/software adapter/) });
    const chosen = await selectBackend({ device: 'gpu', allowSoftwareGpu: true });
    expect(chosen).toMatchObject({ candidate: 'webgpu', backendName: 'webgpu', gpu: false });
    expect(chosen.description).toMatch(/, WebGPU over (Vulkan|Metal|Direct3D 12) \(software adapter, for tests\)$/);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('runs every kernel the three models use, at their shapes and attributes, like the cpu backend', async () => {
    const failures: string[] = [];
    const worst = new Map<string, number>();
    for (let start = 0; start < calls.length; start += 200) {
      for (const { call, error } of await compareKernels(calls.slice(start, start + 200))) {
        worst.set(call.name, Math.max(worst.get(call.name) ?? 0, error));
        if (!(error < kernelTolerance)) failures.push(`${describeCall(call)}: relative error ${error}`);
      }
    }
    console.info(`${calls.length} kernel calls, ${worst.size} kernels; worst relative error per kernel:`, Object.fromEntries(worst));
    expect(failures).toEqual([]);
    expect([...worst.keys()]).toEqual(expect.arrayContaining(['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']));
  });

  it('differentiates every kernel the models use like the cpu backend', async () => {
    const failures: string[] = [];
    const tested = new Set<string>();
    // Up to two calls per kernel, with different attributes where the models have them.
    const chosen = new Map<string, KernelCall[]>();
    for (const call of calls) {
      if (kernelsWithOwnGradients.has(call.name)) continue;
      if (!tf.getGradient(call.name) || !call.inputs.some((spec) => spec.dtype === 'float32')) continue;
      const list = chosen.get(call.name) ?? [];
      const attrs = JSON.stringify(call.attrs);
      if (list.length < 2 && !list.some((other) => JSON.stringify(other.attrs) === attrs)) list.push(call);
      chosen.set(call.name, list);
    }
    for (const call of [...chosen.values()].flat()) {
      const values = inputValuesFor(call, 17);
      const forward = await outputsOn('cpu', () => runKernelCall(call, tensorsFor(call, values)));
      // Kernels with integer or boolean outputs (Greater, a cast to int) pass no gradient.
      if (forward.dtypes.some((dtype) => dtype !== 'float32')) continue;
      const weights = forward.values.map((output, index) => inputValuesFor({ ...call, inputs: [{ name: 'w', shape: forward.shapes[index]!, dtype: 'float32' }] }, 3)[0]!);
      const expected = await outputsOn('cpu', () => vectorJacobianProducts(call, values, weights, forward.shapes));
      const actual = await outputsOn('webgpu', () => vectorJacobianProducts(call, values, weights, forward.shapes));
      tested.add(call.name);
      expected.values.forEach((values, index) => {
        const error = relativeError(actual.values[index]!, values);
        if (!(error < kernelTolerance)) failures.push(`gradient of ${describeCall(call)}, input ${index}: relative error ${error}`);
      });
    }
    console.info(`gradients compared for ${tested.size} kernels: ${[...tested].sort().join(', ')}`);
    expect(failures).toEqual([]);
    expect([...tested]).toEqual(expect.arrayContaining(['Conv2D', 'AvgPool', 'LeakyRelu', 'Sqrt', 'RealDiv']));
  });

  it('takes a GenSeg step like wasm, leaves nothing behind, and its checkpoints resume on wasm and back', async () => {
    const config = { model: 'genseg' as const, preset: 'tiny' as const, ...geometry, seed: 5 };
    const batches = [11, 12, 13, 14].map(batchOf) as [TrainingBatch, TrainingBatch, TrainingBatch, TrainingBatch];
    const segmentation = { kind: 'segmentation' as const };

    // wasm: a segmentation step (the laptop recipe's kind) and a joint GenSeg step, a checkpoint, one of each again.
    await tf.setBackend('wasm');
    const onWasm = createTrainer(config);
    await onWasm.trainStep(batches[0], segmentation);
    await onWasm.trainStep(batches[1]);
    const wasmCheckpoint = storeAndReload(await onWasm.saveCheckpoint());
    const wasmJoint = (await onWasm.trainStep(batches[2])).losses;
    const wasmSegmentation = (await onWasm.trainStep(batches[3], segmentation)).losses;
    onWasm.dispose();

    // WebGPU from wasm's checkpoint: the joint step (a GenSeg step from the same state, and wasm's checkpoint resumed),
    // a checkpoint, the segmentation step. SwiftShader takes a minute or more per joint step, so there is one.
    await tf.setBackend('webgpu');
    const onGpu = createTrainer({ ...config, seed: 99 });
    onGpu.loadCheckpoint(wasmCheckpoint);
    // Loaded weights stay on the CPU side until a kernel reads them: upload them all, so that buffers count alike.
    uploadVariables();
    const joint = await leftBehind(() => onGpu.trainStep(batches[2]));
    const gpuCheckpoint = storeAndReload(await onGpu.saveCheckpoint());
    const gpuSegmentation = await leftBehind(() => onGpu.trainStep(batches[3], segmentation));
    onGpu.dispose();

    // WebGPU's checkpoint on wasm: the segmentation step WebGPU took after it.
    await tf.setBackend('wasm');
    const onWasmAgain = createTrainer({ ...config, seed: 98 });
    onWasmAgain.loadCheckpoint(gpuCheckpoint);
    const resumedOnWasm = (await onWasmAgain.trainStep(batches[3], segmentation)).losses;
    onWasmAgain.dispose();
    await tf.setBackend('webgpu');

    const differences = {
      jointStepFromWasmCheckpoint: lossDifferences(joint.report.losses, wasmJoint),
      segmentationStep: lossDifferences(gpuSegmentation.report.losses, wasmSegmentation),
      webGpuCheckpointOnWasm: lossDifferences(resumedOnWasm, gpuSegmentation.report.losses)
    };
    console.info('relative loss differences, WebGPU against wasm:', differences);
    expect(Object.keys(differences.jointStepFromWasmCheckpoint)).toEqual(expect.arrayContaining(['generator', 'discriminator', 'segmentation']));
    for (const [name, terms] of Object.entries(differences)) {
      for (const [term, difference] of Object.entries(terms)) expect(difference, `${name}: ${term}`).toBeLessThan(stepTolerance);
    }
    expect(joint.after).toEqual(joint.before);
    expect(gpuSegmentation.after).toEqual(gpuSegmentation.before);
  });

  it('runs a tiny training job on WebGPU that ends in a model version and proposals', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'genseg-webgpu-'));
    const core = createAppCore({
      workspaceFolder: folder,
      logger: { info: () => {}, error: (message, error) => console.error(message, error) },
      // In this process, so that jobs use this file's WebGPU device and its compiled pipelines (a child would compile
      // them all again).
      spawnWorker: inProcessJobs
    });
    const call = async <N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> => {
      const outcome = await core.dispatch(name, input, { host: 'web' });
      if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
      return outcome.result as CallResult<N>;
    };
    process.env.GENSEG_WEBGPU_ALLOW_SOFTWARE = '1';
    try {
      const { projectId } = await createLesionProject(core, { volumes: 4, size: 32, slices: 8, maskedSlicesPerVolume: 2 });
      const progress = core.events.waitFor('onDidTrainingProgress', () => true);
      const finished = core.events.waitFor('onDidChangeTraining', (event) => event.status !== 'running');
      await core.training.startTraining(projectId, { preset: 'tiny', device: 'gpu', maxSteps: 2, inputSize: [32, 32], batchSize: 2 });
      expect((await progress).progress.backend).toMatch(/WebGPU over/);
      expect(await finished).toMatchObject({ status: 'finished' });
      const [version] = await call('listModelVersions', { projectId });
      expect(version).toMatchObject({ number: 1, backend: 'webgpu', steps: 2 });
      const proposed = core.events.waitFor('onDidChangeProposals', (event) => event.done === event.total);
      const { volumeIds } = await call('proposeMasks', { projectId, modelVersionId: version!.id });
      await proposed;
      await core.jobs.whenIdle();
      expect(volumeIds.length).toBeGreaterThan(0);
      for (const volumeId of volumeIds) {
        const [proposal] = await call('listProposals', { projectId, volumeId });
        expect(proposal?.sliceAreas).toHaveLength(8);
      }
    } finally {
      delete process.env.GENSEG_WEBGPU_ALLOW_SOFTWARE;
      await core.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

/** Tensors and GPU buffers in use before and after `step`, and the step's report. */
async function leftBehind<T>(step: () => Promise<T>): Promise<{ report: T; before: number[]; after: number[] }> {
  const count = () => [tf.memory().numTensors, gpuBuffersInUse(), (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU ?? -1];
  const before = count();
  const report = await step();
  return { report, before, after: count() };
}
