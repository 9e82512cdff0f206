import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { recordProposal } from '../annotation';
import { ApiError, type TrainingEventInfo, type TrainingStatus } from '../contract';
import { copyFolderAtomically, createId, type EventBus } from '../common';
import type { JobSlot } from '../jobs';
import { getTrainingSequences, resolveInsideProject, type Project, type Workspace } from '../project';
import { describeChannelMismatch, describeMissingSequences } from './data/caseChannels';
import { appendLogLine, idleTrainingStatus } from './idleTrainingStatus';
import { resolveTrainingOptions, type TrainingChoice } from './job/defaultTrainingOptions';
import type { TrainJobRequest, TrainingResult, WorkerMessage } from './job/jobTypes';
import { runFolderOf } from './job/runFolder';
import { refuseWithoutTrainingData } from './refuseWithoutTrainingData';

interface RunState {
  project: Project;
  runId: string;
  status: TrainingStatus;
  /** The model version was recorded or the run failed: the process's exit is then expected. */
  settled: boolean;
  /** The run's final event, sent once the process has exited so that listeners see the job slot free. */
  finalEvent: TrainingEventInfo | null;
  /** The newest model version this run made: continuous training's proposals come from it. */
  latestVersionId: string | null;
  /** Ends the run's subscription to the project's data changes (continuous training). */
  unsubscribe: () => void;
}

/**
 * Training runs, recorded: starts a run (or resumes one) in the job slot, records its backend, metric series and
 * checkpoints in the project store (the training process only reads it), makes a model version from its result, and
 * marks it interrupted when the process dies, so that it can resume from its last checkpoint.
 */
export class TrainingRuns {
  constructor(
    private readonly workspace: Workspace,
    private readonly events: EventBus,
    private readonly jobs: JobSlot<TrainingStatus>,
    private readonly gpuAvailable: () => boolean = () => false
  ) {}

  async startTraining(projectId: string, choice: TrainingChoice = {}, resumeRunId?: string): Promise<{ runId: string }> {
    const claim = this.jobs.claim('A training job', { ...idleTrainingStatus(), state: 'training', projectId });
    try {
      const project = await this.workspace.getProject(projectId);
      // The slot is ours: a run still marked running was left by an app that ended while it trained.
      await this.reconcileInterruptedRuns(project);
      await refuseWithoutTrainingData(project.store);
      const { options, recipe } = resolveTrainingOptions(choice, this.gpuAvailable());
      const runId = resumeRunId ?? createId();
      if (resumeRunId) {
        const run = await project.store.trainingRuns.get(resumeRunId);
        if (!run) throw new ApiError('not-found', 'That training run is not in this project.');
        Object.assign(options, run.config.options ?? {}, {
          ...(choice.maxSteps !== undefined ? { maxSteps: choice.maxSteps } : {}),
          ...(choice.maxSeconds !== undefined ? { maxSeconds: choice.maxSeconds } : {})
        });
        await project.store.trainingRuns.update(runId, { status: 'running', endedAt: null, error: null });
      } else {
        // The project's sequences are the channels, in their order; a tagged case lacking one is refused, with the list.
        const chosen = await getTrainingSequences(project);
        if (chosen.incomplete.length > 0)
          throw new ApiError(
            'conflict',
            `Training cannot start: it uses ${chosen.names.join(', ')} as its channels, and these tagged cases lack some of them: ${describeMissingSequences(chosen.incomplete)}. Add the sequences to those cases, or choose fewer sequences for the project.`
          );
        if (chosen.names.length > 0) options.sequences = chosen.names;
        await project.store.trainingRuns.create({
          id: runId,
          status: 'running',
          method: options.method,
          preset: options.preset,
          config: { options, recipe },
          backend: null,
          startedAt: new Date().toISOString()
        });
      }
      Object.assign(claim.status, { runId, method: options.method, preset: options.preset, recipe });
      const run: RunState = { project, runId, status: claim.status, settled: false, finalEvent: null, latestVersionId: null, unsubscribe: () => {} };
      const request: TrainJobRequest = { kind: 'train', projectFolder: project.folder, runId, options, resume: Boolean(resumeRunId) };
      if (options.continuous) {
        request.initialWeightsFolder = await this.findStartingVersion(project, options);
        run.unsubscribe = this.events.subscribe((name, payload) => {
          const changed = name === 'onDidChangeMask' || name === 'onDidChangeWeakLabels';
          if (changed && (payload as { projectId: string }).projectId === projectId) this.jobs.notifyDataChanged();
        });
      }
      claim.start<TrainJobRequest, WorkerMessage>(request, {
        onMessage: (message) => this.handleMessage(run, message),
        onExit: (code, signal) => this.handleExit(run, code, signal),
        onStopRequested: () => {
          run.status.state = 'stopping';
          appendLogLine(run.status, 'Stopping after the current step, keeping the best model so far.');
        }
      }, { projectId, runId });
      this.events.emit('onDidChangeTraining', { projectId, runId, status: 'running', message: null });
      return { runId };
    } catch (error) {
      claim.release();
      throw error;
    }
  }

