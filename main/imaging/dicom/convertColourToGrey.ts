/**
 * Segmentation works on grey values, so colour images (ultrasound, secondary captures) become luminance (ITU-R BT.601
 * weights). RGB is read either interleaved (planar configuration 0) or plane by plane (1); YBR colour from JPEG
 * codecs arrives here already converted to RGB, and YBR_FULL native data is converted first.
 */
import type { ScalarArray } from '../volume';
import type { DicomPixelFormat } from './dicomTypes';

export function convertColourToGrey(samples: ScalarArray, format: DicomPixelFormat): Float32Array {
  const pixelCount = format.rows * format.columns;
  const grey = new Float32Array(pixelCount);
  const planar = format.planarConfiguration === 1;
  const isYbr =
    format.photometricInterpretation.startsWith('YBR_FULL') &&
    !format.transferSyntaxUid.startsWith('1.2.840.10008.1.2.4');
  for (let n = 0; n < pixelCount; n++) {
    const [a, b, c] = planar
      ? [samples[n]!, samples[n + pixelCount]!, samples[n + 2 * pixelCount]!]
      : [samples[3 * n]!, samples[3 * n + 1]!, samples[3 * n + 2]!];
    // In YBR_FULL the first component already is the luminance.
    grey[n] = isYbr ? a : 0.299 * a + 0.587 * b + 0.114 * c;
  }
  return grey;
}
