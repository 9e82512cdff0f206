import { parseArgs } from 'node:util';
import type { SequenceSummary } from '../../contract';
import { exitCodes, type Command } from '../Command';
import { callOrReport, resolveProject } from '../callOrReport';

function listing(sequences: SequenceSummary[]): string {
  return sequences
    .map((sequence) => {
      const placement = sequence.placement
        ? sequence.placement.kind === 'same-grid'
          ? 'same grid'
          : `resampled, up to ${sequence.placement.largestOffsetMm.toFixed(2)} mm`
        : 'reference';
      return `${sequence.id}\t${sequence.name ?? `(${sequence.guessedName}?)`}\t${placement}`;
    })
    .join('\n');
}

/** The sequences of a case: list them, add volumes to the case as sequences, rename one, set the window one opens with. */
export const sequencesCommand: Command = {
  name: 'sequences',
  summary: 'List, group or rename the sequences of a case (multi-sequence scans), or set the window one opens with',
  usage:
    'sequences --project P --volume V [--add V2,V3 [--names T2,FLAIR]] [--rename SEQUENCE_ID --name NAME] [--window SEQUENCE_ID --center C --width W]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: { project: { type: 'string' }, volume: { type: 'string' }, add: { type: 'string' }, names: { type: 'string' }, rename: { type: 'string' }, name: { type: 'string' }, window: { type: 'string' }, center: { type: 'string' }, width: { type: 'string' } }
    });
    const windowGiven = [values.window, values.center, values.width].filter((value) => value !== undefined).length;
    if (!values.project || !values.volume || (values.rename !== undefined) !== (values.name !== undefined) || (windowGiven !== 0 && windowGiven !== 3)) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    const volumeId = values.volume;
    const split = (text: string | undefined) => (text ? text.split(',').map((part) => part.trim()).filter(Boolean) : undefined);
    if (values.add) {
      const names = split(values.names);
      return callOrReport(context, 'groupVolumesIntoCase', { projectId, volumeId, sequenceVolumeIds: split(values.add)!, ...(names ? { names } : {}) }, listing);
    }
    if (values.window && values.center !== undefined && values.width !== undefined) {
      // Numbers as typed; main refuses what is not a window, in words.
      const window = { center: Number(values.center), width: Number(values.width) };
      return callOrReport(context, 'setSequenceWindow', { projectId, volumeId, sequenceId: values.window, ...window }, (sequence) => listing([sequence]) + `\twindow ${sequence.windowCenter} ± ${sequence.windowWidth / 2}`);
    }
    if (values.rename && values.name) return callOrReport(context, 'renameSequence', { projectId, volumeId, sequenceId: values.rename, name: values.name }, listing);
    return callOrReport(context, 'listSequences', { projectId, volumeId }, listing);
  }
};

/** The sequences used as training channels, in order. */
export const channelsCommand: Command = {
  name: 'channels',
  summary: "Show or choose the sequences a project's models take as channels",
  usage: 'channels --project P [--set T1,T1c,T2,FLAIR | --set ""]',
  async run(args, context) {
    const { values } = parseArgs({ args, options: { project: { type: 'string' }, set: { type: 'string' } } });
    if (!values.project) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    const format = (result: { names: string[]; incomplete: { volumeName: string; missing: string[] }[]; available: { name: string; cases: number }[] }) =>
      [
        `channels\t${result.names.length > 0 ? result.names.join(', ') : 'one, the reference scan of each case'}`,
        ...result.available.map((entry) => `available\t${entry.name}\t${entry.cases} cases`),
        ...result.incomplete.map((entry) => `incomplete\t${entry.volumeName}\tlacks ${entry.missing.join(', ')}`)
      ].join('\n');
    if (values.set !== undefined) {
      const names = values.set.split(',').map((part) => part.trim()).filter(Boolean);
      return callOrReport(context, 'setTrainingSequences', { projectId, names }, format);
    }
    return callOrReport(context, 'getTrainingSequences', { projectId }, format);
  }
};
