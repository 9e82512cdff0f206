/**
 * Reads a DICOM SEG onto the source images of a volume, with the same Cornerstone adapters that write it
 * (`generateToolState` of @cornerstonejs/adapters): frames are matched to source images by their referenced SOP
 * instance, else by position, and turned to the source's in-plane orientation. Returns the label map in the volume's
 * voxel order (i fastest, then j, then k) with each voxel's segment number.
 */
import { ImagingError } from '../ImagingError';
import { loadCornerstoneAdapters, readDicomDataset, type MetadataProvider } from './dicomLibraries';
import type { DicomSourceImage } from './readDicomSourceImages';

export interface DicomSegSegment {
  number: number;
  label: string;
  algorithmType: string;
}

export interface DicomSegContent {
  /** Segment number per voxel (0 outside every segment); where segments overlap, the higher number. */
  labels: Uint8Array;
  segments: DicomSegSegment[];
  /** The series the SEG says it segments. */
  referencedSeriesInstanceUid: string | null;
  /** Slices (k) of the scan that hold any segment. */
  slicesWithSegment: number[];
}

const SEG_SOP_CLASS_UIDS = new Set(['1.2.840.10008.5.1.4.1.1.66.4', '1.2.840.10008.5.1.4.1.1.66.7']);

/** Cheap check and the SEG's header facts, without the adapters. */
export function describeDicomSeg(bytes: Uint8Array, path: string): { referencedSeriesInstanceUid: string | null; frameOfReferenceUid: string | null } {
  let dataset;
  try {
    dataset = readDicomDataset(bytes, true);
  } catch (error) {
    throw new ImagingError('not-dicom', `${path} cannot be read as DICOM (${(error as Error).message}).`, path, { cause: error });
  }
  if (!SEG_SOP_CLASS_UIDS.has(String(dataset.SOPClassUID ?? ''))) {
    throw new ImagingError('invalid-request', `${path} is DICOM but not a Segmentation (SOP class ${String(dataset.SOPClassUID ?? 'none')}).`, path);
  }
  const referenced = Array.isArray(dataset.ReferencedSeriesSequence) ? dataset.ReferencedSeriesSequence[0] : dataset.ReferencedSeriesSequence;
  const uid = (referenced as { SeriesInstanceUID?: unknown } | undefined)?.SeriesInstanceUID;
  return {
    referencedSeriesInstanceUid: uid ? String(uid) : null,
    frameOfReferenceUid: dataset.FrameOfReferenceUID ? String(dataset.FrameOfReferenceUID) : null
  };
}

export async function readDicomSeg(bytes: Uint8Array, sources: DicomSourceImage[], path = 'the SEG'): Promise<DicomSegContent> {
  const { referencedSeriesInstanceUid } = describeDicomSeg(bytes, path);
  const first = sources[0];
  if (!first) throw new ImagingError('invalid-request', 'A SEG can only be read onto a scan with source images.');
  const rows = Number(first.dataset.Rows);
  const columns = Number(first.dataset.Columns);
  const imageIds = sources.map((_, k) => `genseg-source:${k}`);
  const sliceOf = (id: string) => Number(id.slice('genseg-source:'.length));
  const metadata: MetadataProvider = {
    get(type, id) {
      const source = sources[sliceOf(id)];
      if (!source) return undefined;
      switch (type) {
        case 'imagePlaneModule':
          return {
            imagePositionPatient: source.position,
            rowCosines: source.orientation.slice(0, 3),
            columnCosines: source.orientation.slice(3),
            rows,
            columns,
            frameOfReferenceUID: source.dataset.FrameOfReferenceUID
          };
        case 'generalSeriesModule':
          return { seriesInstanceUID: source.dataset.SeriesInstanceUID };
        case 'generalImageModule':
          return { sopInstanceUID: source.sopInstanceUid };
        case 'instance':
          return source.dataset;
        default:
          return undefined;
      }
    }
  };
  const { adaptersSEG } = await loadCornerstoneAdapters();
  let state;
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    state = await adaptersSEG.Cornerstone.Segmentation.generateToolState(imageIds, buffer, metadata, false, 1e-3);
  } catch (error) {
    throw new ImagingError('invalid-request', `${path} could not be placed on this scan: ${(error as Error).message}`, path, { cause: error });
  }
  if (!state) {
    throw new ImagingError('unsupported-transfer-syntax', `${path} is a run-length encoded, bit-packed SEG, which the SEG reader cannot decode.`, path);
  }
  const sliceSize = rows * columns;
  const labels = new Uint8Array(sliceSize * sources.length);
  for (const buffer of state.labelmapBufferArray) {
    const layer = new Uint8Array(buffer);
    for (let n = 0; n < labels.length; n += 1) if (layer[n]! > labels[n]!) labels[n] = layer[n]!;
  }
  const segments = state.segMetadata.data.flatMap((segment, number) =>
    segment ? [{ number, label: String(segment.SegmentLabel ?? `segment ${number}`), algorithmType: String(segment.SegmentAlgorithmType ?? '') }] : []
  );
  const slicesWithSegment: number[] = [];
  for (let k = 0; k < sources.length; k += 1) if (labels.subarray(k * sliceSize, (k + 1) * sliceSize).some((v) => v !== 0)) slicesWithSegment.push(k);
  return { labels, segments, referencedSeriesInstanceUid, slicesWithSegment };
}
