/**
 * The one place that touches dcmjs and @cornerstonejs/adapters (the Cornerstone ecosystem's DICOM SEG writer and
 * reader). Both are plain JavaScript without useful types: this file gives the few functions used here their types.
 * The adapters load @cornerstonejs/core, which takes seconds, so they are imported on first use only.
 */
import dcmjs from 'dcmjs';

/** A dcmjs "naturalized" dataset: attribute keywords to values, sequences as arrays of datasets. */
export type NaturalDataset = Record<string, unknown> & { _meta?: Record<string, unknown>; _vrMap?: Record<string, string> };

interface DcmjsData {
  DicomMessage: {
    readFile(buffer: ArrayBuffer, options?: { untilTag?: string; includeUntilTagValue?: boolean; ignoreErrors?: boolean }): {
      dict: Record<string, unknown>;
      meta: Record<string, unknown>;
    };
  };
  DicomMetaDictionary: {
    naturalizeDataset(dict: Record<string, unknown>): NaturalDataset;
    namifyDataset(dict: Record<string, unknown>): Record<string, unknown>;
    uid(): string;
  };
  datasetToBuffer(dataset: NaturalDataset): Uint8Array;
}

const dcmjsData = (dcmjs as unknown as { data: DcmjsData }).data;

/** Reads a Part 10 file into a naturalized dataset; with `headerOnly`, stops before the pixel data. */
export function readDicomDataset(bytes: Uint8Array, headerOnly: boolean): NaturalDataset {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const file = dcmjsData.DicomMessage.readFile(buffer, headerOnly ? { untilTag: '7FE00010', includeUntilTagValue: false } : {});
  const dataset = dcmjsData.DicomMetaDictionary.naturalizeDataset(file.dict);
  dataset._meta = dcmjsData.DicomMetaDictionary.namifyDataset(file.meta);
  if (headerOnly) delete dataset.PixelData;
  return dataset;
}

export function writeDicomDataset(dataset: NaturalDataset): Uint8Array {
  return dcmjsData.datasetToBuffer(dataset);
}

export function createDicomUid(): string {
  return dcmjsData.DicomMetaDictionary.uid();
}

/** What the adapters ask a metadata provider for: Cornerstone's module names and the image's own dataset. */
export interface MetadataProvider {
  get(type: string, imageId: string): unknown;
}

export interface Labelmap2D {
  pixelData: Uint8Array;
  segmentsOnLabelmap: number[];
  rows: number;
  columns: number;
}

export interface Labelmap3D {
  /** Indexed by source image (the `images` array); slices without labels are absent. */
  labelmaps2D: (Labelmap2D | undefined)[];
  /** Indexed by segment number; [0] is unused. */
  metadata: (NaturalDataset | undefined)[];
}

export interface SourceImageStub {
  imageId: string;
  voxelManager: { getScalarData(): Uint16Array };
}

interface CornerstoneAdapters {
  adaptersSEG: {
    Cornerstone3D: {
      Segmentation: {
        generateSegmentation(
          images: SourceImageStub[],
          labelmaps: Labelmap3D,
          metadata: MetadataProvider,
          options: Record<string, unknown>
        ): { dataset: NaturalDataset };
      };
    };
    Cornerstone: {
      Segmentation: {
        generateToolState(
          imageIds: string[],
          arrayBuffer: ArrayBuffer,
          metadata: MetadataProvider,
          skipOverlapping?: boolean,
          tolerance?: number
        ): Promise<{ labelmapBufferArray: ArrayBuffer[]; segMetadata: { data: (NaturalDataset | null | undefined)[] }; overlappingSegments?: boolean } | undefined>;
      };
    };
  };
}

let adapters: Promise<CornerstoneAdapters> | undefined;

export function loadCornerstoneAdapters(): Promise<CornerstoneAdapters> {
  adapters ??= import('@cornerstonejs/adapters') as unknown as Promise<CornerstoneAdapters>;
  return adapters;
}
