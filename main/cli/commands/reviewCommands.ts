import { parseArgs } from 'node:util';
import type { ProposalSummary } from '../../contract';
import { exitCodes, type Command, type CommandContext } from '../Command';
import { callOrReport, dispatchOrThrow, resolveProject } from '../callOrReport';
import { parseSliceList } from './annotationCommands';

const oneBased = (slices: number[]) => slices.map((slice) => slice + 1).join(',');

export const modelsCommand: Command = {
  name: 'models',
  summary:
    'List the model versions of a project (with --runs, its training runs); rename or delete one; --readiness says what ' +
    'the data allows (held-out scans, what to annotate to measure accuracy, thin data)',
  usage: 'models --project ID|NAME [--runs] [--metrics RUN_ID] [--rename MODEL_ID --name NAME] [--delete MODEL_ID] [--readiness]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        project: { type: 'string' },
        runs: { type: 'boolean' },
        metrics: { type: 'string' },
        rename: { type: 'string' },
        name: { type: 'string' },
        delete: { type: 'string' },
        readiness: { type: 'boolean' }
      }
    });
    if (!values.project || (values.rename !== undefined && values.name === undefined)) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    if (values.rename) {
      return callOrReport(context, 'renameModelVersion', { projectId, modelVersionId: values.rename, name: values.name! }, (version) =>
        `model ${version.number}\t${version.name ?? '(no name)'}`
      );
    }
    if (values.delete) {
      return callOrReport(context, 'deleteModelVersion', { projectId, modelVersionId: values.delete }, (deleted) =>
        `deleted\t${deleted.modelVersionId}\twithdrawn proposals on ${deleted.withdrawnVolumeIds.length} scans`
      );
    }
    if (values.readiness) {
      return callOrReport(context, 'getTrainingReadiness', { projectId }, (readiness) =>
        [
          `tagged scans ${readiness.taggedScans}\tslices with tumour ${readiness.presentSlices}\twithout ${readiness.absentSlices}\tmasked ${readiness.maskedSlices}`,
          `held out: ${readiness.heldOutScans.map((scan) => scan.name).join(', ') || 'none'}`,
          readiness.toMeasure ?? 'Accuracy is measured on the held-out scans.',
          ...(readiness.thinData ? [readiness.thinData] : [])
        ].join('\n')
      );
    }
    if (values.metrics) {
      return callOrReport(context, 'getTrainingMetrics', { projectId, runId: values.metrics }, (series) =>
        series.map((one) => `${one.name}\t${one.steps.length} points\tlast ${one.values.at(-1) ?? ''}`).join('\n')
      );
    }
    if (values.runs) {
      return callOrReport(context, 'listTrainingRuns', { projectId }, (runs) =>
        runs
          .map((run) => `${run.id}\t${run.status}\t${run.method}\t${run.preset}\t${run.startedAt}${run.resumable ? '\tresumable' : ''}${run.error ? `\t${run.error}` : ''}`)
          .join('\n')
      );
    }
    return callOrReport(context, 'listModelVersions', { projectId }, (versions) =>
      versions
        .map(
          (version) =>
            `${version.id}\tmodel ${version.number}${version.name ? ` (${version.name})` : ''}\t${version.method}\t${version.preset}\t${version.steps} steps\tDice ${version.evaluation.dice?.toFixed(3) ?? 'n/a'}\t${version.createdAt}`
        )
        .join('\n')
    );
  }
};

export const proposalsCommand: Command = {
  name: 'proposals',
  summary: 'List the proposals of a project (or of one volume) with the slices they cover and what was decided',
  usage: 'proposals --project ID|NAME [--volume ID] [--all]',
  async run(args, context) {
    const { values } = parseArgs({ args, options: { project: { type: 'string' }, volume: { type: 'string' }, all: { type: 'boolean' } } });
    if (!values.project) {
      context.err(`usage: ${this.usage}\n`);
      return exitCodes.usage;
    }
    const projectId = await resolveProject(context, values.project);
    const volumeIds = values.volume ? [values.volume] : (await dispatchOrThrow(context, 'listVolumes', { projectId })).map((volume) => volume.id);
    const proposals: ProposalSummary[] = [];
    for (const volumeId of volumeIds) {
      const list = await dispatchOrThrow(context, 'listProposals', { projectId, volumeId });
      proposals.push(...list.filter((proposal) => values.all || proposal.status === 'pending' || proposal.status === 'disagreement'));
    }
    context.out(
      context.json
        ? `${JSON.stringify(proposals)}\n`
        : `${proposals
            .map((proposal) => {
              const slices = proposal.sliceAreas.flatMap((area, slice) => (area > 0 ? [slice] : []));
              const decided = Object.keys(proposal.reviewedSlices).length;
              return `${proposal.id}\t${proposal.volumeId}\tmodel ${proposal.modelVersionNumber}\t${proposal.status}\tslices ${oneBased(slices) || 'none'}\t${decided} decided`;
            })
            .join('\n')}\n`
    );
    return exitCodes.ok;
  }
};

