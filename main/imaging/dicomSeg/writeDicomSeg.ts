/**
 * Writes one binary DICOM Segmentation (SEG) instance for a volume imported from DICOM, with the Cornerstone ecosystem's
 * writer (@cornerstonejs/adapters' `generateSegmentation`, on dcmjs) rather than by hand. One frame per slice that holds
 * the segment, each with its source image's position, orientation and SOP instance; the referenced series lists every
 * source image. Explicit VR little endian, bit-packed: what the same adapters read back (their reader has no RLE +
 * bit-packing path).
 *
 * What the adapters leave out is added to their dataset: the derivation code and the purpose of reference of each
 * frame's source image (both required by the Segmentation IOD), the source image's SOP class, and a comment per frame.
 */
import { ImagingError } from '../ImagingError';
import { createDicomUid, loadCornerstoneAdapters, writeDicomDataset, type Labelmap2D, type MetadataProvider, type NaturalDataset } from './dicomLibraries';
import type { DicomSourceImage } from './readDicomSourceImages';

export interface DicomCode {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

export interface SegSegmentDescription {
  label: string;
  category: DicomCode;
  type: DicomCode;
  algorithmType: 'MANUAL' | 'SEMIAUTOMATIC' | 'AUTOMATIC';
  /** Required unless MANUAL. */
  algorithmName?: string;
  /** The Segmentation Algorithm Identification (0062,0007): family (CID 7162), name, version, parameters. */
  algorithmIdentification?: { family: DicomCode; name: string; version: string; parameters?: string };
}

export interface WriteDicomSegInput {
  /** In the volume's slice order k. */
  sources: DicomSourceImage[];
  /** [columns, rows, slices]. */
  dimensions: [number, number, number];
  /** The volume's labels, i fastest, then j, then k; nonzero is inside the segment. */
  labels: Uint8Array;
  segment: SegSegmentDescription;
  /** Frame Comments (0020,9158) of the frame made from slice k: how that slice's mask came to be. */
  frameComment?: (sliceIndex: number) => string | undefined;
  series: {
    description: string;
    number: number;
    contentLabel: string;
    contentDescription: string;
    contentCreatorName?: string;
    manufacturer: string;
    modelName: string;
    softwareVersions: string;
  };
}

export const DICOM_CODES = {
  derivationSegmentation: { CodeValue: '113076', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Segmentation' },
  sourceImageForProcessing: {
    CodeValue: '121322',
    CodingSchemeDesignator: 'DCM',
    CodeMeaning: 'Source image for image processing operation'
  },
  morphologicallyAbnormalStructure: {
    CodeValue: '49755003',
    CodingSchemeDesignator: 'SCT',
    CodeMeaning: 'Morphologically Abnormal Structure'
  },
  neoplasm: { CodeValue: '108369006', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Neoplasm' },
  manualProcessing: { CodeValue: '123109', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Manual Processing' },
  artificialIntelligence: { CodeValue: '123110', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Artificial Intelligence' }
} as const satisfies Record<string, DicomCode>;

export async function writeDicomSeg(input: WriteDicomSegInput): Promise<{ bytes: Uint8Array; frames: number[]; sopInstanceUid: string; seriesInstanceUid: string }> {
  const [columns, rows, slices] = input.dimensions;
  const sliceSize = columns * rows;
  if (input.sources.length !== slices || input.labels.length !== sliceSize * slices) {
    throw new ImagingError('invalid-request', `The mask (${input.labels.length} voxels) and ${input.sources.length} source images do not match a ${columns}×${rows}×${slices} scan.`);
  }
  const labelmaps2D: (Labelmap2D | undefined)[] = [];
  const frames: number[] = [];
  for (let k = 0; k < slices; k += 1) {
    const slice = input.labels.subarray(k * sliceSize, (k + 1) * sliceSize);
    if (!slice.some((value) => value !== 0)) continue;
    labelmaps2D[k] = { pixelData: Uint8Array.from(slice, (value) => (value !== 0 ? 1 : 0)), segmentsOnLabelmap: [1], rows, columns };
    frames.push(k);
  }
  if (frames.length === 0) throw new ImagingError('invalid-request', 'The mask is empty: a DICOM SEG needs at least one slice with the segment.');

  const segment: NaturalDataset = {
    SegmentNumber: 1,
    SegmentLabel: input.segment.label,
    SegmentAlgorithmType: input.segment.algorithmType,
    ...(input.segment.algorithmName ? { SegmentAlgorithmName: input.segment.algorithmName } : {}),
    SegmentedPropertyCategoryCodeSequence: input.segment.category,
    SegmentedPropertyTypeCodeSequence: input.segment.type
  };
  const imageId = (k: number) => `genseg-source:${k}`;
  const sliceOf = (id: string) => Number(id.slice('genseg-source:'.length));
  const metadata: MetadataProvider = {
    get(type, id) {
      const source = input.sources[sliceOf(id)];
      if (!source) return undefined;
      switch (type) {
        case 'StudyData':
        case 'SeriesData':
          return {};
        case 'ImageData':
          return source.dataset;
        case 'imagePlaneModule':
          return {
            imagePositionPatient: source.position,
            imageOrientationPatient: source.orientation,
            rowCosines: source.orientation.slice(0, 3),
            columnCosines: source.orientation.slice(3),
            rows,
            columns
          };
        default:
          return undefined;
      }
    }
  };
  // The adapters make the derivation from the source images' own pixel data only to size a buffer that the SEG's frames
  // then replace; one value each keeps a long CT series from costing its full size again.
  const images = input.sources.map((_, k) => ({ imageId: imageId(k), voxelManager: { getScalarData: () => new Uint16Array(1) } }));
  const seriesInstanceUid = createDicomUid();
  const sopInstanceUid = createDicomUid();
  const { adaptersSEG } = await loadCornerstoneAdapters();
  const { dataset } = adaptersSEG.Cornerstone3D.Segmentation.generateSegmentation(
    images,
    { labelmaps2D, metadata: [undefined, segment] },
    metadata,
    {
      SeriesDescription: input.series.description,
      SeriesNumber: String(input.series.number),
      SeriesInstanceUID: seriesInstanceUid,
      SOPInstanceUID: sopInstanceUid,
      ContentLabel: input.series.contentLabel,
      ContentDescription: input.series.contentDescription,
      ContentCreatorName: input.series.contentCreatorName ?? '',
      Manufacturer: input.series.manufacturer,
      ManufacturerModelName: input.series.modelName,
      SoftwareVersions: input.series.softwareVersions,
      includeSliceSpacing: true
    }
  );
  completeDataset(dataset, input);
  return { bytes: writeDicomDataset(dataset), frames, sopInstanceUid, seriesInstanceUid };
}

function completeDataset(dataset: NaturalDataset, input: WriteDicomSegInput): void {
  const sliceOfSop = new Map(input.sources.map((source, k) => [source.sopInstanceUid, k]));
  const perFrame = asList(dataset.PerFrameFunctionalGroupsSequence);
  perFrame.forEach((group, frame) => {
    const derivation = asList(group.DerivationImageSequence)[0] ?? {};
    const source = asList(derivation.SourceImageSequence)[0];
    const k = source ? sliceOfSop.get(String(source.ReferencedSOPInstanceUID)) : undefined;
    if (!source || k === undefined) {
      throw new ImagingError('invalid-request', `SEG frame ${frame + 1} references no source image of this scan.`);
    }
    source.ReferencedSOPClassUID = input.sources[k]!.sopClassUid;
    source.PurposeOfReferenceCodeSequence = [DICOM_CODES.sourceImageForProcessing];
    group.DerivationImageSequence = [{ ...derivation, SourceImageSequence: [source], DerivationCodeSequence: [DICOM_CODES.derivationSegmentation] }];
    const comment = input.frameComment?.(k);
    if (comment) {
      const content = asList(group.FrameContentSequence)[0] ?? {};
      group.FrameContentSequence = [{ ...content, FrameComments: comment.slice(0, 10240) }];
    }
  });
  const identification = input.segment.algorithmIdentification;
  if (identification) {
    const segment = asList(dataset.SegmentSequence)[0];
    if (segment) {
      segment.SegmentationAlgorithmIdentificationSequence = [
        {
          AlgorithmFamilyCodeSequence: [identification.family],
          AlgorithmName: identification.name.slice(0, 64),
          AlgorithmVersion: identification.version.slice(0, 64),
          ...(identification.parameters ? { AlgorithmParameters: identification.parameters.slice(0, 10240) } : {})
        }
      ];
    }
  }
}

function asList(value: unknown): NaturalDataset[] {
  if (Array.isArray(value)) return value as NaturalDataset[];
  return value && typeof value === 'object' ? [value as NaturalDataset] : [];
}
