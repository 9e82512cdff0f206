/**
 * The fused layer kernels as WebGPU programs (webgpuFusedKernels.ts), on a software adapter (SwiftShader's Vulkan
 * driver, as webgpuBackend.test.ts): each kernel's values and gradients against the cpu backend's fused kernels, no
 * tensor or GPU buffer left behind, and a tiny-preset GenSeg step's losses and engine calls against wasm.
 * One backend for the whole file and few shapes, because SwiftShader compiles every pipeline on the CPU.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../common';
import { createTrainer } from '../createTrainer';
import { applyConv, createConv, type ConvLayer, type ConvOptions } from '../genseg/layers/conv';
import { applyInstanceNorm, applyLayerNorm, createLayerNorm, type Activation } from '../genseg/layers/normalization';
import { VariableRegistry } from '../genseg/layers/variableRegistry';
import { AmsGrad } from '../optim/amsGrad';
import { runAmsGradSteps } from '../testing/amsGradSteps';
import { layerValueAndGradients } from '../testing/layerGradients';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import { tf, type Tensor, type Tensor4D, type Variable } from '../tf';
import { fusedKernelNames, hasFusedKernel } from './fusedLayerKernels';
import { activateBackend, selectBackend } from './selectBackend';

const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftShaderIcd)) process.env.VK_ICD_FILENAMES = swiftShaderIcd;
if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = tmpdir();
const runnable = process.platform !== 'linux' || Boolean(process.env.VK_ICD_FILENAMES);

/** Relative error (max |Δ| / max |expected|) allowed against the cpu backend's fused kernels. */
const tolerance = 1e-4;

interface Internals {
  bufferManager: { getNumUsedBuffers(): number };
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Number.NaN;
  const scale = Math.max(1e-6, ...Array.from(expected, Math.abs));
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst / scale;
}

