import { cp, readFile, rm, stat } from 'node:fs/promises';
import { unzlibSync } from 'fflate';
import { join } from 'node:path';
import { ApiError, type TrainingEventInfo, type TrainingStatus } from '../api/contract';
import type { EventBus } from '../api/EventBus';
import type { Logger } from '../api/createApiDispatcher';
import type { Project, Workspace } from '../project';
import { createId } from '../project';
import { planTrainingData } from './data';
import { resolveTrainingOptions, type TrainingChoice } from './job/defaultTrainingOptions';
import type { JobRequest, TrainingResult, WorkerMessage } from './job/jobTypes';
import { runFolderOf } from './job/runFolder';
import type { SpawnWorker, WorkerProcess } from './job/WorkerProcess';

interface ActiveJob {
  kind: 'train' | 'propose';
  project: Project;
  runId: string | null;
  /** The model version a proposal job predicts with. */
  modelVersionId: string | null;
  worker: WorkerProcess;
  status: TrainingStatus;
  settled: boolean;
  /** The run's final event, sent once the process has exited so that listeners see the job slot free. */
  finalEvent: TrainingEventInfo | null;
  onMessage(message: WorkerMessage): Promise<void>;
}

const maximumLogLines = 50;

/**
 * One job at a time, in its own process: training runs and proposal runs. Records runs, metric series and model
 * versions in the project store (the training process only reads it), relays progress as events, and survives the
 * process dying: the run is marked interrupted and can resume from its last checkpoint.
 */
