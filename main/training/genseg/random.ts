/**
 * Seeded random numbers (xoshiro128**), so that initialisation and the sampled unique codes are reproducible and
 * their state can be saved in a checkpoint: the run after a reload then draws the same numbers as an uninterrupted one.
 */
export type RandomState = [number, number, number, number];

export class Random {
  private state: Uint32Array;

  constructor(seed: number | RandomState) {
    this.state = new Uint32Array(4);
    if (typeof seed === 'number') this.seed(seed);
    else this.state.set(seed);
  }

  getState(): RandomState {
    return [this.state[0]!, this.state[1]!, this.state[2]!, this.state[3]!];
  }

  setState(state: RandomState): void {
    this.state.set(state);
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  nextUniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** `length` draws from U(low, high). */
  uniform(length: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(length);
    const span = high - low;
    for (let i = 0; i < length; i++) out[i] = low + span * this.nextUniform();
    return out;
  }

  /** `length` draws from N(mean, std²) by Box-Muller; pairs are used whole, so the state advances predictably. */
  normal(length: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i += 2) {
      const radius = Math.sqrt(-2 * Math.log(1 - this.nextUniform()));
      const angle = 2 * Math.PI * this.nextUniform();
      out[i] = mean + std * radius * Math.cos(angle);
      if (i + 1 < length) out[i + 1] = mean + std * radius * Math.sin(angle);
    }
    return out;
  }

  private seed(seed: number): void {
    // splitmix32 expands one number into a well-mixed non-zero state.
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.state[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.state.every((value) => value === 0)) this.state[0] = 1;
  }

  private nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotateLeft(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotateLeft(s[3]!, 11);
    return result;
  }
}

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}
