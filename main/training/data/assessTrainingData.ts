import type { TrainingReadiness } from '../../contract';
import type { ProjectStore } from '../../db';
import { planTrainingData, splitVolumes } from './buildTrainingSet';

/**
 * Below these amounts the data is too thin to learn from, and the user is warned before training (docs/decisions.md,
 * "review"): a model needs a few drawn tumours to learn the outline, and enough slices of each kind (tumour, no
 * tumour) for the translation between them; with fewer, a run mostly learns the few examples by heart.
 */
export const thinDataRule = { maskedSlices: 3, slicesOfEachKind: 10, taggedScans: 2 } as const;

/**
 * What the project's data allows now: how much there is, what is held out, and what is missing to measure accuracy
 * (the API's TrainingReadiness), with the held-out slices counted by kind.
 */
export interface TrainingDataAssessment extends TrainingReadiness {
  heldOutMaskedSlices: number;
  heldOutPresentSlices: number;
  heldOutAbsentSlices: number;
}

/**
 * Reads the project's tags and masks and applies the rules training uses (`planTrainingData`, `splitVolumes`): about
 * one scan in five is held out by a hash of its id, at least one once three scans are tagged, and never the only scan
 * with a drawn tumour. N and M of the advice follow from those rules.
 */
export async function assessTrainingData(store: ProjectStore): Promise<TrainingDataAssessment> {
  const plans = await planTrainingData(store);
  const { train, validation } = splitVolumes(plans);
  const sum = (list: typeof plans, count: (plan: (typeof plans)[number]) => number) =>
    list.reduce((total, plan) => total + count(plan), 0);
  const heldOutMaskedSlices = sum(validation, (plan) => plan.masked.size);
  const heldOutPresentSlices = sum(validation, (plan) => plan.present.length);
  const heldOutAbsentSlices = sum(validation, (plan) => plan.absent.length);
  const diceMeasurable = heldOutMaskedSlices > 0;
  const aurocMeasurable = heldOutPresentSlices > 0 && heldOutAbsentSlices > 0;
  const trainHasMasks = train.some((plan) => plan.masked.size > 0);
  // A held-out scan tagged tumour-present can take a mask; it stays held out only while training has a mask too.
  const drawable = validation.find((plan) => plan.present.length > 0);
  // From three tagged scans on, one is always set aside, unless it is the only one with a drawn mask (training keeps
  // it): then a mask on another scan lets it be set aside.
  const onlyMaskedKept = validation.length === 0 && plans.length >= 3;
  const slicesToDrawForDice = diceMeasurable ? 0 : (drawable && trainHasMasks) || onlyMaskedKept ? 1 : null;
  const scansToTagForHoldOut = validation.length > 0 || onlyMaskedKept ? 0 : 3 - plans.length;
  const assessment = {
    taggedScans: plans.length,
    presentSlices: sum(plans, (plan) => plan.present.length),
    absentSlices: sum(plans, (plan) => plan.absent.length),
    maskedSlices: sum(plans, (plan) => plan.masked.size),
    heldOutScans: validation.map((plan) => ({ id: plan.volume.id, name: plan.volume.name })),
    heldOutMaskedSlices,
    heldOutPresentSlices,
    heldOutAbsentSlices,
    diceMeasurable,
    aurocMeasurable,
    slicesToDrawForDice,
    scansToTagForHoldOut
  };
  return {
    ...assessment,
    toMeasure: diceMeasurable ? null : describeWhatToMeasure(assessment, drawable?.volume.name, onlyMaskedKept),
    thinData: describeThinData(assessment)
  };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function describeWhatToMeasure(
  assessment: Pick<TrainingDataAssessment, 'slicesToDrawForDice' | 'scansToTagForHoldOut' | 'heldOutScans'>,
  drawableName: string | undefined,
  onlyMaskedKept: boolean
): string {
  const ways: string[] = [];
  if (onlyMaskedKept) {
    ways.push(
      'draw a mask on 1 slice of another scan with tumour (the only scan with a drawn mask is kept for training, so ' +
        'none is set aside for measuring)'
    );
  } else if (assessment.slicesToDrawForDice && drawableName) {
    ways.push(`draw a mask on ${plural(assessment.slicesToDrawForDice, 'more slice')} of “${drawableName}” (the scan set aside for measuring)`);
  }
  if (assessment.scansToTagForHoldOut > 0) {
    ways.push(`tag ${plural(assessment.scansToTagForHoldOut, 'more scan')} (one in five is set aside for measuring) and draw on it`);
  } else if (!assessment.slicesToDrawForDice) {
    const names = assessment.heldOutScans.map((scan) => `“${scan.name}”`).join(', ');
    const one = assessment.heldOutScans.length === 1;
    ways.push(
      `the scan${one ? '' : 's'} set aside for measuring (${names}) ${one ? 'has' : 'have'} no tumour drawn: tag and draw ` +
        'on more scans with tumour (about one in five is set aside)'
    );
  }
  return `Accuracy not measured: ${ways.join(', or ')}, to measure it.`;
}

function describeThinData(assessment: Pick<TrainingDataAssessment, 'maskedSlices' | 'presentSlices' | 'absentSlices' | 'taggedScans'>): string | null {
  const short: string[] = [];
  if (assessment.maskedSlices < thinDataRule.maskedSlices) {
    short.push(`${plural(assessment.maskedSlices, 'slice')} with a drawn mask (fewer than ${thinDataRule.maskedSlices})`);
  }
  if (assessment.presentSlices < thinDataRule.slicesOfEachKind) {
    short.push(`${plural(assessment.presentSlices, 'slice')} tagged tumour (fewer than ${thinDataRule.slicesOfEachKind})`);
  }
  if (assessment.absentSlices < thinDataRule.slicesOfEachKind) {
    short.push(`${plural(assessment.absentSlices, 'slice')} tagged no tumour (fewer than ${thinDataRule.slicesOfEachKind})`);
  }
  if (assessment.taggedScans < thinDataRule.taggedScans) {
    short.push(`${plural(assessment.taggedScans, 'tagged scan')} (fewer than ${thinDataRule.taggedScans})`);
  }
  if (short.length === 0) return null;
  return (
    `The data is thin: ${short.join('; ')}. A model trained on so little mostly memorises these examples and is ` +
    'unlikely to find tumours in other scans. Draw and tag more first, or train anyway to try the workflow.'
  );
}