  /**
   * At launch, for a job a host that died left running (main/jobs reclaimed its process): opening its project sweeps
   * the temporary files of writes it left halfway, and its runs still marked running become interrupted.
   */
  async recoverOrphanedJob(detail: Record<string, string>): Promise<void> {
    if (!detail.projectId) return;
    await this.reconcileInterruptedRuns(await this.workspace.getProject(detail.projectId));
  }

  /** Runs that were still marked running when the app last stopped are interrupted: say so, keep them resumable. */
  async reconcileInterruptedRuns(project: Project): Promise<void> {
    for (const run of await project.store.trainingRuns.listWithStatus('running')) {
      const current = this.jobs.current?.status;
      if (current?.projectId === project.id && current.runId === run.id) continue;
      await project.store.trainingRuns.update(run.id, {
        status: 'interrupted',
        error: 'The app closed while this run was training.'
      });
    }
  }

  /** The newest model version that continuous training can start from: same method, preset, input size and channels. */
  private async findStartingVersion(project: Project, options: TrainJobRequest['options']): Promise<string | undefined> {
    const versions = (await project.store.modelVersions.list()).sort((a, b) => b.number - a.number);
    const fits = versions.find((version) => {
      const stored = version.config.options as Partial<TrainJobRequest['options']> | undefined;
      return (
        version.method === options.method &&
        version.preset === options.preset &&
        stored?.inputSize?.[0] === options.inputSize[0] &&
        stored?.inputSize?.[1] === options.inputSize[1] &&
        describeChannelMismatch(stored.sequences, options.sequences) === null
      );
    });
    return fits?.weightsFolder;
  }

  private async handleMessage(run: RunState, message: WorkerMessage): Promise<void> {
    const store = run.project.store;
    switch (message.type) {
      case 'started':
        run.status.backend = message.description;
        await store.trainingRuns.update(run.runId, { backend: message.backend });
        appendLogLine(run.status, `Training on ${message.description}.`);
        for (const skip of message.skippedBackends) appendLogLine(run.status, `Not ${skip.candidate}: ${skip.reason}.`);
        break;
      case 'progress':
        run.status.progress = message.progress;
        await this.recordMetrics(run, message.progress);
        this.events.emit('onDidTrainingProgress', { projectId: run.project.id, runId: run.runId, progress: message.progress });
        break;
      case 'checkpoint':
        await store.trainingRuns.update(run.runId, { checkpointFile: join(runFolderOf(run.runId), 'checkpoint.json') });
        break;
      case 'log':
        appendLogLine(run.status, message.line);
        break;
      case 'trained':
        await this.createModelVersion(run, message.result, { final: true });
        break;
      case 'version':
        await this.createModelVersion(run, message.result, { final: false });
        break;
      case 'proposal':
        if (!run.latestVersionId) break;
        await recordProposal(run.project, run.latestVersionId, message.proposal);
        this.events.emit('onDidChangeProposals', {
          projectId: run.project.id,
          volumeId: message.proposal.volumeId,
          done: message.done,
          total: message.total
        });
        break;
      case 'failed':
        run.settled = true;
        await store.trainingRuns.update(run.runId, { status: 'failed', error: message.message, endedAt: new Date().toISOString() });
        run.finalEvent = { projectId: run.project.id, runId: run.runId, status: 'failed', message: message.message };
        break;
      default:
        break;
    }
  }

