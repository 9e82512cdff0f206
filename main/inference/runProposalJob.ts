import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { zlibSync } from 'fflate';
import { writeFileAtomically } from '../common';
import {
  createTrainer,
  createVolumeSlicer,
  inPlaneSpacing,
  openProjectData,
  predictSlices,
  readCheckpointFiles,
  selectBackend,
  toTrainerOptions,
  unfitSlice,
  type ProposeJobRequest,
  type TrainingJobHooks,
  type TrainingJobState
} from '../training';

/**
 * Proposes masks with a model version: every slice of each volume is fitted into the model's input, predicted, taken
 * back to the volume's own grid and thresholded at 0.5. One message per volume, so the app stores each as it comes.
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
    const [height, width] = saved.jobState.options.inputSize;
    for (const [index, volumeId] of request.volumeIds.entries()) {
      if (hooks.stopRequested()) break;
      const volume = await source.store.volumes.get(volumeId);
      if (!volume) continue;
      const slicer = await createVolumeSlicer(source, volume, height, width);
      const [columns, rows, slices] = volume.dimensions;
      const [spacingX, spacingY] = inPlaneSpacing(volume.voxelToPatient);
      const labels = new Uint8Array(columns * rows * slices);
      const sliceAreas: number[] = [];
      const images = Array.from({ length: slices }, (_, sliceIndex) => slicer.image(sliceIndex));
      const predictions = await predictSlices(trainer, images);
      predictions.forEach((prediction, sliceIndex) => {
        const inGrid = unfitSlice(prediction, slicer.fit);
        let count = 0;
        for (let pixel = 0; pixel < inGrid.length; pixel += 1) {
          if (inGrid[pixel]! > 0.5) {
            labels[sliceIndex * columns * rows + pixel] = 1;
            count += 1;
          }
        }
        sliceAreas.push(count * spacingX * spacingY);
      });
      const labelsFile = join('cache', 'proposals', `${volumeId}-${randomBytes(6).toString('hex')}.zlib`);
      await mkdir(join(request.projectFolder, 'cache', 'proposals'), { recursive: true });
      await writeFileAtomically(join(request.projectFolder, labelsFile), zlibSync(labels, { level: 6 }));
      hooks.send({
        type: 'proposal',
        proposal: { volumeId, labelsFile, sliceAreas },
        done: index + 1,
        total: request.volumeIds.length
      });
    }
    hooks.send({ type: 'proposed' });
  } finally {
    trainer.dispose();
    await source.store.close();
  }
}
