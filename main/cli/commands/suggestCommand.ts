import { parseArgs } from 'node:util';
import { exitCodes, type Command } from '../Command';
import { callOrReport, resolveProject } from '../callOrReport';

const costOptions = { 'tag-seconds': 'tagScan', 'range-seconds': 'markRange', 'mask-seconds': 'drawMaskSlice', 'review-seconds': 'reviewProposalSlice' } as const;

export const suggestCommand: Command = {
  name: 'suggest',
  summary: 'What to annotate next: actions ranked by expected value per second of your time, with the reason for each',
  usage: 'suggest --project ID|NAME [--limit N] [--tag-seconds S] [--range-seconds S] [--mask-seconds S] [--review-seconds S]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        project: { type: 'string' },
        limit: { type: 'string' },
        ...Object.fromEntries(Object.keys(costOptions).map((name) => [name, { type: 'string' as const }]))
      }
    });
    if (!values.project) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project as string);
    const given = values as Record<string, string | undefined>;
    const costs = Object.fromEntries(
      Object.entries(costOptions).flatMap(([option, key]) => (given[option] ? [[key, Number(given[option])]] : []))
    );
    return callOrReport(
      context,
      'suggestNext',
      { projectId, ...(values.limit ? { limit: Number(values.limit) } : {}), ...(Object.keys(costs).length > 0 ? { costs } : {}) },
      (suggestions) =>
        suggestions
          .map((entry, index) => {
            const slice = entry.sliceIndex === undefined ? '' : ` slice ${entry.sliceIndex + 1}`;
            return `${index + 1}. ${entry.kind} ${entry.volumeName}${slice} (${entry.seconds} s): ${entry.reason}`;
          })
          .join('\n') || 'Nothing to suggest: every scan is tagged, ranged, masked and reviewed.'
    );
  }
};
