import type { AnnotationCosts, AnnotationSuggestion } from '../contract';
import type { ProjectStore, ProposalRecord, VolumeRecord } from '../db';

/** A proposal without its labelmap: ranking reads only areas, status and decisions. */
type ProposalSummary = Omit<ProposalRecord, 'labels'>;

/** Seconds a clinician spends on each action; measured defaults from our own e2e runs are not available, so these are stated guesses (options). */
export const defaultAnnotationCosts: AnnotationCosts = { tagScan: 3, markRange: 10, drawMaskSlice: 30, reviewProposalSlice: 5 };

/**
 * What a labelled slice is worth to the model, in units of one drawn mask slice (docs/decisions.md, entries 24 and
 * 72): a weak label teaches the translation and the presence head, a mask the segmentation; with few masks a mask is
 * worth far more, and each further mask on the same scan a little less (neighbouring slices look alike). The weak
 * values were cut five- and sevenfold when the annotate bench showed every tag and range coming before the second
 * mask.
 */
const weakSliceValue = 0.008;
const rangeSliceValue = 0.004;

interface VolumeState {
  volume: VolumeRecord;
  scan: 'present' | 'absent' | 'unknown';
  slices: ('present' | 'absent' | 'unknown')[];
  masked: Set<number>;
  live: ProposalSummary | undefined;
  previous: ProposalSummary | undefined;
}

/**
 * Ranks the next annotation actions by expected value per second of the user's time (cost-aware active learning:
 * benefit over cost, as in Settles, Craven and Friedland 2008; weak and strong labels priced apart, since GenSeg
 * learns from both). Deterministic for a fixed store: ties break by volume id and slice index.
 */
export async function suggestNext(
  store: ProjectStore,
  options: { limit: number; costs?: Partial<AnnotationCosts>; modelDice?: number | null }
): Promise<AnnotationSuggestion[]> {
  const costs = { ...defaultAnnotationCosts, ...options.costs };
  const states = await readVolumeStates(store);
  const totalMasks = states.reduce((sum, state) => sum + state.masked.size, 0);
  const paths = totalMasks === 0 ? pathsToFirstMask(states, costs) : null;
  const suggestions = states.flatMap((state) => [
    ...suggestTag(state, costs, paths?.tag),
    ...suggestRange(state, costs, paths?.range),
    ...suggestMasks(state, costs, totalMasks),
    ...suggestReview(state, costs, options.modelDice ?? null)
  ]);
  suggestions.sort(
    (a, b) => b.valuePerSecond - a.valuePerSecond || a.volumeId.localeCompare(b.volumeId) || (a.sliceIndex ?? -1) - (b.sliceIndex ?? -1)
  );
  return suggestions.slice(0, options.limit);
}

/** A weak label priced as the way to a first mask: that mask's value over the whole path's seconds. */
interface FirstMaskPath {
  value: number;
  seconds: number;
  reason: string;
}

/**
 * Before the first mask nothing can learn to segment (training idles), so a weak label is worth only the mask it
 * leads to: a range on a tumour scan is one step from a drawable slice, a tag two (and only if the scan holds tumour,
 * guessed from the tags so far). Each is priced as the whole path's value over the path's seconds (docs/decisions.md,
 * entry 72), which puts drawing first, then a range, then a tag; the weak labels' own worth returns with the first mask.
 */
function pathsToFirstMask(states: VolumeState[], costs: AnnotationCosts): { tag: FirstMaskPath; range: FirstMaskPath } {
  const tagged = states.filter((state) => state.scan !== 'unknown');
  const presentShare = (tagged.filter((state) => state.scan === 'present').length + 1) / (tagged.length + 2);
  const path = (value: number, seconds: number, steps: string): FirstMaskPath => ({
    value,
    seconds,
    reason: `No mask yet, so training cannot start: the quickest way to a first one is here (${steps}, about ${seconds} s).`
  });
  return {
    tag: path(presentShare, costs.tagScan + costs.markRange + costs.drawMaskSlice, 'tag it; if it holds tumour, mark its range and draw a slice'),
    range: path(1, costs.markRange + costs.drawMaskSlice, 'mark its range, then draw a slice')
  };
}

/** The suggestion of a weak label that stands for a path to the first mask. */
function pathSuggestion(kind: AnnotationSuggestion['kind'], state: VolumeState, seconds: number, path: FirstMaskPath): AnnotationSuggestion {
  return { ...suggestion(kind, state, seconds, 0, path.reason), valuePerSecond: round(path.value / path.seconds) };
}

