/**
 * How a model version is named and described to a clinician, the same on the training panel's cards and the review
 * toolbar: its name, date, training time, the data it learnt from, and a score only when one was measured.
 */
import type { ModelVersionSummary, TrainingMethod } from '../../../main/contract/types';

const methodNames: Record<TrainingMethod, string> = {
  genseg: 'GenSeg',
  'segmentation-only': 'segmentation only',
  'ae-segmentation': 'autoencoder + segmentation'
};

export function describeMethod(method: TrainingMethod): string {
  return methodNames[method];
}

/** What trained it, in words: the backend names the app records ("wasm", "cpu", "webgpu") are not for people. */
export function describeBackend(backend: string): string {
  const known: Record<string, string> = {
    wasm: 'the CPU',
    cpu: 'the CPU',
    tensorflow: 'the CPU',
    webgpu: 'the GPU',
    'tensorflow-gpu': 'the GPU'
  };
  return known[backend] ?? backend;
}

/** "Model 3", or "Model 3 · April cohort" when the user named it. */
export function modelName(version: Pick<ModelVersionSummary, 'number' | 'name'>): string {
  return version.name ? `Model ${version.number} · ${version.name}` : `Model ${version.number}`;
}

/** "6 Dec, 10:42" in the user's locale. */
export function describeDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'unknown date';
  return date.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** "45 s", "12 min", "1 h 5 min". */
export function describeDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The data it learnt from: "3 scans, 120 tagged slices, 6 with a drawn mask" (held-out data counted in). */
export function describeDataUsed(snapshot: Record<string, number>): string {
  const count = (key: string) => snapshot[key] ?? 0;
  const tagged = count('presentSlices') + count('absentSlices') + count('validationPresentSlices') + count('validationAbsentSlices');
  const masked = count('labelledSlices') + count('validationLabelledSlices');
  return `${plural(count('volumes'), 'scan')}, ${plural(tagged, 'tagged slice')}, ${masked} with a drawn mask`;
}

/**
 * The scores measured on held-out data, in words, or null when none was measured: never a score of nothing.
 * Dice: overlap of the model's outline with the drawn masks of held-out scans (1 is perfect). AUROC: how well the
 * model tells slices with tumour from slices without (0.5 is chance).
 */
export function describeMeasured(version: Pick<ModelVersionSummary, 'evaluation'>): string | null {
  const { dice, auroc, heldOutLabelledSlices, heldOutPresentSlices, heldOutAbsentSlices } = version.evaluation;
  const parts: string[] = [];
  if (dice !== null && heldOutLabelledSlices > 0) {
    parts.push(`outline overlap (Dice) ${dice.toFixed(2)} on ${plural(heldOutLabelledSlices, 'held-out drawn slice')}`);
  }
  if (auroc !== null && heldOutPresentSlices > 0 && heldOutAbsentSlices > 0) {
    parts.push(`tells tumour slices apart (AUROC) ${auroc.toFixed(2)} on ${heldOutPresentSlices + heldOutAbsentSlices} held-out slices`);
  }
  return parts.length > 0 ? `Measured: ${parts.join('; ')}.` : null;
}

/** The short score for the review toolbar: "Dice 0.71", or "accuracy not measured". */
export function describeScoreBriefly(version: Pick<ModelVersionSummary, 'evaluation'>): string {
  const { dice, auroc, heldOutLabelledSlices, heldOutPresentSlices, heldOutAbsentSlices } = version.evaluation;
  if (dice !== null && heldOutLabelledSlices > 0) return `held-out Dice ${dice.toFixed(2)}`;
  if (auroc !== null && heldOutPresentSlices > 0 && heldOutAbsentSlices > 0) return `held-out AUROC ${auroc.toFixed(2)}`;
  return 'accuracy not measured';
}
