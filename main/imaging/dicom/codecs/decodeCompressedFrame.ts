/** Compressed (encapsulated) frames, dispatched by transfer syntax to the codec that decodes them. */
import { ImagingError } from '../../ImagingError';
import type { ScalarArray } from '../../volume';
import type { DicomPixelFormat } from '../dicomTypes';
import { describeTransferSyntax } from '../dicomTags';
import {
  CompressedSizeMismatch,
  RgbJpegNotDecodable,
  decodeJpeg2000Frame,
  decodeJpegBaselineFrame,
  decodeJpegLosslessFrame,
  decodeJpegLsFrame
} from './decodeJpegFamilyFrame';
import { decodeRleFrame } from './decodeRleFrame';

type FrameDecoder = (compressed: Uint8Array, format: DicomPixelFormat) => Promise<ScalarArray> | ScalarArray;

const DECODERS: Record<string, FrameDecoder> = {
  '1.2.840.10008.1.2.4.50': decodeJpegBaselineFrame,
  '1.2.840.10008.1.2.4.51': decodeJpegBaselineFrame,
  '1.2.840.10008.1.2.4.57': decodeJpegLosslessFrame,
  '1.2.840.10008.1.2.4.70': decodeJpegLosslessFrame,
  '1.2.840.10008.1.2.4.80': decodeJpegLsFrame,
  '1.2.840.10008.1.2.4.81': decodeJpegLsFrame,
  '1.2.840.10008.1.2.4.90': decodeJpeg2000Frame,
  '1.2.840.10008.1.2.4.91': decodeJpeg2000Frame,
  '1.2.840.10008.1.2.5': decodeRleFrame
};

export function isCompressedTransferSyntaxSupported(uid: string): boolean {
  return uid in DECODERS;
}

export async function decodeCompressedFrame(
  compressed: Uint8Array,
  format: DicomPixelFormat,
  path: string
): Promise<ScalarArray> {
  const decoder = DECODERS[format.transferSyntaxUid];
  if (!decoder) {
    throw new ImagingError(
      'unsupported-transfer-syntax',
      `${path} is compressed with ${describeTransferSyntax(format.transferSyntaxUid)}, which this application cannot decode yet.`,
      path
    );
  }
  try {
    return await decoder(compressed, format);
  } catch (error) {
    if (error instanceof ImagingError) throw error;
    const codec = describeTransferSyntax(format.transferSyntaxUid);
    if (error instanceof RgbJpegNotDecodable) {
      throw new ImagingError(
        'decode-failed',
        `${path} cannot be imported: its colour JPEG data is stored as RGB without a colour transform, and this application's JPEG decoder (Cornerstone's libjpeg-turbo build) always converts colour JPEG from YCbCr, which would give wrong values.`,
        path,
        { cause: error }
      );
    }
    if (error instanceof CompressedSizeMismatch) {
      const why =
        error.width * error.height === 0
          ? `its ${codec} data gives no image size the decoder can read (its own header is damaged or not standard)`
          : `its ${codec} data holds a ${error.width} × ${error.height} image where the DICOM header says ${format.columns} × ${format.rows}`;
      throw new ImagingError('decode-failed', `${path} cannot be imported: ${why}.`, path, { cause: error });
    }
    throw new ImagingError(
      'decode-failed',
      `${path}: the compressed image could not be decoded; the file may be damaged.`,
      path,
      { cause: error }
    );
  }
}
