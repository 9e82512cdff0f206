import type { ScalarTypeName } from '../../../main/contract/types';

/** The typed arrays Cornerstone can hold as a local volume. */
export type ViewerScalarArray = Uint8Array | Float32Array;

interface TypedArrayType<T> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * Main's little-endian voxel bytes as a typed array Cornerstone accepts. uint8 and float32 are viewed without
 * conversion (copied only when the bytes are not aligned); the other types become float32, which keeps every value
 * of the 8- and 16-bit integers and (to 24 bits) of the 32-bit ones. 16-bit volumes too: without the norm16 WebGL
 * extension (software WebGL has none) vtk.js turns them into a float or half-float texture slice by slice when the
 * volume is first drawn, the half floats one voxel at a time in JavaScript (half a second for 10 million voxels),
 * where one native conversion here takes a few tens of milliseconds. The renderer runs on little-endian machines only.
 */
export function toScalarArray(bytes: Uint8Array, scalarType: ScalarTypeName): ViewerScalarArray {
  switch (scalarType) {
    case 'uint8':
      return bytes;
    case 'int16':
      return new Float32Array(viewAs(Int16Array, bytes));
    case 'uint16':
      return new Float32Array(viewAs(Uint16Array, bytes));
    case 'float32':
      return viewAs(Float32Array, bytes);
    case 'int8':
      return Float32Array.from(viewAs(Int8Array, bytes));
    case 'int32':
      return Float32Array.from(viewAs(Int32Array, bytes));
    case 'uint32':
      return Float32Array.from(viewAs(Uint32Array, bytes));
    case 'float64':
      return Float32Array.from(viewAs(Float64Array, bytes));
  }
}

function viewAs<T>(Type: TypedArrayType<T>, bytes: Uint8Array): T {
  const size = Type.BYTES_PER_ELEMENT;
  const source = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  return new Type(source.buffer as ArrayBuffer, source.byteOffset, source.byteLength / size);
}

/**
 * The first window: from the 0.5th to the 99.5th percentile of the voxel values (as OHIF and Slicer's auto
 * window/level do), so a few very bright or dark voxels do not wash out the image. Estimated on a sample of at most
 * about a million voxels.
 */
export function computeInitialWindowRange(values: ViewerScalarArray): { lower: number; upper: number } {
  const step = Math.max(1, Math.floor(values.length / 1_000_000));
  const sample = new Float64Array(Math.ceil(values.length / step));
  for (let index = 0, out = 0; index < values.length; index += step, out++) sample[out] = values[index];
  const finite = sample.filter(Number.isFinite).sort();
  if (finite.length === 0) return { lower: 0, upper: 1 };
  const lower = finite[Math.floor(finite.length * 0.005)];
  const upper = finite[Math.min(finite.length - 1, Math.floor(finite.length * 0.995))];
  return upper > lower
    ? { lower, upper }
    : { lower: finite[0], upper: Math.max(finite[finite.length - 1], finite[0] + 1) };
}
