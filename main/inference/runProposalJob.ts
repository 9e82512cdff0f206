import { join } from 'node:path';
import {
  createTrainer,
  openProjectData,
  proposeVolume,
  readCheckpointFiles,
  selectBackend,
  toTrainerOptions,
  type ProposeJobRequest,
  type TrainingJobHooks,
  type TrainingJobState
} from '../training';

/**
 * Proposes masks with a model version, one volume after another, one message per volume so that the app stores each
 * as it comes (training/job/proposeVolume.ts does the predicting).
 */
export async function runProposalJob(request: ProposeJobRequest, hooks: TrainingJobHooks): Promise<void> {
  const backend = await selectBackend();
  hooks.send({ type: 'started', backend: backend.candidate, description: backend.description, skippedBackends: backend.skipped });
  const saved = await readCheckpointFiles<TrainingJobState>(join(request.projectFolder, request.weightsFolder), 'best');
  if (!saved) {
    hooks.send({
      type: 'failed',
      code: 'not-found',
      message: 'The weights of this model version are missing from the project folder.'
    });
    return;
  }
  const source = await openProjectData(request.projectFolder);
  const trainer = createTrainer(toTrainerOptions(saved.jobState.options));
  try {
    trainer.loadCheckpoint(saved.checkpoint);
    for (const [index, volumeId] of request.volumeIds.entries()) {
      if (hooks.stopRequested()) break;
      const volume = await source.store.volumes.get(volumeId);
      if (!volume) continue;
      const proposal = await proposeVolume(trainer, source, volume, request.projectFolder, hooks.stopRequested);
      if (!proposal) break;
      hooks.send({ type: 'proposal', proposal, done: index + 1, total: request.volumeIds.length });
    }
    hooks.send({ type: 'proposed' });
  } finally {
    trainer.dispose();
    await source.store.close();
  }
}
