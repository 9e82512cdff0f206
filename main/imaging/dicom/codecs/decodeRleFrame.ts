/**
 * DICOM RLE Lossless (PS3.5 Annex G): up to 15 PackBits segments, one per byte plane, most significant byte first,
 * one group of planes per colour component. Small enough to implement here rather than pull in a codec.
 */
import type { ScalarArray } from '../../volume';
import type { DicomPixelFormat } from '../dicomTypes';

export function decodeRleFrame(compressed: Uint8Array, format: DicomPixelFormat): ScalarArray {
  const view = new DataView(compressed.buffer, compressed.byteOffset, compressed.byteLength);
  const segmentCount = view.getUint32(0, true);
  const bytesPerSample = format.bitsAllocated / 8;
  if (segmentCount !== bytesPerSample * format.samplesPerPixel) {
    throw new Error(`RLE frame has ${segmentCount} segments, expected ${bytesPerSample * format.samplesPerPixel}`);
  }
  const pixelCount = format.rows * format.columns;
  const output = new Uint8Array(pixelCount * format.samplesPerPixel * bytesPerSample);
  for (let segment = 0; segment < segmentCount; segment++) {
    const start = view.getUint32(4 + 4 * segment, true);
    const end = segment + 1 < segmentCount ? view.getUint32(8 + 4 * segment, true) : compressed.length;
    const plane = unpackBits(compressed.subarray(start, end), pixelCount);
    const component = Math.floor(segment / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (segment % bytesPerSample); // little-endian position of this byte
    scatterPlane(output, plane, {
      component,
      byteInSample,
      bytesPerSample,
      pixelCount,
      planar: format.planarConfiguration === 1,
      samples: format.samplesPerPixel
    });
  }
  return viewAs(output.buffer, format);
}

function unpackBits(segment: Uint8Array, expectedLength: number): Uint8Array {
  const plane = new Uint8Array(expectedLength);
  let read = 0;
  let write = 0;
  while (read < segment.length && write < expectedLength) {
    const header = segment[read++]!;
    if (header < 128) {
      const count = Math.min(header + 1, expectedLength - write);
      plane.set(segment.subarray(read, read + count), write);
      read += header + 1;
      write += count;
    } else if (header > 128) {
      const count = Math.min(257 - header, expectedLength - write);
      plane.fill(segment[read++]!, write, write + count);
      write += count;
    }
  }
  return plane;
}

interface PlanePlacement {
  component: number;
  byteInSample: number;
  bytesPerSample: number;
  pixelCount: number;
  planar: boolean;
  samples: number;
}

function scatterPlane(output: Uint8Array, plane: Uint8Array, placement: PlanePlacement): void {
  const { component, byteInSample, bytesPerSample, pixelCount, planar, samples } = placement;
  for (let pixel = 0; pixel < pixelCount; pixel++) {
    const sampleIndex = planar ? component * pixelCount + pixel : pixel * samples + component;
    output[sampleIndex * bytesPerSample + byteInSample] = plane[pixel]!;
  }
}

function viewAs(buffer: ArrayBuffer, format: DicomPixelFormat): ScalarArray {
  const signed = format.pixelRepresentation === 1;
  if (format.bitsAllocated === 8) return signed ? new Int8Array(buffer) : new Uint8Array(buffer);
  if (format.bitsAllocated === 16) return signed ? new Int16Array(buffer) : new Uint16Array(buffer);
  return signed ? new Int32Array(buffer) : new Uint32Array(buffer);
}
