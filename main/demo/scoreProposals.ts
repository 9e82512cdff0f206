import type { Project } from '../project';
import type { DemoCase } from './buildDemoCases';

export interface MethodScore {
  method: string;
  modelVersionId: string;
  /** Mean 3D Dice over the scans with a lesion. */
  meanDice: number;
  /** Dice over all lesion voxels of all scans pooled. */
  pooledDice: number;
  /** Voxels proposed in scans without a lesion (false alarms), per scan. */
  falseVoxelsPerHealthyScan: number;
  validationDice: number | null;
  /** Pooled Dice over the lesion scans nobody drew a mask on: the model saw only their tags. */
  unannotatedDice: number | null;
  /** Steps trained, and the step whose weights the version kept (best held-out score). */
  steps: number | null;
  bestStep: number | null;
}

/** Scores one model version's proposals against the exact synthetic truth. */
export async function scoreProposals(
  project: Project,
  method: string,
  modelVersionId: string,
  volumeIds: string[],
  cases: DemoCase[],
  drawnVolumes: ReadonlySet<string>
): Promise<MethodScore> {
  let unannotatedOverlap = 0;
  let unannotatedTotal = 0;
  const dices: number[] = [];
  let overlap = 0;
  let total = 0;
  let falseVoxels = 0;
  let healthy = 0;
  for (const [index, volumeId] of volumeIds.entries()) {
    // A scan tagged no tumour where the model found nothing keeps no proposal: an empty one.
    const proposal = (await project.store.proposals.listForVolume(volumeId)).find((p) => p.modelVersionId === modelVersionId);
    const truth = cases[index]!.truth;
    const labels = proposal?.labels ?? new Uint8Array(truth.length);
    let both = 0;
    let sum = 0;
    for (let voxel = 0; voxel < truth.length; voxel += 1) {
      const p = labels[voxel]! > 0 ? 1 : 0;
      both += p & truth[voxel]!;
      sum += p + truth[voxel]!;
    }
    if (cases[index]!.hasLesion) {
      dices.push(sum === 0 ? 1 : (2 * both) / sum);
      overlap += both;
      total += sum;
      if (!drawnVolumes.has(volumeId)) {
        unannotatedOverlap += both;
        unannotatedTotal += sum;
      }
    } else {
      falseVoxels += sum;
      healthy += 1;
    }
  }
  const version = await project.store.modelVersions.get(modelVersionId);
  const evaluation = version?.metrics.evaluation;
  return {
    method,
    modelVersionId,
    meanDice: dices.reduce((a, b) => a + b, 0) / Math.max(1, dices.length),
    pooledDice: total === 0 ? 1 : (2 * overlap) / total,
    falseVoxelsPerHealthyScan: falseVoxels / Math.max(1, healthy),
    validationDice: evaluation?.dice ?? null,
    unannotatedDice: unannotatedTotal === 0 ? null : (2 * unannotatedOverlap) / unannotatedTotal,
    steps: version?.metrics.steps ?? null,
    bestStep: version?.metrics.bestStep ?? null
  };
}
