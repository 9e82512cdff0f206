import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createId } from '../../common';
import { ApiError, type DicomScanSummary, type EventPayload, type ImportResult } from '../../contract';
import { exitCodes, type Command, type CommandContext } from '../Command';
import { callOrReport, dispatchOrThrow, resolveProject } from '../callOrReport';

export const projectsCommand: Command = {
  name: 'projects',
  summary: 'List the projects of the workspace, or create one',
  usage: 'projects [--create NAME]',
  async run(args, context) {
    const { values } = parseArgs({ args, options: { create: { type: 'string' } } });
    if (values.create) {
      return callOrReport(context, 'createProject', { name: values.create }, (project) => `${project.id}\t${project.name}`);
    }
    return callOrReport(context, 'listProjects', {}, (projects) =>
      projects.map((project) => `${project.id}\t${project.name}\t${project.createdAt}`).join('\n')
    );
  }
};

export const importCommand: Command = {
  name: 'import',
  summary: 'Import NIfTI files and DICOM folders (the series found are listed; all or the chosen ones are imported)',
  usage: 'import --project ID|NAME [--series N|UID ...] [--list] [--cases] FILE.nii[.gz]|DICOM_FOLDER [...]',
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { project: { type: 'string' }, series: { type: 'string', multiple: true }, list: { type: 'boolean' }, cases: { type: 'boolean' } }
    });
    if (!values.project || positionals.length === 0) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    const chosen = (values.series ?? []).flatMap((value) => value.split(',')).filter(Boolean);
    let failed = 0;
    const results: unknown[] = [];
    for (const path of positionals) {
      const isFolder = await stat(path).then((entry) => entry.isDirectory(), () => false);
      if (!isFolder) {
        if (values.list) continue;
        const result = await dispatchOrThrow(context, 'importNiftiFromPath', { projectId, path: resolve(path) });
        results.push(result);
        failed += result.problems.length;
        if (!context.json) reportImport(context, result);
        continue;
      }
      const outcome = await importDicomFolder(context, projectId, resolve(path), chosen, values.list ?? false, values.cases ?? false);
      results.push(outcome);
      failed += outcome.problems;
    }
    if (context.json) context.out(`${JSON.stringify(results)}\n`);
    return failed > 0 ? exitCodes.badInput : exitCodes.ok;
  }
};

function reportImport(context: CommandContext, result: ImportResult): void {
  for (const volume of result.imported) context.out(`imported\t${volume.id}\t${volume.name}\n`);
  for (const problem of result.problems) context.err(`skipped\t${problem.file}\t${problem.message}\n`);
  for (const duplicate of result.duplicates) {
    context.err(`duplicate\t${duplicate.file}\talready in the project as ${duplicate.volumeName} (${duplicate.volumeId}); not imported again\n`);
  }
}

/**
 * A DICOM folder: scan it (progress on stderr), list its series (stderr, or stdout with --list), then import all of
 * them or the chosen ones (by their number in the list, 1-based, or their id), with decoding progress on stderr.
 */
async function importDicomFolder(
  context: CommandContext,
  projectId: string,
  folder: string,
  chosen: string[],
  listOnly: boolean,
  asCases: boolean
): Promise<{ folder: string; scan: DicomScanSummary; import: ImportResult | null; problems: number }> {
  const jobId = createId();
  let lastLine = 0;
  const unsubscribe = context.core().events.subscribe((name, payload) => {
    if (name !== 'onDidImportProgress') return;
    const progress = payload as EventPayload<'onDidImportProgress'>;
    if (progress.jobId !== jobId || Date.now() - lastLine < 250) return;
    lastLine = Date.now();
    context.err(
      progress.phase === 'scanning'
        ? `scanning ${folder}: ${progress.filesScanned} files, ${progress.seriesFound} series\n`
        : `importing: ${progress.slicesDecoded}/${progress.slicesTotal} slices\n`
    );
  });
  try {
    const scan = await dispatchOrThrow(context, 'scanDicomFolder', { projectId, jobId, path: folder });
    const listing = scan.series.map(
      (series, index) =>
        `series\t${index + 1}\t${series.id}\t${series.modality ?? ''}\t${series.seriesDescription ?? ''}\t${series.columns}x${series.rows}x${series.sliceCount}${series.splitReason ? `\t(${series.splitReason})` : ''}`
    );
    const problemFiles = scan.skippedCount - scan.nonDicomCount;
    if (!context.json) {
      const write = listOnly ? context.out : context.err;
      write(`${folder}: ${scan.series.length} series in ${scan.filesScanned} files${scan.nonDicomCount ? `, ${scan.nonDicomCount} not DICOM` : ''}\n`);
      for (const line of listing) write(`${line}\n`);
      for (const skipped of scan.skipped) if (skipped.code !== 'not-dicom') context.err(`skipped\t${skipped.file}\t${skipped.message}\n`);
    }
    if (listOnly) return { folder, scan, import: null, problems: problemFiles };
    const seriesIds = chosen.length === 0 ? scan.series.map((series) => series.id) : chosen.map((choice) => pickSeries(scan, choice));
    // --cases confirms the cases the scan offers (series of one patient and study), with the guessed sequence names.
    const cases = asCases
      ? (scan.caseGroups ?? [])
          .map((group) => {
            const kept = group.seriesIds.map((id, index) => ({ id, name: group.guessedNames[index]! })).filter((entry) => seriesIds.includes(entry.id));
            return { seriesIds: kept.map((entry) => entry.id), names: kept.map((entry) => entry.name) };
          })
          .filter((group) => group.seriesIds.length >= 2)
      : [];
    if (!context.json) for (const group of scan.caseGroups ?? []) context.err(`case offered	${group.guessedNames.join(', ')}	${asCases ? 'grouped' : 'use --cases to group'}
`);
    const result = await dispatchOrThrow(context, 'importDicomSeries', { projectId, jobId, seriesIds, ...(cases.length > 0 ? { cases } : {}) });
    if (!context.json) reportImport(context, result);
    return { folder, scan, import: result, problems: problemFiles + result.problems.length };
  } finally {
    unsubscribe();
  }
}

function pickSeries(scan: DicomScanSummary, choice: string): string {
  const number = /^\d+$/.test(choice) ? Number(choice) : NaN;
  const series = Number.isInteger(number) ? scan.series[number - 1] : scan.series.find((candidate) => candidate.id === choice);
  if (!series) {
    throw new ApiError('invalid-input', `There is no series "${choice}" in that folder: give its number in the list (1-${scan.series.length}) or its id.`);
  }
  return series.id;
}

export const volumesCommand: Command = {
  name: 'volumes',
  summary: 'List the volumes of a project',
  usage: 'volumes --project ID|NAME',
  async run(args, context) {
    const { values } = parseArgs({ args, options: { project: { type: 'string' } } });
    if (!values.project) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    return callOrReport(context, 'listVolumes', { projectId }, (volumes) =>
      volumes.map((volume) => `${volume.id}\t${volume.name}\t${volume.geometry.dimensions.join('x')}\t${volume.scalarType}`).join('\n')
    );
  }
};
