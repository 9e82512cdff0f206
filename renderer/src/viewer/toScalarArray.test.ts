import { describe, expect, it } from 'vitest';
import { computeInitialWindowRange, toScalarArray } from './toScalarArray';

describe('toScalarArray', () => {
  it('views little-endian int16 bytes without copying when aligned, and copies when not', () => {
    const values = new Int16Array([-1024, 0, 3071]);
    const aligned = toScalarArray(new Uint8Array(values.buffer), 'int16');
    expect(Array.from(aligned)).toEqual([-1024, 0, 3071]);
    expect(aligned.buffer).toBe(values.buffer);
    const padded = new Uint8Array(values.byteLength + 1);
    padded.set(new Uint8Array(values.buffer), 1);
    expect(Array.from(toScalarArray(padded.subarray(1), 'int16'))).toEqual([-1024, 0, 3071]);
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
