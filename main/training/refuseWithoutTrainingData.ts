import { ApiError } from '../contract';
import type { ProjectStore } from '../db';
import { planTrainingData } from './data';

/** Training needs both domains and at least one mask: say which of them is missing, in the user's words. */
export async function refuseWithoutTrainingData(store: ProjectStore): Promise<void> {
  const plans = await planTrainingData(store);
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
