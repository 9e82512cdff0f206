import { describe, expect, it } from 'vitest';
import { computeInitialWindowRange, toScalarArray } from './toScalarArray';

describe('toScalarArray', () => {
  it('views little-endian float32 bytes without copying when aligned, and copies when not', () => {
    const values = new Float32Array([-1024.5, 0, 3071]);
    const aligned = toScalarArray(new Uint8Array(values.buffer), 'float32');
    expect(Array.from(aligned)).toEqual([-1024.5, 0, 3071]);
    expect(aligned.buffer).toBe(values.buffer);
    const padded = new Uint8Array(values.byteLength + 1);
    padded.set(new Uint8Array(values.buffer), 1);
    expect(Array.from(toScalarArray(padded.subarray(1), 'float32'))).toEqual([-1024.5, 0, 3071]);
  });

  it('turns 16-bit integers into float32 with every value kept, aligned or not', () => {
    const values = new Int16Array([-32768, -1024, 0, 32767]);
    const padded = new Uint8Array(values.byteLength + 1);
    padded.set(new Uint8Array(values.buffer), 1);
    for (const bytes of [new Uint8Array(values.buffer), padded.subarray(1)]) {
      const converted = toScalarArray(bytes, 'int16');
      expect(converted).toBeInstanceOf(Float32Array);
      expect(Array.from(converted)).toEqual([-32768, -1024, 0, 32767]);
    }
    const unsigned = toScalarArray(new Uint8Array(new Uint16Array([0, 65535]).buffer), 'uint16');
    expect(Array.from(unsigned)).toEqual([0, 65535]);
  });

  it('turns types Cornerstone cannot hold into float32', () => {
    const int32 = toScalarArray(new Uint8Array(new Int32Array([-70000, 5, 70000]).buffer), 'int32');
    expect(int32).toBeInstanceOf(Float32Array);
    expect(Array.from(int32)).toEqual([-70000, 5, 70000]);
    expect(Array.from(toScalarArray(new Uint8Array([255, 1]), 'int8'))).toEqual([-1, 1]);
    expect(Array.from(toScalarArray(new Uint8Array(new Float64Array([0.5, -2]).buffer), 'float64'))).toEqual([0.5, -2]);
  });
});

describe('computeInitialWindowRange', () => {
  it('ignores the brightest and darkest half percent', () => {
    const values = new Float32Array(1000).map((_, index) => index);
    values[999] = 1e6;
    values[0] = -1e6;
    const { lower, upper } = computeInitialWindowRange(values);
    expect(lower).toBe(5);
    expect(upper).toBe(995);
  });

  it('gives a usable window for a constant volume', () => {
    expect(computeInitialWindowRange(new Uint8Array(10).fill(7))).toEqual({ lower: 7, upper: 8 });
  });
});
