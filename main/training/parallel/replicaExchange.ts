/**
 * The shared memory through which data-parallel replicas (one model copy per worker thread, each on part of the batch)
 * sum their gradients and a few numbers in the middle of a step.
 *
 * A step's gradient sums happen inside tfjs's synchronous gradient closures (GenSeg's discriminator update runs inside
 * the generator's tape), so the exchange is synchronous too: each replica writes its values into its own slot of a
 * SharedArrayBuffer, waits at a barrier (Atomics.wait, allowed in worker threads), then reads every slot and adds them
 * in replica order. Every replica adds the same float32 values in the same order, so all of them get bit-identical
 * sums, apply bit-identical optimizer updates and keep bit-identical weights without ever sending weights.
 *
 * Two buffers alternate between successive exchanges: a replica can only write exchange n+2 after passing the barrier
 * of exchange n+1, which every replica reaches only after reading exchange n.
 *
 * Any party (a replica that failed, or the coordinator that saw a worker die) can abort: waiting replicas then throw
 * `ReplicaAbortedError` instead of waiting for a partner that will never come.
 */
import type { Tensor, Variable } from '../tf';
import { tf } from '../tf';

export interface ExchangeLayout {
  replicas: number;
  /** Room for one replica's gradients: the model's parameter count. */
  floatsPerReplica: number;
  /** Room for one replica's presence flags: the model's number of variables. */
  variablesPerReplica: number;
}

/** At most this many numbers per `sumNumbers` call. */
const numbersPerReplica = 16;
const control = { arrived: 0, generation: 1, aborted: 2, length: 4 };

export class ReplicaAbortedError extends Error {
  constructor() {
    super('another training worker failed during this step');
    this.name = 'ReplicaAbortedError';
  }
}

function byteLengths(layout: ExchangeLayout) {
  const controlBytes = control.length * 4;
  const flagBytes = 2 * layout.replicas * layout.variablesPerReplica * 4;
  const numberBytes = 2 * layout.replicas * numbersPerReplica * 8;
  const floatBytes = 2 * layout.replicas * layout.floatsPerReplica * 4;
  return { controlBytes, flagBytes, numberBytes, floatBytes };
}

export function allocateExchange(layout: ExchangeLayout): SharedArrayBuffer {
  const { controlBytes, flagBytes, numberBytes, floatBytes } = byteLengths(layout);
  return new SharedArrayBuffer(controlBytes + flagBytes + numberBytes + floatBytes);
}

/** Marks an exchange as failed and wakes every replica waiting in it (usable from any thread holding the buffer). */
export function abortExchange(buffer: SharedArrayBuffer): void {
  const view = new Int32Array(buffer, 0, control.length);
  Atomics.store(view, control.aborted, 1);
  Atomics.add(view, control.generation, 1);
  Atomics.notify(view, control.generation);
}

export class ReplicaExchange {
  private readonly control: Int32Array;
  private readonly flags: Int32Array;
  private readonly numbers: Float64Array;
  private readonly floats: Float32Array;
  /** Exchanges so far; its parity picks the buffer. */
  private round = 0;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly layout: ExchangeLayout,
    readonly index: number
  ) {
    const { controlBytes, flagBytes, numberBytes } = byteLengths(layout);
    const { replicas, variablesPerReplica, floatsPerReplica } = layout;
    this.control = new Int32Array(buffer, 0, control.length);
    this.flags = new Int32Array(buffer, controlBytes, 2 * replicas * variablesPerReplica);
    this.numbers = new Float64Array(buffer, controlBytes + flagBytes, 2 * replicas * numbersPerReplica);
    this.floats = new Float32Array(buffer, controlBytes + flagBytes + numberBytes, 2 * replicas * floatsPerReplica);
  }

  /**
   * Sums `share` × this replica's gradients with every other replica's, variable by variable in `variables`' order,
   * and returns new tensors (the caller disposes them). A variable is in the result when any replica had a gradient
   * for it; replicas that had none count as zero.
   */
  reduceGradients(gradients: Map<Variable, Tensor>, variables: readonly Variable[], share: number): Map<Variable, Tensor> {
    const { replicas, variablesPerReplica, floatsPerReplica } = this.layout;
    if (variables.length > variablesPerReplica) throw new Error(`${variables.length} variables do not fit the exchange`);
    const region = this.round++ % 2;
    const slotFlags = (replica: number) => (region * replicas + replica) * variablesPerReplica;
    const slotFloats = (replica: number) => (region * replicas + replica) * floatsPerReplica;
    let offset = 0;
    for (const [position, variable] of variables.entries()) {
      const gradient = gradients.get(variable);
      this.flags[slotFlags(this.index) + position] = gradient ? 1 : 0;
      if (gradient) {
        if (offset + variable.size > floatsPerReplica) throw new Error('the gradients do not fit the exchange');
        const values = gradient.dataSync() as Float32Array;
        const start = slotFloats(this.index) + offset;
        for (let i = 0; i < values.length; i++) this.floats[start + i] = values[i]! * share;
      }
      offset += variable.size;
    }
    this.barrier();
    const summed = new Map<Variable, Tensor>();
    offset = 0;
    for (const [position, variable] of variables.entries()) {
      const holders = [];
      for (let replica = 0; replica < replicas; replica++) {
        if (this.flags[slotFlags(replica) + position] === 1) holders.push(replica);
      }
      if (holders.length > 0) {
        const out = new Float32Array(variable.size);
        for (const replica of holders) {
          const start = slotFloats(replica) + offset;
          for (let i = 0; i < out.length; i++) out[i] += this.floats[start + i]!;
        }
        summed.set(variable, tf.tensor(out, variable.shape));
      }
      offset += variable.size;
    }
    return summed;
  }

  /** Element-wise sums of a few numbers over the replicas, in replica order (so every replica gets the same sums). */
  sumNumbers(values: readonly number[]): number[] {
    const { replicas } = this.layout;
    if (values.length > numbersPerReplica) throw new Error(`at most ${numbersPerReplica} numbers per exchange`);
    const region = this.round++ % 2;
    const slot = (replica: number) => (region * replicas + replica) * numbersPerReplica;
    values.forEach((value, i) => (this.numbers[slot(this.index) + i] = value));
    this.barrier();
    return values.map((_, i) => {
      let sum = 0;
      for (let replica = 0; replica < replicas; replica++) sum += this.numbers[slot(replica) + i]!;
      return sum;
    });
  }

  /** Waits until every replica has arrived; throws if the exchange was aborted before or while waiting. */
  private barrier(): void {
    const view = this.control;
    if (Atomics.load(view, control.aborted) === 1) throw new ReplicaAbortedError();
    const generation = Atomics.load(view, control.generation);
    if (Atomics.add(view, control.arrived, 1) === this.layout.replicas - 1) {
      Atomics.store(view, control.arrived, 0);
      Atomics.add(view, control.generation, 1);
      Atomics.notify(view, control.generation);
    } else {
      while (Atomics.load(view, control.generation) === generation) Atomics.wait(view, control.generation, generation);
    }
    if (Atomics.load(view, control.aborted) === 1) throw new ReplicaAbortedError();
  }

  abort(): void {
    abortExchange(this.buffer);
  }
}
