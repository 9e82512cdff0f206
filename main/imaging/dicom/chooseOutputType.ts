/**
 * The scalar type of a loaded series: the smallest integer type that holds every rescaled value when RescaleSlope and
 * RescaleIntercept are integers (CT's -1024 intercept, MR's identity), float32 otherwise. Memory matters: a 1,000-slice
 * CT kept as int16 is half the size of float32.
 */
import type { ScalarTypeName } from '../volume';
import type { DicomFrameReference } from './dicomTypes';

const INTEGER_TYPES: [ScalarTypeName, number, number][] = [
  ['uint8', 0, 255],
  ['int8', -128, 127],
  ['uint16', 0, 65535],
  ['int16', -32768, 32767],
  ['uint32', 0, 4294967295],
  ['int32', -2147483648, 2147483647]
];

export function chooseOutputType(frames: DicomFrameReference[]): ScalarTypeName {
  let low = Infinity;
  let high = -Infinity;
  for (const frame of frames) {
    const { format, rescaleSlope, rescaleIntercept } = frame;
    if (format.samplesPerPixel !== 1) return 'float32';
    if (!Number.isInteger(rescaleSlope) || !Number.isInteger(rescaleIntercept)) return 'float32';
    const [storedLow, storedHigh] = getStoredRange(
      format.bitsStored,
      format.pixelRepresentation === 1,
      format.bitsAllocated
    );
    const ends = [storedLow * rescaleSlope + rescaleIntercept, storedHigh * rescaleSlope + rescaleIntercept];
    low = Math.min(low, ...ends);
    high = Math.max(high, ...ends);
  }
  return INTEGER_TYPES.find(([, min, max]) => low >= min && high <= max)?.[0] ?? 'float32';
}

export function getStoredRange(bitsStored: number, signed: boolean, bitsAllocated: number): [number, number] {
  const bits = bitsAllocated === 1 ? 1 : Math.min(bitsStored, bitsAllocated);
  return signed ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}