function expectClose(actual: Float32Array[], expected: Float32Array[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  expected.forEach((values, i) => expect(relativeError(actual[i]!, values), `${label}, output ${i}`).toBeLessThan(tolerance));
}

/** Value and gradients (x, then `variables`) of sum(layer(x) · r), and `after`'s values, on `backend`. */
async function evaluateOn(
  backend: string,
  build: () => { layer: (x: Tensor4D) => Tensor4D; variables: Variable[]; after?: () => Variable[]; dispose: () => void },
  xValues: Float32Array,
  shape: number[],
  rValues: (outShape: number[]) => Float32Array
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const { layer, variables, after, dispose } = build();
  const x = tf.tensor4d(xValues, shape as [number, number, number, number]);
  const outShape = tf.tidy(() => layer(x).shape);
  const r = tf.tensor(rValues(outShape), outShape);
  const results = layerValueAndGradients(layer, x, r, variables);
  const values = await Promise.all([...results, ...(after?.() ?? [])].map(async (t) => Float32Array.from(await t.data())));
  tf.dispose([...results, x, r]);
  dispose();
  return values;
}

describe.skipIf(!runnable)('fused layer kernels on WebGPU (SwiftShader here)', { timeout: 900_000 }, () => {
  const random = new Random(23);

  beforeAll(async () => {
    await activateBackend('cpu');
    await activateBackend('wasm', { wasmThreads: 1 });
    await selectBackend({ order: ['webgpu'], allowSoftwareGpu: true });
    for (const name of Object.values(fusedKernelNames)) expect(hasFusedKernel(name), name).toBe(true);
  });

  const convCases: [string, Partial<ConvOptions>, number[], boolean][] = [
    ['3×3 reflect, spectral, a training call (power iteration)', { kernelSize: 3, padding: [1, 1, 1, 1] }, [2, 5, 4, 3], true],
    ['4×4 stride 2 with autopad on a tiny input (two padding steps)', { kernelSize: 4, stride: 2, padding: [1, 1, 1, 1], autopad: true }, [2, 2, 3, 3], false],
    ['5×5, pad too large: zero fallback', { kernelSize: 5, padding: [2, 2, 2, 2] }, [1, 2, 4, 2], false],
    ['1×1 without spectral norm', { kernelSize: 1, spectralNorm: false }, [2, 3, 3, 3], false]
  ];
  for (const [name, options, shape, training] of convCases) {
    it(`conv: ${name}, forward and gradients like cpu`, async () => {
      const xValues = random.normalArray(shape.reduce((a, b) => a * b, 1), 0, 1);
      let rValues: Float32Array | null = null;
      const rFor = (outShape: number[]) => (rValues ??= random.normalArray(outShape.reduce((a, b) => a * b, 1), 0, 1));
      const build = () => {
        const registry = new VariableRegistry(new Random(5));
        const layer: ConvLayer = createConv(registry.scope('conv'), { inChannels: shape[3]!, outChannels: 4, spectralNorm: true, init: 'kaimingNormal', ...options } as ConvOptions);
        // A training call updates u and v once per call, so the gradients see this call's vectors on both backends.
        return {
          layer: (x: Tensor4D) => applyConv(layer, x, { training }),
          variables: [layer.weight, layer.bias],
          after: () => (layer.spectral ? [layer.spectral.u, layer.spectral.v] : []),
          dispose: () => registry.dispose()
        };
      };
      const expected = await evaluateOn('cpu', build, xValues, shape, rFor);
      const actual = await evaluateOn('webgpu', build, xValues, shape, rFor);
      expectClose(actual, expected, name);
    });
  }

  const normCases: [string, 'instance' | 'layer', Activation][] = [
    ['instance norm + ReLU', 'instance', 'relu'],
    ['instance norm', 'instance', 'none'],
    ['layer norm + leaky ReLU', 'layer', 'leakyRelu'],
    ['layer norm', 'layer', 'none']
  ];
  for (const [name, kind, activation] of normCases) {
    it(`${name}: forward and gradients like cpu`, async () => {
      const shape = [2, 5, 4, 3];
      const xValues = random.normalArray(60 * 2, 0.5, 2);
      const rValues = random.normalArray(60 * 2, 0, 1);
      const betaValues = random.normalArray(3, 0, 0.5);
      const build = () => {
        const registry = new VariableRegistry(new Random(9));
        const norm = createLayerNorm(registry.scope('norm'), 3, 2);
        tf.tidy(() => norm.modes[1]!.beta.assign(tf.tensor(betaValues)));
        const layer = (x: Tensor4D) => (kind === 'instance' ? applyInstanceNorm(x, activation) : applyLayerNorm(norm, x, 1, activation));
        return { layer, variables: kind === 'layer' ? [norm.modes[1]!.gamma, norm.modes[1]!.beta] : [], dispose: () => registry.dispose() };
      };
      const expected = await evaluateOn('cpu', build, xValues, shape, () => rValues);
      const actual = await evaluateOn('webgpu', build, xValues, shape, () => rValues);
      expectClose(actual, expected, name);
    });
  }

  it('AMSGrad: three updates like cpu, a parameter without a gradient untouched', async () => {
    const run = async (backend: string): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const { values, stepsOfSkipped } = await runAmsGradSteps();
      expect(stepsOfSkipped).toBe(2);
      return values;
    };
    const expected = await run('cpu');
    expectClose(await run('webgpu'), expected, 'AMSGrad');
  });

  it('frees every tensor and GPU buffer of a conv + layer norm step', async () => {
    await tf.setBackend('webgpu');
    const registry = new VariableRegistry(new Random(4));
    const layer = createConv(registry.scope('conv'), { inChannels: 2, outChannels: 3, kernelSize: 4, stride: 2, padding: [1, 1, 1, 1], autopad: true, spectralNorm: true, init: 'kaimingNormal' });
    const norm = createLayerNorm(registry.scope('norm'), 3, 1);
    const optimizer = new AmsGrad({ learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 });
    const x = tf.tensor(random.normalArray(36, 0, 1), [2, 3, 3, 2]) as Tensor4D;
    const step = async () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(applyLayerNorm(norm, applyConv(layer, x, { training: true }), 0, 'leakyRelu')));
      const gradients = new Map(Object.entries(grads).map(([name, g]) => [registry.entries.find((entry) => entry.variable.name === name)!.variable, g] as [Variable, Tensor]));
      optimizer.applyGradients(gradients);
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
    };
    await step();
    const count = () => [tf.memory().numTensors, tf.engine().backend.numDataIds(), (tf.backend() as unknown as Internals).bufferManager.getNumUsedBuffers()];
    const before = count();
    await step();
    expect(count()).toEqual(before);
    x.dispose();
    optimizer.dispose();
    registry.dispose();
  });

  it('takes a tiny-preset GenSeg step with wasm\'s losses, in under 5,000 engine calls, leaving nothing behind', async () => {
    const geometry = { height: 32, width: 32, channels: 1 };
    const batch = createSyntheticBatch({ count: 2, ...geometry, labelled: [true, false], seed: 3 });
    const config = { model: 'genseg' as const, preset: 'tiny' as const, ...geometry, seed: 7 };
    await tf.setBackend('wasm');
    const onWasm = createTrainer(config);
    const wasmLosses = [(await onWasm.trainStep(batch)).losses, (await onWasm.trainStep(batch)).losses];
    onWasm.dispose();

    await tf.setBackend('webgpu');
    const onGpu = createTrainer(config);
    const first = (await onGpu.trainStep(batch)).losses;
    const count = () => [tf.memory().numTensors, (tf.backend() as unknown as Internals).bufferManager.getNumUsedBuffers()];
    const before = count();
    const second = (await onGpu.trainStep(batch)).losses;
    const after = count();
    // Profiled apart: the profiler's timer query takes a GPU buffer of its own on its first use.
    const profile = await tf.profile(async () => void (await onGpu.trainStep(batch)));
    onGpu.dispose();
    console.info(`tiny-preset GenSeg step on WebGPU: ${profile.kernels.length} engine kernel calls`);
    [first, second].forEach((losses, step) => {
      expect(Object.keys(losses).sort()).toEqual(Object.keys(wasmLosses[step]!).sort());
      for (const [name, value] of Object.entries(wasmLosses[step]!)) {
        expect(Math.abs(losses[name]! - value) / Math.max(Math.abs(value), 1e-3), `step ${step + 1} ${name}: ${losses[name]} vs ${value}`).toBeLessThan(1e-4);
      }
    });
    expect(profile.kernels.length).toBeLessThan(5000);
    expect(after).toEqual(before);
  });
});
