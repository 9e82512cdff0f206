import { parseArgs } from 'node:util';
import { ApiError } from '../../contract';
import { exitCodes, type Command } from '../Command';
import { callOrReport, resolveProject } from '../callOrReport';

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
  summary: 'Import NIfTI files into a project',
  usage: 'import --project ID|NAME FILE.nii[.gz] [FILE ...]',
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { project: { type: 'string' } } });
    if (!values.project || positionals.length === 0) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    let failed = 0;
    const results = [];
    for (const path of positionals) {
      const outcome = await context.core().dispatch('importNiftiFromPath', { projectId, path }, { host: 'cli' });
      if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message);
      const result = outcome.result as { imported: { id: string; name: string }[]; problems: { file: string; message: string }[] };
      results.push(result);
      failed += result.problems.length;
      if (!context.json) {
        for (const volume of result.imported) context.out(`imported\t${volume.id}\t${volume.name}\n`);
        for (const problem of result.problems) context.err(`skipped\t${problem.file}\t${problem.message}\n`);
      }
    }
    if (context.json) context.out(`${JSON.stringify(results)}\n`);
    return failed > 0 ? exitCodes.badInput : exitCodes.ok;
  }
};

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