export class TrainingJobManager {
  private active: ActiveJob | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly workspace: Workspace,
    private readonly events: EventBus,
    private readonly spawnWorker: SpawnWorker,
    private readonly logger: Logger,
    private readonly gpuAvailable: () => boolean = () => false
  ) {}

  getStatus(): TrainingStatus {
    return this.active?.status ?? idleStatus();
  }

  async startTraining(
    projectId: string,
    choice: TrainingChoice = {},
    resumeRunId?: string
  ): Promise<{ runId: string }> {
    this.ensureIdle();
    const project = await this.workspace.getProject(projectId);
    await this.refuseWithoutData(project);
    const { options, recipe } = resolveTrainingOptions(choice, this.gpuAvailable());
    let runId = resumeRunId;
    if (runId) {
      const run = await project.store.trainingRuns.get(runId);
      if (!run) throw new ApiError('not-found', 'That training run is not in this project.');
      Object.assign(options, (run.config as { options?: object }).options ?? {}, {
        ...(choice.maxSteps !== undefined ? { maxSteps: choice.maxSteps } : {}),
        ...(choice.maxSeconds !== undefined ? { maxSeconds: choice.maxSeconds } : {})
      });
      await project.store.trainingRuns.update(runId, { status: 'running', endedAt: null, error: null });
    } else {
      runId = createId();
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
    const request: JobRequest = {
      kind: 'train',
      projectFolder: project.folder,
      runId,
      options,
      resume: Boolean(resumeRunId)
    };
    this.launch('train', project, { runId }, request, {
      state: 'training',
      projectId,
      runId,
      method: options.method,
      preset: options.preset,
      recipe,
      backend: null,
      progress: null,
      lastLines: []
    });
    this.events.emit('onDidChangeTraining', { projectId, runId, status: 'running', message: null });
    return { runId };
  }

  stop(): void {
    if (!this.active) return;
    this.active.status.state = 'stopping';
    this.active.worker.send({ type: 'stop' });
  }

  async proposeMasks(projectId: string, modelVersionId: string, volumeIds: string[]): Promise<void> {
    this.ensureIdle();
    const project = await this.workspace.getProject(projectId);
    const version = await project.store.modelVersions.get(modelVersionId);
    if (!version) throw new ApiError('not-found', 'That model version is not in this project.');
    const request: JobRequest = {
      kind: 'propose',
      projectFolder: project.folder,
      weightsFolder: version.weightsFolder,
      volumeIds
    };
    this.launch('propose', project, { modelVersionId }, request, {
      ...idleStatus(),
      state: 'proposing',
      projectId,
      method: version.method as TrainingStatus['method'],
      preset: version.preset as TrainingStatus['preset']
    });
  }

  /** Runs that were still marked running when the app last stopped are interrupted: say so, keep them resumable. */
  async reconcileInterruptedRuns(project: Project): Promise<void> {
    for (const run of await project.store.trainingRuns.listWithStatus('running')) {
      if (this.active?.runId === run.id) continue;
      await project.store.trainingRuns.update(run.id, {
        status: 'interrupted',
        error: 'The app closed while this run was training.'
      });
    }
  }

  async waitForIdle(): Promise<void> {
    while (this.active) await new Promise((resolve) => setTimeout(resolve, 50));
    await this.queue;
  }

  private ensureIdle(): void {
    if (this.active) {
      const what = this.active.kind === 'train' ? 'A training job' : 'A proposal job';
      throw new ApiError(
        'busy',
        `${what} is already running. Stop it or wait until it finishes; one job runs at a time.`
      );
    }
  }

  private async refuseWithoutData(project: Project): Promise<void> {
    const plans = await planTrainingData(project.store);
    const present = plans.reduce((sum, plan) => sum + plan.present.length, 0);
    const absent = plans.reduce((sum, plan) => sum + plan.absent.length, 0);
    const masked = plans.reduce((sum, plan) => sum + plan.masked.size, 0);
    const missing = [
      present === 0 ? 'no slices are tagged tumour-present' : null,
      absent === 0 ? 'no slices are tagged tumour-absent' : null,
      masked === 0 ? 'no tumour has been drawn on any slice' : null
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new ApiError(
        'conflict',
        `Training cannot start yet: ${missing.join(', ')}. GenSeg needs tumour-present and tumour-absent scans or slices, and a mask on at least one slice.`
      );
    }
  }

  private launch(
    kind: ActiveJob['kind'],
    project: Project,
    ids: { runId?: string; modelVersionId?: string },
    request: JobRequest,
    status: TrainingStatus
  ): void {
    const worker = this.spawnWorker();
    const job: ActiveJob = {
      kind,
      project,
      runId: ids.runId ?? null,
      modelVersionId: ids.modelVersionId ?? null,
      worker,
      status,
      settled: false,
      finalEvent: null,
      onMessage: (message) => this.handleMessage(job, message)
    };
    this.active = job;
    worker.onMessage((message) => {
      this.queue = this.queue
        .then(() => job.onMessage(message))
        .catch((error: unknown) => this.logger.error('training message failed', error));
    });
    worker.onExit((code, signal) => {
      this.queue = this.queue
        .then(() => this.handleExit(job, code, signal))
        .catch((error: unknown) => this.logger.error('training exit handling failed', error));
    });
    worker.send({ type: 'run', request });
  }

  private async handleMessage(job: ActiveJob, message: WorkerMessage): Promise<void> {
    const projectId = job.project.id;
    switch (message.type) {
      case 'started':
        job.status.backend = message.backend;
        if (job.runId) await job.project.store.trainingRuns.update(job.runId, { backend: message.backend });
        this.appendLog(job, `Training process started on ${message.backend}.`);
        break;
      case 'progress':
        job.status.progress = message.progress;
        if (job.runId) await this.recordMetrics(job, message.progress);
        this.events.emit('onDidTrainingProgress', { projectId, runId: job.runId ?? '', progress: message.progress });
        break;
      case 'checkpoint':
        if (job.runId)
          await job.project.store.trainingRuns.update(job.runId, {
            checkpointFile: join(runFolderOf(job.runId), 'checkpoint.json')
          });
        break;
      case 'log':
        this.appendLog(job, message.line);
        break;
      case 'trained':
        await this.createModelVersion(job, message.result);
        break;
      case 'proposal':
        await this.storeProposal(job, message);
        break;
      case 'proposed':
        job.settled = true;
        break;
      case 'failed':
        job.settled = true;
        if (job.runId)
          await job.project.store.trainingRuns.update(job.runId, {
            status: 'failed',
            error: message.message,
            endedAt: new Date().toISOString()
          });
        job.finalEvent = { projectId, runId: job.runId ?? '', status: 'failed', message: message.message };
        break;
    }
  }

  private async handleExit(job: ActiveJob, code: number | null, signal: string | null): Promise<void> {
    if (this.active === job) this.active = undefined;
    if (job.finalEvent) this.events.emit('onDidChangeTraining', job.finalEvent);
    if (job.settled) return;
    if (!job.runId) {
      const message = `Proposing masks stopped: the process ${signal ? `was stopped by the system (${signal})` : `ended unexpectedly (exit code ${code})`}.`;
      this.events.emit('onDidChangeTraining', { projectId: job.project.id, runId: '', status: 'failed', message });
      return;
    }
    const reason = signal ? `was stopped by the system (${signal})` : `ended unexpectedly (exit code ${code})`;
    const message = `The training process ${reason}. Resume continues from its last checkpoint.`;
    await job.project.store.trainingRuns.update(job.runId, {
      status: 'interrupted',
      error: message,
      endedAt: new Date().toISOString()
    });
    this.events.emit('onDidChangeTraining', {
      projectId: job.project.id,
      runId: job.runId,
      status: 'interrupted',
      message
    });
  }

  private async recordMetrics(job: ActiveJob, progress: NonNullable<TrainingStatus['progress']>): Promise<void> {
    const points = Object.entries(progress.losses).map(([name, value]) => ({
      step: progress.step,
      name: `loss.${name}`,
      value
    }));
    points.push({ step: progress.step, name: 'stepsPerSecond', value: progress.stepsPerSecond });
    if (progress.validationDice !== null)
      points.push({ step: progress.step, name: 'validationDice', value: progress.validationDice });
    await job.project.store.trainingRuns.appendMetrics(
      job.runId!,
      points.filter((point) => Number.isFinite(point.value))
    );
  }

  private async createModelVersion(job: ActiveJob, result: TrainingResult): Promise<void> {
    const runId = job.runId!;
    const run = await job.project.store.trainingRuns.get(runId);
    const id = createId();
    const weightsFolder = join('models', 'versions', id);
    // A version is a frozen copy: resuming the run later must not change a version already in use.
    await cp(join(job.project.folder, result.weightsFolder), join(job.project.folder, weightsFolder), {
      recursive: true,
      filter: (source) => !/checkpoint/.test(source)
    });
    await stat(join(job.project.folder, weightsFolder, 'best.json'));
    const number = await job.project.store.modelVersions.create({
      id,
      runId,
      method: run?.method ?? 'genseg',
      preset: run?.preset ?? 'cpu',
      config: run?.config ?? {},
      metrics: {
        evaluation: result.evaluation,
        steps: result.step,
        bestStep: result.bestStep,
        parameters: result.parameters
      },
      dataSnapshot: result.dataSnapshot,
      backend: result.backend,
      weightsFolder,
      createdAt: new Date().toISOString()
    });
    job.settled = true;
    const stopped = job.status.state === 'stopping';
    await job.project.store.trainingRuns.update(runId, {
      status: stopped ? 'stopped' : 'finished',
      endedAt: new Date().toISOString()
    });
    this.appendLog(job, `Model version ${number} saved.`);
    this.events.emit('onDidChangeModelVersions', { projectId: job.project.id });
    job.finalEvent = {
      projectId: job.project.id,
      runId,
      status: stopped ? 'stopped' : 'finished',
      message: `Model version ${number} is ready.`
    };
  }

  private async storeProposal(job: ActiveJob, message: Extract<WorkerMessage, { type: 'proposal' }>): Promise<void> {
    const modelVersionId = job.modelVersionId!;
    const { volumeId, labelsFile, sliceAreas } = message.proposal;
    const path = join(job.project.folder, labelsFile);
    const labels = unzlibSync(await readFile(path));
    await job.project.store.proposals.insert({
      id: createId(),
      volumeId,
      modelVersionId,
      labels,
      sliceAreas,
      status: 'pending',
      reviewedSlices: {},
      createdAt: new Date().toISOString()
    });
    await rm(path, { force: true });
    this.events.emit('onDidChangeProposals', {
      projectId: job.project.id,
      volumeId,
      done: message.done,
      total: message.total
    });
  }

  private appendLog(job: ActiveJob, line: string): void {
    job.status.lastLines = [...job.status.lastLines, line].slice(-maximumLogLines);
  }
}

function idleStatus(): TrainingStatus {
  return {
    state: 'idle',
    projectId: null,
    runId: null,
    method: null,
    preset: null,
    recipe: null,
    backend: null,
    progress: null,
    lastLines: []
  };
}
