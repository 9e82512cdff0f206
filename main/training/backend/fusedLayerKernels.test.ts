import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor, type Tensor4D, type Variable } from '../tf';
import { Random } from '../../common';
import { applyConv, createConv, type ConvOptions } from '../genseg/layers/conv';
import { applyInstanceNorm, applyLayerNorm, createLayerNorm, type Activation } from '../genseg/layers/normalization';
import { VariableRegistry } from '../genseg/layers/variableRegistry';
import { createTrainer } from '../createTrainer';
import { runAmsGradSteps } from '../testing/amsGradSteps';
import { layerValueAndGradients } from '../testing/layerGradients';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import { enableFusedKernels, hasFusedKernels } from './fusedLayerKernels';
import { activateBackend } from './selectBackend';

const random = new Random(17);

function randomTensor(shape: number[], scale = 1): Tensor {
  return tf.tensor(random.normalArray(shape.reduce((a, b) => a * b, 1), 0, scale), shape);
}

/** Value and gradients (w.r.t. x and `variables`) of sum(layer(x) · r), with the fused kernels on or off. */
function evaluate(fused: boolean, layer: (x: Tensor4D) => Tensor4D, x: Tensor, r: Tensor, variables: Variable[]): Float32Array[] {
  const previous = enableFusedKernels(fused);
  try {
    const results = layerValueAndGradients(layer, x, r, variables);
    const values = results.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(results);
    return values;
  } finally {
    enableFusedKernels(previous);
  }
}

function expectSame(fused: Float32Array[], composed: Float32Array[], tolerance = 2e-4): void {
  expect(fused.length).toBe(composed.length);
  fused.forEach((values, i) => {
    const reference = composed[i]!;
    const scale = Math.max(1e-3, ...Array.from(reference, Math.abs));
    let worst = 0;
    for (let j = 0; j < values.length; j++) worst = Math.max(worst, Math.abs(values[j]! - reference[j]!));
    expect(worst / scale, `output ${i} (0 = value, 1 = dx, then variables)`).toBeLessThan(tolerance);
  });
}

