import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { createTrainer } from '../createTrainer';
import { createSyntheticBatch } from '../testing/syntheticBatch';
import { activateBackend } from './selectBackend';
import { chooseWasmThreadCount, countPthreadWorkersCreated, describeWasmBackend, getWasmThreadCount, maxWasmThreads } from './wasmThreads';

describe('chooseWasmThreadCount', () => {
  it('leaves one core to the app, honours GENSEG_WASM_THREADS and an explicit count, and stays within 1..8', () => {
    expect(chooseWasmThreadCount({ cores: 4, env: {} })).toBe(3);
    expect(chooseWasmThreadCount({ cores: 2, env: {} })).toBe(1);
    expect(chooseWasmThreadCount({ cores: 1, env: {} })).toBe(1);
    expect(chooseWasmThreadCount({ cores: 64, env: {} })).toBe(maxWasmThreads);
    expect(chooseWasmThreadCount({ cores: 2, env: { GENSEG_WASM_THREADS: '2' } })).toBe(2);
    expect(chooseWasmThreadCount({ cores: 2, env: { GENSEG_WASM_THREADS: 'many' } })).toBe(1);
    expect(chooseWasmThreadCount({ cores: 2, env: { GENSEG_WASM_THREADS: '2' }, requested: 3 })).toBe(3);
    expect(describeWasmBackend(2)).toBe('CPU, 2 threads, WebAssembly');
    expect(describeWasmBackend(1)).toBe('CPU, 1 thread, WebAssembly');
  });
});

/** Convolutions, a matMul and their gradients, with strides and odd sizes, flattened. */
function computeReference(): Float32Array[] {
  const results = tf.tidy(() => {
    const x = tf.randomNormal([4, 37, 29, 12], 0, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 12, 20], 0, 0.2, 'float32', 2) as tf.Tensor4D;
    const a = tf.randomNormal([300, 170], 0, 1, 'float32', 3) as tf.Tensor2D;
    const b = tf.randomNormal([170, 90], 0, 1, 'float32', 4) as tf.Tensor2D;
    const loss = (input: tf.Tensor, kernel: tf.Tensor): tf.Scalar => {
      const y = tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same');
      return tf.sum(tf.square(tf.relu(y)));
    };
    const [dx, dFilter] = tf.grads(loss)([x, filter]);
    return [tf.conv2d(x, filter, 1, 'valid'), tf.matMul(a, b), dx!, dFilter!];
  });
  // Values are read outside tidy, which would walk a returned typed array element by element.
  const values = results.map((t) => t.dataSync() as Float32Array);
  tf.dispose(results);
  return values;
}

/** CPU seconds of each thread of this process (Linux), by thread id. */
function readThreadCpuSeconds(): Map<string, number> {
  const times = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    times.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
  }
  return times;
}

describe('the threaded wasm build in Node', () => {
  afterAll(async () => {
    await activateBackend('wasm', { wasmThreads: 1 });
  });

  it('starts pthread workers and computes the same numbers as the unthreaded build', async () => {
    await activateBackend('wasm', { wasmThreads: 1 });
    expect(getWasmThreadCount()).toBe(1);
    const single = computeReference();
    const workersBefore = countPthreadWorkersCreated();
    await activateBackend('wasm', { wasmThreads: 2 });
    expect(getWasmThreadCount()).toBe(2);
    expect(countPthreadWorkersCreated()).toBeGreaterThan(workersBefore);
    const threaded = computeReference();
    threaded.forEach((values, i) => {
      const reference = single[i]!;
      expect(values.length).toBe(reference.length);
      let worst = 0;
      for (let j = 0; j < values.length; j++) worst = Math.max(worst, Math.abs(values[j]! - reference[j]!) / (1 + Math.abs(reference[j]!)));
      expect(worst, `result ${i}`).toBeLessThan(1e-5);
    });
  });

  it.runIf(existsSync('/proc/self/task'))('runs part of a large convolution on a second thread', async () => {
    await activateBackend('wasm', { wasmThreads: 2 });
    const x = tf.randomNormal([8, 96, 96, 32], 0, 1, 'float32', 5) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 32, 32], 0, 1, 'float32', 6) as tf.Tensor4D;
    const before = readThreadCpuSeconds();
    for (let i = 0; i < 6; i++) {
      const y = tf.conv2d(x, filter, 1, 'same');
      y.dataSync();
      y.dispose();
    }
    const after = readThreadCpuSeconds();
    tf.dispose([x, filter]);
    const main = after.get(String(process.pid))! - before.get(String(process.pid))!;
    const others = [...after].filter(([tid]) => tid !== String(process.pid)).map(([tid, seconds]) => seconds - (before.get(tid) ?? 0));
    // The pool splits the work up front; under load the main thread steals part of the worker's share, so the bound is low.
    expect(Math.max(...others)).toBeGreaterThan(0.1 * main);
  });

  it('trains a GenSeg step to the same losses with 1 and 2 threads', async () => {
    const geometry = { height: 32, width: 32, channels: 1 };
    const labelled = [true, false, false, true];
    const batch = createSyntheticBatch({ count: 4, ...geometry, labelled, seed: 7 });
    const losses: Record<string, number>[] = [];
    for (const threads of [1, 2]) {
      await activateBackend('wasm', { wasmThreads: threads });
      const trainer = createTrainer({ model: 'genseg', preset: 'tiny', ...geometry, seed: 3 });
      await trainer.trainStep(batch);
      losses.push((await trainer.trainStep(batch)).losses);
      trainer.dispose();
    }
    for (const [name, value] of Object.entries(losses[0]!)) {
      expect(Math.abs(losses[1]![name]! - value), name).toBeLessThan(1e-4 * (1 + Math.abs(value)));
    }
  });
});