  private async handleExit(run: RunState, code: number | null, signal: string | null): Promise<void> {
    run.unsubscribe();
    if (run.finalEvent) this.events.emit('onDidChangeTraining', run.finalEvent);
    if (run.settled) return;
    const reason = signal ? `was stopped by the system (${signal})` : `ended unexpectedly (exit code ${code})`;
    const message = `The training process ${reason}. Resume continues from its last checkpoint.`;
    await run.project.store.trainingRuns.update(run.runId, { status: 'interrupted', error: message, endedAt: new Date().toISOString() });
    this.events.emit('onDidChangeTraining', { projectId: run.project.id, runId: run.runId, status: 'interrupted', message });
  }

  private async recordMetrics(run: RunState, progress: NonNullable<TrainingStatus['progress']>): Promise<void> {
    const points = Object.entries(progress.losses).map(([name, value]) => ({ step: progress.step, name: `loss.${name}`, value }));
    points.push({ step: progress.step, name: 'stepsPerSecond', value: progress.stepsPerSecond });
    if (progress.validationDice !== null) points.push({ step: progress.step, name: 'validationDice', value: progress.validationDice });
    if (progress.trainingDice != null) points.push({ step: progress.step, name: 'trainingDice', value: progress.trainingDice });
    await run.project.store.trainingRuns.appendMetrics(
      run.runId,
      points.filter((point) => Number.isFinite(point.value))
    );
  }

  /** A frozen copy of the run's best weights as a numbered version; the final one also ends the run. */
  private async createModelVersion(run: RunState, result: TrainingResult, { final }: { final: boolean }): Promise<void> {
    const { project, runId } = run;
    const record = await project.store.trainingRuns.get(runId);
    const id = createId();
    const weightsFolder = join('models', 'versions', id);
    // A version is a frozen copy: resuming the run later must not change a version already in use.
    // On disk (each file and folder fsynced) before the store names it.
    await copyFolderAtomically(
      resolveInsideProject(project.folder, result.weightsFolder),
      join(project.folder, weightsFolder),
      (source) => !/checkpoint/.test(source)
    );
    await stat(join(project.folder, weightsFolder, 'best.json'));
    const number = await project.store.modelVersions.create({
      id,
      runId,
      method: record?.method ?? 'genseg',
      preset: record?.preset ?? 'cpu',
      config: record?.config ?? {},
      metrics: { evaluation: result.evaluation, steps: result.step, bestStep: result.bestStep, parameters: result.parameters },
      dataSnapshot: result.dataSnapshot,
      backend: result.backend,
      weightsFolder,
      createdAt: new Date().toISOString()
    });
    run.latestVersionId = id;
    if (!final) {
      appendLogLine(run.status, `Model version ${number} saved; training goes on.`);
      this.events.emit('onDidChangeModelVersions', { projectId: project.id });
      return;
    }
    run.settled = true;
    const stopped = run.status.state === 'stopping';
    await project.store.trainingRuns.update(runId, { status: stopped ? 'stopped' : 'finished', endedAt: new Date().toISOString() });
    appendLogLine(run.status, `Model version ${number} saved.`);
    this.events.emit('onDidChangeModelVersions', { projectId: project.id });
    run.finalEvent = {
      projectId: project.id,
      runId,
      status: stopped ? 'stopped' : 'finished',
      message: `Model version ${number} is ready.`
    };
  }
}
