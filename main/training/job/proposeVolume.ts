import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { zlibSync } from 'fflate';
import { writeFileAtomically } from '../../common';
import type { VolumeRecord } from '../../db';
import { createVolumeSlicer, inPlaneSpacing, loadCaseChannels, unfitSlice, type VolumeSource } from '../data';
import type { Trainer } from '../trainingTypes';
import { predictSlices, type ShouldStop } from './evaluateModel';
import type { VolumeProposal } from './jobTypes';

/**
 * A model's proposal for one volume: every slice is fitted into the model's input, predicted, taken back to the
 * volume's own grid and thresholded at 0.5. The labelmap is written to `cache/proposals/` (it never travels through
 * the IPC channel); null when Stop arrived half-way. `sequences` are the model's channels by name (its run's options);
 * a case that lacks one is refused (runProposalJob checks every case before it starts).
 */
export async function proposeVolume(
  trainer: Trainer,
  source: VolumeSource,
  volume: VolumeRecord,
  projectFolder: string,
  shouldStop: ShouldStop,
  sequences: readonly string[] = []
): Promise<VolumeProposal | null> {
  const [height, width] = trainer.inputShape;
  const { sources, missing } = await loadCaseChannels(source.store, volume, sequences);
  if (missing.length > 0) throw new Error(`proposeVolume: ${volume.id} lacks ${missing.join(', ')}`);
  const slicer = await createVolumeSlicer(source, volume, height, width, sources);
  const [columns, rows, slices] = volume.dimensions;
  const [spacingX, spacingY] = inPlaneSpacing(volume.voxelToPatient);
  const labels = new Uint8Array(columns * rows * slices);
  const images = Array.from({ length: slices }, (_, sliceIndex) => slicer.image(sliceIndex));
  const predictions = await predictSlices(trainer, images, 8, shouldStop);
  if (predictions.length < slices) return null;
  const sliceAreas = predictions.map((prediction, sliceIndex) => {
    const inGrid = unfitSlice(prediction, slicer.fit);
    let count = 0;
    for (let pixel = 0; pixel < inGrid.length; pixel += 1) {
      if (inGrid[pixel]! > 0.5) {
        labels[sliceIndex * columns * rows + pixel] = 1;
        count += 1;
      }
    }
    return count * spacingX * spacingY;
  });
  const labelsFile = join('cache', 'proposals', `${volume.id}-${randomBytes(6).toString('hex')}.zlib`);
  await mkdir(join(projectFolder, 'cache', 'proposals'), { recursive: true });
  await writeFileAtomically(join(projectFolder, labelsFile), zlibSync(labels, { level: 6 }));
  return { volumeId: volume.id, labelsFile, sliceAreas };
}