async function readVolumeStates(store: ProjectStore): Promise<VolumeState[]> {
  const volumes = (await store.volumes.list()).sort((a, b) => a.id.localeCompare(b.id));
  return Promise.all(
    volumes.map(async (volume) => {
      const labels = await store.sliceLabels.listForVolume(volume.id);
      const slices = Array.from({ length: volume.dimensions[2] }, () => 'unknown' as VolumeState['slices'][number]);
      for (const label of labels) slices[label.sliceIndex] = label.state;
      const proposals = (await store.proposals.listSummariesForVolume(volume.id)).filter((proposal) => proposal.status !== 'disagreement');
      const newestFirst = [...proposals].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return {
        volume,
        scan: (await store.sliceLabels.getScanLabel(volume.id)).state,
        slices,
        masked: new Set(await store.masks.listMaskedSliceIndices(volume.id)),
        live: newestFirst.find((proposal) => proposal.status === 'pending'),
        previous: newestFirst.find((proposal) => proposal.status === 'superseded')
      };
    })
  );
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

function suggestion(
  kind: AnnotationSuggestion['kind'],
  state: VolumeState,
  seconds: number,
  value: number,
  reason: string,
  sliceIndex?: number
): AnnotationSuggestion {
  return {
    kind,
    volumeId: state.volume.id,
    volumeName: state.volume.name,
    ...(sliceIndex !== undefined ? { sliceIndex } : {}),
    seconds,
    valuePerSecond: round(value / seconds),
    reason
  };
}

/** An untagged scan: its slices join a domain. The model's own unsureness (a small or no predicted area) raises it. */
function suggestTag(state: VolumeState, costs: AnnotationCosts, firstMask?: FirstMaskPath): AnnotationSuggestion[] {
  if (state.scan !== 'unknown') return [];
  if (firstMask) return [pathSuggestion('tag-scan', state, costs.tagScan, firstMask)];
  const slices = state.slices.length;
  const area = state.live ? state.live.sliceAreas.filter((sliceArea) => sliceArea > 0).length : null;
  const unsure = area === null ? 1 : area === 0 || area <= 2 ? 1.5 : 1;
  const reason =
    area === null
      ? `Untagged: tagging adds its ${slices} slices to the tumour or no-tumour domain in ${costs.tagScan} s.`
      : area <= 2
        ? `Untagged, and the model is unsure whether it holds tumour (${area} slice${area === 1 ? '' : 's'} proposed).`
        : `Untagged; the model proposes tumour on ${area} slices: one key confirms or rejects it.`;
  return [suggestion('tag-scan', state, costs.tagScan, weakSliceValue * slices * unsure, reason)];
}

/** A scan tagged tumour without a slice range: a range turns its slices into exact present and absent labels. */
function suggestRange(state: VolumeState, costs: AnnotationCosts, firstMask?: FirstMaskPath): AnnotationSuggestion[] {
  if (state.scan !== 'present' || !state.slices.includes('unknown')) return [];
  if (firstMask) return [pathSuggestion('mark-range', state, costs.markRange, firstMask)];
  const unknown = state.slices.filter((slice) => slice === 'unknown').length;
  return [
    suggestion(
      'mark-range',
      state,
      costs.markRange,
      rangeSliceValue * unknown,
      `Tagged tumour, but ${unknown} slices are not known to hold it or not: marking the tumour's slice range settles them.`
    )
  ];
}

/**
 * Mask slices where segmentation is unsure while presence is known: inside the tumour range, where the newest model
 * proposes nothing, or where it disagrees most with the model before it. Without a model: the middle of the range.
 */
function suggestMasks(state: VolumeState, costs: AnnotationCosts, totalMasks: number): AnnotationSuggestion[] {
  const present = state.slices.flatMap((slice, index) => (slice === 'present' && !state.masked.has(index) ? [index] : []));
  if (present.length === 0) return [];
  // Each mask teaches less when many exist already, and less again on a scan that has some.
  const worth = 1 / (1 + totalMasks / 10) / (1 + state.masked.size);
  const scored = present.map((sliceIndex) => {
    const live = state.live?.sliceAreas[sliceIndex];
    const before = state.previous?.sliceAreas[sliceIndex];
    if (live === undefined) return { sliceIndex, unsure: 1 - Math.abs(sliceIndex - present[Math.floor(present.length / 2)]!) / (present.length + 1), why: 'no model has proposed for this scan yet; a slice from the middle of the tumour' };
    if (live === 0) return { sliceIndex, unsure: 1.5, why: 'the tumour is tagged here but the newest model proposes nothing (a miss)' };
    if (before !== undefined) {
      const change = Math.abs(live - before) / Math.max(live, before);
      return { sliceIndex, unsure: 0.5 + change, why: `the last two models disagree here (proposed area changed by ${Math.round(change * 100)} %)` };
    }
    return { sliceIndex, unsure: 0.5, why: 'the model proposes tumour here; correcting it teaches the segmentation' };
  });
  scored.sort((a, b) => b.unsure - a.unsure || a.sliceIndex - b.sliceIndex);
  const best = scored[0]!;
  return [
    suggestion('draw-mask', state, costs.drawMaskSlice, worth * best.unsure, `Draw the tumour on slice ${best.sliceIndex + 1}: ${best.why}.`, best.sliceIndex)
  ];
}

/** A pending proposal: accepting a good one is cheap labelled data; its worth follows the model's held-out Dice. */
function suggestReview(state: VolumeState, costs: AnnotationCosts, modelDice: number | null): AnnotationSuggestion[] {
  if (!state.live) return [];
  // A slice the user has drawn since the model proposed is decided already.
  const undecided = state.live.sliceAreas.filter(
    (area, index) => area > 0 && state.live!.reviewedSlices[index] === undefined && !state.masked.has(index)
  ).length;
  if (undecided === 0) return [];
  const quality = modelDice ?? 0.3;
  const seconds = costs.reviewProposalSlice * undecided;
  return [
    suggestion(
      'review-proposal',
      state,
      seconds,
      0.5 * quality * undecided,
      `Review the model's proposal: ${undecided} slice${undecided === 1 ? '' : 's'} to accept, correct or reject` +
        (modelDice === null ? '.' : ` (held-out Dice ${modelDice.toFixed(2)}).`)
    )
  ];
}