async function review(
  context: CommandContext,
  args: string[],
  usage: string,
  decide: (projectId: string, proposalId: string, sliceIndices: number[] | undefined, markAbsent: boolean) => Promise<number>
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { project: { type: 'string' }, proposal: { type: 'string' }, slices: { type: 'string' }, 'mark-absent': { type: 'boolean' } }
  });
  if (!values.project || !values.proposal) {
    context.err(`usage: ${usage}\n`);
    return exitCodes.usage;
  }
  const projectId = await resolveProject(context, values.project);
  return decide(projectId, values.proposal, values.slices ? parseSliceList(values.slices) : undefined, values['mark-absent'] ?? false);
}

export const acceptCommand: Command = {
  name: 'accept',
  summary: "Accept a proposal's slices as masks (all not yet decided, or the chosen ones; slices are numbered from 1)",
  usage: 'accept --project ID|NAME --proposal ID [--slices 12-30,41]',
  run(args, context) {
    return review(context, args, this.usage, (projectId, proposalId, sliceIndices) =>
      callOrReport(context, 'acceptProposal', { projectId, proposalId, ...(sliceIndices ? { sliceIndices } : {}) }, (result) =>
        `accepted\t${oneBased(result.acceptedSlices) || 'none'}`
      )
    );
  }
};

export const rejectCommand: Command = {
  name: 'reject',
  summary: "Reject a proposal's slices (all not yet decided, or the chosen ones); --mark-absent tags them tumour-absent",
  usage: 'reject --project ID|NAME --proposal ID [--slices 12-30,41] [--mark-absent]',
  run(args, context) {
    return review(context, args, this.usage, (projectId, proposalId, sliceIndices, markAbsent) =>
      callOrReport(
        context,
        'rejectProposal',
        { projectId, proposalId, markAbsent, ...(sliceIndices ? { sliceIndices } : {}) },
        (result) => `rejected\t${oneBased(result.rejectedSlices) || 'none'}`
      )
    );
  }
};

export const statusCommand: Command = {
  name: 'status',
  summary: "What the job slot is doing, and with --project the project's scans, labels, masks, models and proposals",
  usage: 'status [--project ID|NAME] [--volume ID]',
  async run(args, context) {
    const { values } = parseArgs({ args, options: { project: { type: 'string' }, volume: { type: 'string' } } });
    const training = await dispatchOrThrow(context, 'getTrainingStatus', {});
    if (!values.project) {
      context.out(context.json ? `${JSON.stringify({ training })}\n` : `jobs\t${training.state}\n`);
      return exitCodes.ok;
    }
    const projectId = await resolveProject(context, values.project);
    if (values.volume) {
      const volumeId = values.volume;
      const labels = await dispatchOrThrow(context, 'getWeakLabels', { projectId, volumeId });
      const masks = await dispatchOrThrow(context, 'getMaskSlices', { projectId, volumeId });
      const slices = masks.slices.map((slice) => ({
        sliceIndex: slice.sliceIndex,
        version: slice.version,
        provenance: slice.provenance,
        voxels: slice.labels.reduce((sum, value) => sum + (value !== 0 ? 1 : 0), 0)
      }));
      context.out(
        context.json
          ? `${JSON.stringify({ training, labels, masks: slices })}\n`
          : [
              `scan\t${labels.scan}`,
              `present\t${oneBased(labels.slices.flatMap((state, k) => (state === 'present' ? [k] : [])))}`,
              `absent\t${labels.slices.filter((state) => state === 'absent').length} slices`,
              ...slices.map((slice) => `mask\tslice ${slice.sliceIndex + 1}\tv${slice.version}\t${slice.provenance}\t${slice.voxels} voxels`)
            ].join('\n') + '\n'
      );
      return exitCodes.ok;
    }
    const volumes = await dispatchOrThrow(context, 'listVolumes', { projectId });
    const models = await dispatchOrThrow(context, 'listModelVersions', { projectId });
    const summary = {
      training,
      volumes: volumes.map((volume) => ({ id: volume.id, name: volume.name, sourceKind: volume.sourceKind, ...volume.labels })),
      modelVersions: models.length,
      latestModel: models.at(-1)?.id ?? null
    };
    context.out(
      context.json
        ? `${JSON.stringify(summary)}\n`
        : [
            `jobs\t${training.state}`,
            `models\t${models.length}${summary.latestModel ? `\tlatest ${summary.latestModel}` : ''}`,
            ...summary.volumes.map(
              (volume) =>
                `volume\t${volume.id}\t${volume.name}\t${volume.sourceKind}\t${volume.scan}\t${volume.presentSlices} present\t${volume.absentSlices} absent\t${volume.maskedSlices} masked\t${volume.pendingProposals} pending`
            )
          ].join('\n') + '\n'
    );
    return exitCodes.ok;
  }
};
