import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ApiError, exportFormats, type CallResult, type ExportFormat } from '../../contract';
import { exitCodes, type Command } from '../Command';
import { callOrReport, resolveProject } from '../callOrReport';

function parseRanges(text: string): { first: number; last: number }[] {
  // 1-based inclusive ranges as a clinician counts slices: "12-30,41-44".
  return text.split(',').map((part) => {
    const [first, last] = part.split('-').map((value) => Number.parseInt(value, 10));
    if (!Number.isInteger(first) || !Number.isInteger(last ?? first)) throw new TypeError(`ERR_PARSE_ARGS: bad range "${part}"`);
    return { first: first! - 1, last: (last ?? first!) - 1 };
  });
}

/** 1-based slice numbers and inclusive ranges, "3,7-9", as indices from 0. */
export function parseSliceList(text: string): number[] {
  return parseRanges(text).flatMap(({ first, last }) => Array.from({ length: last - first + 1 }, (_, n) => first + n));
}

export const tagCommand: Command = {
  name: 'tag',
  summary: 'Tag a scan tumour-present or -absent, give its tumour slice ranges, or tag chosen slices (--slices)',
  usage: 'tag --project ID|NAME --volume ID (--absent | --present | --unknown | --ranges 12-30,41-44) [--slices 3,7-9]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        project: { type: 'string' },
        volume: { type: 'string' },
        absent: { type: 'boolean' },
        present: { type: 'boolean' },
        unknown: { type: 'boolean' },
        ranges: { type: 'string' },
        slices: { type: 'string' }
      }
    });
    const choices = [values.absent, values.present, values.unknown, values.ranges !== undefined].filter(Boolean).length;
    if (!values.project || !values.volume || choices !== 1 || (values.slices !== undefined && values.ranges !== undefined)) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    const volumeId = values.volume;
    const describe = (labels: { slices: string[]; scan: string }) =>
      `${labels.scan}\t${labels.slices.filter((s) => s === 'present').length} present\t${labels.slices.filter((s) => s === 'absent').length} absent`;
    if (values.ranges !== undefined) {
      return callOrReport(context, 'setTumourRanges', { projectId, volumeId, ranges: parseRanges(values.ranges) }, describe);
    }
    const state = values.absent ? 'absent' : values.present ? 'present' : 'unknown';
    if (values.slices !== undefined) {
      return callOrReport(context, 'setSliceStates', { projectId, volumeId, sliceIndices: parseSliceList(values.slices), state }, describe);
    }
    return callOrReport(context, 'tagScan', { projectId, volumeId, state }, describe);
  }
};

export const importMaskCommand: Command = {
  name: 'import-mask',
  summary: 'Import a NIfTI label map or DICOM SEG onto a scan as mask slices (same grid, reoriented, or resampled with a warning)',
  usage: 'import-mask --project ID|NAME --volume ID [--author NAME] MASK.nii[.gz]|SEG.dcm',
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { project: { type: 'string' }, volume: { type: 'string' }, author: { type: 'string' } }
    });
    if (!values.project || !values.volume || positionals.length !== 1) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    const input = { projectId, volumeId: values.volume, path: resolve(positionals[0]!), ...(values.author ? { author: values.author } : {}) };
    const outcome = await context.core().dispatch('importMaskFromPath', input, { host: 'cli' });
    if (!outcome.ok) {
      // A file that cannot be placed on the scan is input that could not be used (3), not a failure of the tool.
      if (outcome.error.code !== 'bad-file') throw new ApiError(outcome.error.code, outcome.error.message);
      context.err(context.json ? `${JSON.stringify(outcome.error)}\n` : `skipped\t${positionals[0]}\t${outcome.error.message}\n`);
      return exitCodes.badInput;
    }
    const result = outcome.result as CallResult<'importMaskFromPath'>;
    if (!context.json) for (const warning of result.warnings) context.err(`warning\t${warning}\n`);
    context.out(
      context.json
        ? `${JSON.stringify(result)}\n`
        : `imported\t${result.fileName}\t${result.format}\t${result.placement}\t${result.importedSlices.length} slices\t${result.tumourVoxels} voxels\n`
    );
    return exitCodes.ok;
  }
};

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export masks: NIfTI with a manifest (optionally with the images), DICOM SEG, or an nnU-Net v2 dataset',
  usage:
    'export --project ID|NAME [--format nifti|dicom-seg|nnunet] [--volume ID ...] [--images] [--dataset-id N] [--dataset-name NAME]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        project: { type: 'string' },
        format: { type: 'string' },
        volume: { type: 'string', multiple: true },
        images: { type: 'boolean' },
        'dataset-id': { type: 'string' },
        'dataset-name': { type: 'string' }
      }
    });
    const format = values.format ?? 'nifti';
    const datasetId = values['dataset-id'] === undefined ? undefined : Number(values['dataset-id']);
    if (!values.project || !isExportFormat(format) || (datasetId !== undefined && !Number.isInteger(datasetId))) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    return callOrReport(
      context,
      'exportMasks',
      {
        projectId,
        format,
        includeImages: values.images ?? false,
        ...(values.volume ? { volumeIds: values.volume } : {}),
        ...(datasetId !== undefined ? { datasetId } : {}),
        ...(values['dataset-name'] ? { datasetName: values['dataset-name'] } : {})
      },
      (result) =>
        [
          `folder\t${result.folder}`,
          ...result.files.map((file) => `file\t${file}`),
          ...result.skipped.map((skipped) => `skipped\t${skipped.volumeId}\t${skipped.volumeName}\t${skipped.reason}`)
        ].join('\n')
    );
  }
};

function isExportFormat(value: string): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value);
}
