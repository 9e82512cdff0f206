import {
  presetNames,
  proposalStatuses,
  trainingMethods,
  trainingRunStatuses,
  type ModelVersionMetrics,
  type PresetName,
  type ProposalStatus,
  type TrainingMethod,
  type TrainingRunStatus
} from '../../contract';

/**
 * Readers for the values the store keeps as text: each checks what it reads, so that a repository returns typed
 * records and a tampered or newer project fails with a clear message instead of a wrong type far away.
 */
function readChoice<T extends string>(value: string, choices: readonly T[], what: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new Error(`The project store holds an unknown ${what} "${value.slice(0, 40)}": was it made by a newer version?`);
}

export const readTrainingMethod = (value: string): TrainingMethod => readChoice(value, trainingMethods, 'training method');
export const readPresetName = (value: string): PresetName => readChoice(value, presetNames, 'model preset');
export const readRunStatus = (value: string): TrainingRunStatus => readChoice(value, trainingRunStatuses, 'run status');

export const readProposalStatus = (value: string): ProposalStatus => readChoice(value, proposalStatuses, 'proposal status');

export function readJsonObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Numbers only: anything else in a stored snapshot is dropped. */
export function readNumberRecord(text: string): Record<string, number> {
  return Object.fromEntries(Object.entries(readJsonObject(text)).filter(([, value]) => typeof value === 'number')) as Record<
    string,
    number
  >;
}

const finiteOr = <T>(value: unknown, fallback: T): number | T => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** A model version's metrics, with what an older version did not store filled in as "not measured". */
export function readModelVersionMetrics(text: string): ModelVersionMetrics {
  const stored = readJsonObject(text);
  const evaluation = (stored.evaluation ?? {}) as Record<string, unknown>;
  return {
    evaluation: {
      dice: finiteOr(evaluation.dice, null),
      auroc: finiteOr(evaluation.auroc, null),
      heldOutLabelledSlices: finiteOr(evaluation.heldOutLabelledSlices, 0),
      heldOutPresentSlices: finiteOr(evaluation.heldOutPresentSlices, 0),
      heldOutAbsentSlices: finiteOr(evaluation.heldOutAbsentSlices, 0)
    },
    steps: finiteOr(stored.steps, 0),
    bestStep: finiteOr(stored.bestStep, 0),
    parameters: readNumberRecord(JSON.stringify(stored.parameters ?? {}))
  };
}
