/**
 * The one seeded generator of the project (xoshiro128**, seeded through splitmix32): network initialisation, the
 * sampled unique codes, batch sampling, augmentation and the demo's lesions all draw from it. Its whole state is four
 * numbers, saved in checkpoints, so that a run after a reload draws the same numbers as an uninterrupted one.
 */
export type RandomState = [number, number, number, number];

export class Random {
  private readonly state = new Uint32Array(4);

  constructor(seed: number | RandomState) {
    if (typeof seed === 'number') this.seed(seed);
    else this.state.set(seed);
  }

  getState(): RandomState {
    return [this.state[0]!, this.state[1]!, this.state[2]!, this.state[3]!];
  }

  /** Restores a saved state; a single number (checkpoints from before version 0.2) seeds a fresh stream. */
  setState(state: RandomState | number): void {
    if (typeof state === 'number') this.seed(state);
    else this.state.set(state);
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    return radius * Math.cos(2 * Math.PI * this.next());
  }

  /** An integer in [0, limit). */
  integer(limit: number): number {
    return Math.floor(this.next() * limit);
  }

  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index -= 1) {
      const other = this.integer(index + 1);
      [items[index], items[other]] = [items[other]!, items[index]!];
    }
    return items;
  }

  /** `length` draws from U(low, high). */
  uniformArray(length: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(length);
    const span = high - low;
    for (let i = 0; i < length; i++) out[i] = low + span * this.next();
    return out;
  }

  /** `length` draws from N(mean, std²) by Box-Muller; pairs are used whole, so the state advances predictably. */
  normalArray(length: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i += 2) {
      const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
      const angle = 2 * Math.PI * this.next();
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

/** FNV-1a of a string, as a number in [0, 1): stable across runs, machines and versions. */
export function hashToUnit(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 4294967296;
}
