import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallInput, CallName, CallResult } from '../contract';
import { createAppCore, type AppCore } from '../app';
import { createLesionProject } from './testing/createLesionProject';

let folder: string;
let core: AppCore;

/** Resolves with the first status line matching `pattern` that the running job logs. */
async function waitForLine(pattern: RegExp): Promise<string> {
  for (;;) {
    const line = core.jobs.current?.status.lastLines.find((candidate) => pattern.test(candidate));
    if (line) return line;
    await core.events.waitFor('onDidTrainingProgress', () => true);
  }
}

/** Runs `body` with `environment` set (job processes started meanwhile inherit it), then puts the old values back. */
async function withEnvironment<T>(environment: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Proposes masks with a model version in a job process started with `environment`; its backend and labelmaps. */
async function proposeWithEnvironment(projectId: string, modelVersionId: string, environment: Record<string, string>) {
  return withEnvironment(environment, async () => {
    let backend: string | null | undefined;
    const proposed = core.events.waitFor('onDidChangeProposals', (event) => {
      backend = core.jobs.current?.status.backend;
      return event.done === event.total;
    });
    const { volumeIds } = await call('proposeMasks', { projectId, modelVersionId });
    await proposed;
    await core.jobs.whenIdle();
    const labels = new Map<string, Uint8Array>();
    for (const volumeId of volumeIds) {
      const [proposal] = await call('listProposals', { projectId, volumeId });
      if (proposal) labels.set(volumeId, new Uint8Array((await call('getProposalLabels', { projectId, proposalId: proposal.id })).labels));
    }
    return { backend, labels };
  });
}

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const outcome = await core.dispatch(name, input, { host: 'web' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as CallResult<N>;
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-training-'));
  core = createAppCore({
    workspaceFolder: folder,
    logger: { info: () => {}, error: (message, error) => console.error(message, error) }
  });
});

afterEach(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

// Each test trains in a real child process; on a busy 2-core machine that can take minutes.
describe('training jobs', { timeout: 300_000 }, () => {
  it('refuses to start without the data GenSeg needs, saying what is missing', async () => {
    const { id: projectId } = await core.workspace.createProject('Empty');
    await expect(call('startTraining', { projectId })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/no slices are tagged tumour-present.*tumour-absent.*no tumour has been drawn/)
    });
    expect((await call('getTrainingStatus', {})).state).toBe('idle');
  });

  it('trains in its own process, makes a model version with its evaluation, proposes masks and accepts one', async () => {
    const { projectId } = await createLesionProject(core, {
      volumes: 6,
      size: 32,
      slices: 10,
      maskedSlicesPerVolume: 2
    });
    const finished = core.events.waitFor('onDidChangeTraining', (event) => event.status !== 'running');
    // A short schedule: a segmentation step, then joint GenSeg steps, so both kinds run in the process.
    const recipe = { warmStartSteps: 1, segmentationStepsPerJointStep: 0 };
    const { runId } = await core.training.startTraining(projectId, {
      preset: 'tiny',
      maxSteps: 4,
      inputSize: [32, 32],
      batchSize: 2,
      recipe
    });
    await expect(call('startTraining', { projectId })).rejects.toMatchObject({ code: 'busy' });
    const outcome = await finished;
    expect(outcome).toMatchObject({ runId, status: 'finished' });
    const [version] = await call('listModelVersions', { projectId });
    expect(version).toMatchObject({ number: 1, method: 'genseg', preset: 'tiny', steps: 4 });
    expect(version!.dataSnapshot.labelledSlices).toBeGreaterThan(0);
    expect(version!.evaluation.heldOutPresentSlices + version!.evaluation.heldOutAbsentSlices).toBeGreaterThan(0);
    const runs = await call('listTrainingRuns', { projectId });
    expect(runs[0]).toMatchObject({ id: runId, status: 'finished', backend: expect.any(String) });
    const metrics = await call('getTrainingMetrics', { projectId, runId });
    expect(metrics.map((series) => series.name)).toEqual(
      expect.arrayContaining(['loss.generator', 'loss.segmentationOnly'])
    );

    const proposed = core.events.waitFor('onDidChangeProposals', (event) => event.done === event.total);
    const { volumeIds } = await call('proposeMasks', { projectId, modelVersionId: version!.id });
    expect(volumeIds.length).toBe(3);
    await proposed;
    await core.jobs.whenIdle();
    const [proposal] = await call('listProposals', { projectId, volumeId: volumeIds[0]! });
    expect(proposal?.sliceAreas).toHaveLength(10);
    const labels = await call('getProposalLabels', { projectId, proposalId: proposal!.id });
    expect(labels.labels.byteLength).toBe(32 * 32 * 10);
    const edited = new Uint8Array(32 * 32).fill(1);
    const accepted = await call('acceptProposal', {
      projectId,
      proposalId: proposal!.id,
      editedSlices: [{ sliceIndex: 4, labels: edited }]
    });
    expect(accepted.acceptedSlices).toContain(4);
    const mask = await call('getMaskSlices', { projectId, volumeId: volumeIds[0]!, sliceIndices: [4] });
    expect(mask.slices[0]).toMatchObject({ provenance: 'proposal-edited' });
    expect((await call('listProposals', { projectId, volumeId: volumeIds[0]! }))[0]?.status).toBe('reviewed');
  });

  it('trains as data-parallel replicas when it has two threads, and says so', async () => {
    const { projectId } = await createLesionProject(core, {
      volumes: 4,
      size: 32,
      slices: 8,
      maskedSlicesPerVolume: 2
    });
    // The training process inherits this: two threads, batches of 4, so two replicas of two images each.
    await withEnvironment({ GENSEG_WASM_THREADS: '2' }, async () => {
      const finished = core.events.waitFor('onDidChangeTraining', (event) => event.status !== 'running');
      const recipe = { warmStartSteps: 1, segmentationStepsPerJointStep: 0 };
      await core.training.startTraining(projectId, { preset: 'tiny', maxSteps: 3, inputSize: [32, 32], batchSize: 4, recipe, device: 'cpu' });
      expect(await waitForLine(/^Training on/)).toBe('Training on CPU, 2 threads, WebAssembly, 2 model replicas.');
      expect(await finished).toMatchObject({ status: 'finished' });
    });
    const [version] = await call('listModelVersions', { projectId });
    expect(version).toMatchObject({ method: 'genseg', steps: 3 });
    // The held-out evaluation ran on the replicas' predictions (each predicts part of every batch); the split
    // follows the random volume ids, so which held-out slices carry masks varies from run to run.
    const { evaluation } = version!;
    expect(evaluation.heldOutPresentSlices + evaluation.heldOutAbsentSlices).toBeGreaterThan(0);
    for (const score of [evaluation.dice, evaluation.auroc]) if (score !== null) expect(score).toBeGreaterThanOrEqual(0);

    // Proposing with the same two threads: a replica per thread, each predicting part of every batch of slices; the
    // labelmaps are the ones a single model proposes (GENSEG_WASM_REPLICAS=1) with the same weights.
    const withReplicas = await proposeWithEnvironment(projectId, version!.id, { GENSEG_WASM_THREADS: '2' });
    expect(withReplicas.backend).toBe('CPU, 2 threads, WebAssembly, 2 model replicas');
    const alone = await proposeWithEnvironment(projectId, version!.id, { GENSEG_WASM_THREADS: '2', GENSEG_WASM_REPLICAS: '1' });
    expect(alone.backend).toBe('CPU, 2 threads, WebAssembly');
    expect(withReplicas.labels.size).toBeGreaterThan(0);
    expect([...withReplicas.labels.keys()]).toEqual([...alone.labels.keys()]);
    // After three steps the model may mark every voxel: this catches a replica's part missing or cut short; the order
    // of the parts is checked in parallel/ParallelTrainer.test.ts, where predictions are compared bit for bit.
    for (const [volumeId, labels] of withReplicas.labels) expect(labels, volumeId).toEqual(alone.labels.get(volumeId));
  });

  it('trains the paper baselines through the same job', async () => {
    const { projectId } = await createLesionProject(core, {
      volumes: 4,
      size: 24,
      slices: 8,
      maskedSlicesPerVolume: 1
    });
    for (const method of ['segmentation-only', 'ae-segmentation'] as const) {
      const finished = core.events.waitFor('onDidChangeTraining', (event) => event.status !== 'running');
      await core.training.startTraining(projectId, {
        method,
        preset: 'tiny',
        maxSteps: 2,
        inputSize: [32, 32],
        batchSize: 2
      });
      expect(await finished).toMatchObject({ status: 'finished' });
    }
    const versions = await call('listModelVersions', { projectId });
    expect(versions.map((version) => version.method)).toEqual(['segmentation-only', 'ae-segmentation']);
  });

  it('survives the training process being killed, and resumes from the last checkpoint', async () => {
    const { projectId } = await createLesionProject(core, {
      volumes: 4,
      size: 32,
      slices: 8,
      maskedSlicesPerVolume: 2
    });
    const { runId } = await core.training.startTraining(projectId, {
      preset: 'tiny',
      inputSize: [32, 32],
      batchSize: 2,
      checkpointEverySeconds: 0.001
    });
    await core.events.waitFor('onDidTrainingProgress', (event) => event.progress.step >= 2);
    const killedAfter = (await core.events.waitFor('onDidTrainingProgress', () => true)).progress.step;
    const interrupted = core.events.waitFor('onDidChangeTraining', (event) => event.status === 'interrupted');
    const pid = core.jobs.current!.worker!.pid!;
    process.kill(pid, 'SIGKILL');
    expect((await interrupted).message).toMatch(/SIGKILL.*Resume/);
    await core.jobs.whenIdle();
    expect((await call('getTrainingStatus', {})).state).toBe('idle');
    const [run] = await call('listTrainingRuns', { projectId });
    expect(run).toMatchObject({ id: runId, status: 'interrupted', resumable: true });

    const finished = core.events.waitFor('onDidChangeTraining', (event) => event.status === 'finished');
    const firstProgress = core.events.waitFor('onDidTrainingProgress', () => true);
    // A limit past the killed run's last step, so the resumed run has steps left to take (training may be fast).
    await call('resumeTraining', { projectId, runId, maxSteps: killedAfter + 4 });
    // Checkpoints were written after every step, so the resumed run goes on from where the killed one was.
    // (The step being checkpointed when the process died may be lost: at most one checkpoint interval.)
    expect((await firstProgress).progress.step).toBeGreaterThanOrEqual(killedAfter);
    await finished;
    const [version] = await call('listModelVersions', { projectId });
    expect(version?.steps).toBe(killedAfter + 4);
  });

  it('stops within one step of the cpu preset while the process is busy, keeping the best model so far', async () => {
    const { projectId } = await createLesionProject(core, { volumes: 4, size: 48, slices: 10, maskedSlicesPerVolume: 2 });
    const steps: number[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'onDidTrainingProgress') steps.push((payload as { progress: { step: number } }).progress.step);
    });
    await core.training.startTraining(projectId, { preset: 'cpu', maxSeconds: 900, progressEverySeconds: 0 });
    await core.events.waitFor('onDidTrainingProgress', (event) => event.progress.step >= 2);
    const finished = core.events.waitFor('onDidChangeTraining', (event) => event.status !== 'running');
    const stepAtStop = steps.at(-1)!;
    expect(core.jobs.stop()).toBe(true);
    const status = await call('getTrainingStatus', {});
    expect(status.state).toBe('stopping');
    expect(status.lastLines.at(-1)).toMatch(/Stopping after the current step, keeping the best model so far/);
    expect(await finished).toMatchObject({ status: 'stopped', message: expect.stringMatching(/Model version 1 is ready/) });
    const [version] = await call('listModelVersions', { projectId });
    // The step in flight when Stop arrived finishes; no other starts.
    expect(version!.steps).toBeLessThanOrEqual(stepAtStop + 1);
    expect(version!.preset).toBe('cpu');
  });

  it('keeps training in the background: new masks reach it without a restart, versions come with proposals', async () => {
    const { projectId, truth } = await createLesionProject(core, { volumes: 6, size: 32, slices: 10, maskedSlicesPerVolume: 1 });
    const versions: number[] = [];
    core.events.subscribe((name) => {
      if (name === 'onDidChangeModelVersions') versions.push(versions.length + 1);
    });
    await core.training.startTraining(projectId, {
      preset: 'tiny',
      inputSize: [32, 32],
      batchSize: 2,
      continuous: true,
      continuousSettings: { refreshEverySeconds: 3600, versionEverySeconds: 0 },
      progressEverySeconds: 0
    });
    await core.events.waitFor('onDidTrainingProgress', (event) => event.progress.step >= 1);
    const pid = core.jobs.current!.worker!.pid;
    // A clinician draws on one more slice of a lesion scan while the model trains.
    const [volumeId, labels] = [...truth.entries()].find(([, mask]) => mask.some((value) => value > 0))!;
    const slice = Array.from({ length: 10 }, (_, index) => index).find(
      (index) => labels.subarray(index * 32 * 32, (index + 1) * 32 * 32).some((value) => value > 0)
    )!;
    const before = (await call('getWeakLabels', { projectId, volumeId })).sources.filter((source) => source === 'mask').length;
    const refreshed = waitForLine(/Training data refreshed: (\d+) masked/);
    await call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: slice + 1, labels: labels.slice((slice + 1) * 1024, (slice + 2) * 1024) }] });
    expect((await call('getWeakLabels', { projectId, volumeId })).sources.filter((source) => source === 'mask').length).toBe(before + 1);
    const line = await refreshed;
    expect(line).toMatch(/refreshed: \d+ masked.*\(was \d+/);
    const [, now, was] = /refreshed: (\d+) masked.*\(was (\d+)/.exec(line)!;
    expect(Number(now)).toBe(Number(was) + 1);
    expect(core.jobs.current!.worker!.pid).toBe(pid);
    // A version is published while training goes on, with proposals for the scans nobody drew on.
    const proposed = core.events.waitFor('onDidChangeProposals', (event) => event.done === event.total);
    await core.events.waitFor('onDidChangeModelVersions', () => true);
    expect((await call('getTrainingStatus', {})).state).toBe('training');
    await proposed;
    const finished = core.events.waitFor('onDidChangeTraining', (event) => event.status !== 'running');
    core.jobs.stop();
    expect(await finished).toMatchObject({ status: 'stopped' });
    const listed = await call('listModelVersions', { projectId });
    expect(listed.length).toBeGreaterThanOrEqual(2);
  });
});
