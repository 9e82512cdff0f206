import { recordProposal } from '../annotation';
import type { EventBus } from '../common';
import { ApiError, type TrainingStatus } from '../contract';
import type { JobSlot } from '../jobs';
import { resolveInsideProject, type Project, type Workspace } from '../project';
import { describeMissingSequences, idleTrainingStatus, loadCaseChannels, type ProposeJobRequest, type WorkerMessage } from '../training';

interface ProposalRun {
  project: Project;
  modelVersionId: string;
  settled: boolean;
}

/**
 * Proposal jobs: a model version predicts masks for chosen volumes in the job slot's process; each volume's labelmap
 * is stored as a pending proposal as it arrives, so a job stopped half-way keeps what it made.
 */
export class ProposalJobs {
  constructor(
    private readonly workspace: Workspace,
    private readonly events: EventBus,
    private readonly jobs: JobSlot<TrainingStatus>
  ) {}

  async proposeMasks(projectId: string, modelVersionId: string, volumeIds: string[]): Promise<void> {
    const claim = this.jobs.claim('A proposal job', { ...idleTrainingStatus(), state: 'proposing', projectId });
    try {
      const project = await this.workspace.getProject(projectId);
      const version = await project.store.modelVersions.get(modelVersionId);
      if (!version) throw new ApiError('not-found', 'That model version is not in this project.');
      // The job process reads the weights from this folder: it must be the project's own.
      resolveInsideProject(project.folder, version.weightsFolder);
      await refuseCasesWithoutSequences(project, (version.config.options as { sequences?: string[] } | undefined)?.sequences ?? [], volumeIds);
      Object.assign(claim.status, { method: version.method, preset: version.preset });
      const run: ProposalRun = { project, modelVersionId, settled: false };
      const request: ProposeJobRequest = { kind: 'propose', projectFolder: project.folder, weightsFolder: version.weightsFolder, volumeIds };
      claim.start<ProposeJobRequest, WorkerMessage>(request, {
        onMessage: (message) => this.handleMessage(run, message),
        onExit: async (code, signal) => this.handleExit(run, code, signal)
      }, { projectId });
    } catch (error) {
      claim.release();
      throw error;
    }
  }

  private async handleMessage(run: ProposalRun, message: WorkerMessage): Promise<void> {
    switch (message.type) {
      case 'started':
        this.jobs.current!.status.backend = message.description;
        break;
      case 'proposal':
        await this.storeProposal(run, message);
        break;
      case 'proposed':
        run.settled = true;
        break;
      case 'failed':
        run.settled = true;
        this.events.emit('onDidChangeTraining', { projectId: run.project.id, runId: '', status: 'failed', message: message.message });
        break;
      default:
        break;
    }
  }

  private handleExit(run: ProposalRun, code: number | null, signal: string | null): void {
    if (run.settled) return;
    const reason = signal ? `was stopped by the system (${signal})` : `ended unexpectedly (exit code ${code})`;
    const message = `Proposing masks stopped: the process ${reason}.`;
    this.events.emit('onDidChangeTraining', { projectId: run.project.id, runId: '', status: 'failed', message });
  }

  private async storeProposal(run: ProposalRun, message: Extract<WorkerMessage, { type: 'proposal' }>): Promise<void> {
    await recordProposal(run.project, run.modelVersionId, message.proposal);
    this.events.emit('onDidChangeProposals', {
      projectId: run.project.id,
      volumeId: message.proposal.volumeId,
      done: message.done,
      total: message.total
    });
  }
}

/** A model takes the sequences it was trained on (its channels): scans that lack one are refused, with the list. */
async function refuseCasesWithoutSequences(project: Project, sequences: string[], volumeIds: string[]): Promise<void> {
  if (sequences.length === 0) return;
  const lacking: { volumeName: string; missing: string[] }[] = [];
  for (const volumeId of volumeIds) {
    const volume = await project.store.volumes.get(volumeId);
    const missing = volume ? (await loadCaseChannels(project.store, volume, sequences)).missing : [];
    if (volume && missing.length > 0) lacking.push({ volumeName: volume.name, missing });
  }
  if (lacking.length > 0)
    throw new ApiError(
      'conflict',
      `This model takes ${sequences.join(', ')} as its channels, and these scans lack some of them: ${describeMissingSequences(lacking)}. Propose for the other scans, or add the sequences first.`
    );
}