describe.each(['cpu', 'wasm'] as const)('fused layer kernels on %s match the composed ops', (backend) => {
  beforeAll(async () => {
    await activateBackend(backend, { wasmThreads: 1 });
    expect(hasFusedKernels()).toBe(true);
  });

  const convCases: [string, Partial<ConvOptions>, number[]][] = [
    ['3×3 reflect, spectral', { kernelSize: 3, padding: [1, 1, 1, 1] }, [2, 7, 6, 3]],
    ['3×3 stride 2, block padding', { kernelSize: 3, stride: 2, padding: [1, 1, 1, 1] }, [2, 9, 8, 3]],
    ['4×4 stride 2 with autopad on a tiny input', { kernelSize: 4, stride: 2, padding: [1, 1, 1, 1], autopad: true }, [2, 2, 3, 3]],
    ['5×5, pad too large: zero fallback', { kernelSize: 5, padding: [2, 2, 2, 2] }, [1, 2, 4, 2]],
    ['1×1 without spectral norm', { kernelSize: 1, spectralNorm: false }, [2, 5, 5, 3]]
  ];
  for (const [name, options, shape] of convCases) {
    it(`conv: ${name}`, () => {
      const registry = new VariableRegistry(random);
      const layer = createConv(registry.scope('conv'), {
        inChannels: shape[3]!,
        outChannels: 4,
        spectralNorm: true,
        init: 'kaimingNormal',
        ...options
      } as ConvOptions);
      const x = randomTensor(shape);
      const outShape = tf.tidy(() => applyConv(layer, x as Tensor4D, { training: false }).shape);
      const r = randomTensor(outShape);
      // Prediction mode keeps u and v, so both paths see the same vectors.
      const run = (fused: boolean) => evaluate(fused, (input) => applyConv(layer, input, { training: false }), x, r, [layer.weight, layer.bias]);
      expectSame(run(true), run(false));
      tf.dispose([x, r]);
      registry.dispose();
    });
  }

  it('conv: a training call runs one power iteration and stores the same vectors', () => {
    const make = () => {
      const registry = new VariableRegistry(new Random(3));
      return { registry, layer: createConv(registry.scope('conv'), { inChannels: 3, outChannels: 5, kernelSize: 3, padding: [1, 1, 1, 1], spectralNorm: true, init: 'kaimingNormal' }) };
    };
    const x = randomTensor([1, 5, 5, 3]);
    const states = [true, false].map((fused) => {
      const { registry, layer } = make();
      const previous = enableFusedKernels(fused);
      const out = tf.tidy(() => Float32Array.from(applyConv(layer, x as Tensor4D, { training: true }).dataSync()));
      enableFusedKernels(previous);
      const vectors = [layer.spectral!.u, layer.spectral!.v].map((v) => Float32Array.from(v.dataSync()));
      registry.dispose();
      return [out, ...vectors];
    });
    expectSame(states[0]!, states[1]!, 1e-5);
    x.dispose();
  });

  const normCases: [string, 'instance' | 'layer', Activation][] = [
    ['instance norm', 'instance', 'none'],
    ['instance norm + ReLU', 'instance', 'relu'],
    ['layer norm + ReLU', 'layer', 'relu'],
    ['layer norm + leaky ReLU', 'layer', 'leakyRelu'],
    ['layer norm', 'layer', 'none']
  ];
  for (const [name, kind, activation] of normCases) {
    it(name, () => {
      const registry = new VariableRegistry(random);
      const norm = createLayerNorm(registry.scope('norm'), 3, 2);
      tf.tidy(() => norm.modes[1]!.beta.assign(randomTensor([3], 0.5) as tf.Tensor1D));
      const x = randomTensor([2, 5, 4, 3], 2);
      const r = randomTensor([2, 5, 4, 3]);
      const layer = (input: Tensor4D) => (kind === 'instance' ? applyInstanceNorm(input, activation) : applyLayerNorm(norm, input, 1, activation));
      const variables = kind === 'layer' ? [norm.modes[1]!.gamma, norm.modes[1]!.beta] : [];
      expectSame(evaluate(true, layer, x, r, variables), evaluate(false, layer, x, r, variables));
      tf.dispose([x, r]);
      registry.dispose();
    });
  }

  it('AMSGrad: the fused update equals the composed one over steps, with a skipped parameter', async () => {
    const run = async (fused: boolean): Promise<Float32Array[]> => {
      const previous = enableFusedKernels(fused);
      try {
        return (await runAmsGradSteps()).values;
      } finally {
        enableFusedKernels(previous);
      }
    };
    expectSame(await run(true), await run(false), 1e-6);
  });

  it('frees every intermediate buffer', () => {
    const registry = new VariableRegistry(random);
    const layer = createConv(registry.scope('conv'), { inChannels: 2, outChannels: 3, kernelSize: 4, stride: 2, padding: [1, 1, 1, 1], autopad: true, spectralNorm: true, init: 'kaimingNormal' });
    const norm = createLayerNorm(registry.scope('norm'), 3, 1);
    const x = randomTensor([2, 3, 3, 2]);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(applyLayerNorm(norm, applyConv(layer, x as Tensor4D, { training: true }), 0, 'leakyRelu')));
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = { tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() };
    step();
    expect({ tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() }).toEqual(before);
    x.dispose();
    registry.dispose();
  });
});

describe('a GenSeg training step with the fused kernels (wasm)', () => {
  const geometry = { height: 32, width: 32, channels: 1 };
  const batch = createSyntheticBatch({ count: 2, ...geometry, labelled: [true, false], seed: 1 });

  beforeAll(async () => {
    await activateBackend('wasm', { wasmThreads: 1 });
  });

  it('gives the composed ops\' losses over two steps', async () => {
    const run = async (fused: boolean): Promise<Record<string, number>[]> => {
      const previous = enableFusedKernels(fused);
      const trainer = createTrainer({ model: 'genseg', preset: 'tiny', ...geometry, seed: 1 });
      const losses = [(await trainer.trainStep(batch)).losses, (await trainer.trainStep(batch)).losses];
      trainer.dispose();
      enableFusedKernels(previous);
      return losses;
    };
    const fused = await run(true);
    const composed = await run(false);
    composed.forEach((step, i) => {
      for (const [name, value] of Object.entries(step)) {
        // Sums run in another order (and in float64 inside the kernels), and AMSGrad's first steps amplify rounding.
        expect(Math.abs(fused[i]![name]! - value), `step ${i + 1} ${name}: ${fused[i]![name]} vs ${value}`).toBeLessThan(1e-4 * (1 + Math.abs(value)));
      }
    });
  });

  it('runs under 5,000 engine kernel calls per step (about 32,700 with the composed ops)', async () => {
    const trainer = createTrainer({ model: 'genseg', preset: 'tiny', ...geometry, seed: 1 });
    await trainer.trainStep(batch);
    const profile = await tf.profile(async () => {
      await trainer.trainStep(batch);
    });
    trainer.dispose();
    expect(profile.kernels.length).toBeLessThan(5000);
  });
});
