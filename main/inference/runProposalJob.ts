import { join } from 'node:path';
import {
  createTrainerOn,
  describeMissingSequences,
  loadCaseChannels,
  openProjectData,
  proposeVolume,
  readCheckpointFiles,
  selectTrainingBackend,
  toTrainerOptions,
  type Trainer,
  type ProposeJobRequest,
  type TrainingJobHooks,
  type TrainingJobState
} from '../training';

/**
 * Proposes masks with a model version, one volume after another, one message per volume so that the app stores each
 * as it comes (training/job/proposeVolume.ts does the predicting).
 */
export async function runProposalJob(request: ProposeJobRequest, hooks: TrainingJobHooks): Promise<void> {
  const saved = await readCheckpointFiles<TrainingJobState>(join(request.projectFolder, request.weightsFolder), 'best');
  if (!saved) {
    hooks.send({
      type: 'failed',
      code: 'not-found',
      message: 'The weights of this model version are missing from the project folder.'
    });
    return;
  }
  // The CPU plan of training with this model's batch size: model replicas in worker threads, each predicting part of
  // every batch of slices (parallel/ParallelTrainer.ts), and never more model copies in memory than training held.
  const backend = await selectTrainingBackend('auto', saved.jobState.options.batchSize);
  const { candidate, description, skipped } = backend.choice;
  hooks.send({ type: 'started', backend: candidate, description, skippedBackends: skipped });
  const source = await openProjectData(request.projectFolder);
  const sequences = saved.jobState.options.sequences ?? [];
  // The model takes the sequences it was trained on, in its order: a case lacking one cannot be proposed for.
  const lacking: { volumeName: string; missing: string[] }[] = [];
  for (const volumeId of request.volumeIds) {
    const volume = await source.store.volumes.get(volumeId);
    const missing = volume ? (await loadCaseChannels(source.store, volume, sequences)).missing : [];
    if (volume && missing.length > 0) lacking.push({ volumeName: volume.name, missing });
  }
  if (lacking.length > 0) {
    await source.store.close();
    hooks.send({
      type: 'failed',
      code: 'missing-data',
      message: `This model takes ${sequences.join(', ')} as its channels, and these scans lack some of them: ${describeMissingSequences(lacking)}. Propose for the other scans, or add the sequences first.`
    });
    return;
  }
  let trainer: Trainer | null = null;
  try {
    trainer = await createTrainerOn(backend, toTrainerOptions(saved.jobState.options));
    await trainer.loadCheckpoint(saved.checkpoint);
    for (const [index, volumeId] of request.volumeIds.entries()) {
      if (hooks.stopRequested()) break;
      const volume = await source.store.volumes.get(volumeId);
      if (!volume) continue;
      const proposal = await proposeVolume(trainer, source, volume, request.projectFolder, hooks.stopRequested, sequences);
      if (!proposal) break;
      hooks.send({ type: 'proposal', proposal, done: index + 1, total: request.volumeIds.length });
    }
    hooks.send({ type: 'proposed' });
  } finally {
    trainer?.dispose();
    await source.store.close();
  }
}
