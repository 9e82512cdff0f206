/**
 * A case's sequences as the model's input channels (issue 18). The channels are the sequence names chosen for the
 * project, in that order; an empty list means one channel, each case's reference volume, as before multi-sequence
 * cases. The order is recorded in the run's options, so in every checkpoint and model version, and a case's
 * sequences are found by name, so the order in which they were added to a case never matters.
 *
 * Missing sequences are refused, not zero-filled (docs/decisions.md, "multiseq: missing sequences"): a case that is
 * tagged and lacks a chosen sequence stops training with the list of such cases.
 */
import type { ProjectStore, SequenceRecord, VolumeRecord } from '../../db';
import { resolveCaseSequences } from '../../project';

/** What one channel reads: the reference volume or one of its sequences (both carry a cache file and a type). */
export type ChannelSource = Pick<VolumeRecord, 'cacheFile' | 'scalarType'>;

export function channelCountOf(sequences: readonly string[] | undefined): number {
  return Math.max(1, sequences?.length ?? 0);
}

/**
 * The channel sources of one case in the chosen order, or the names it lacks (project/caseSequences.ts,
 * resolveCaseSequences); no names: the volume alone.
 */
export function resolveCaseChannels(
  volume: VolumeRecord,
  sequences: SequenceRecord[],
  names: readonly string[] | undefined
): { sources: ChannelSource[]; missing: string[] } {
  if (!names || names.length === 0) return { sources: [volume], missing: [] };
  return resolveCaseSequences(volume, sequences, names);
}

export async function loadCaseChannels(store: ProjectStore, volume: VolumeRecord, names: readonly string[] | undefined) {
  const sequences = names && names.length > 0 ? await store.sequences.listForVolume(volume.id) : [];
  return resolveCaseChannels(volume, sequences, names);
}

/**
 * Null when weights trained on `trained` channels can take input in `wanted` order; otherwise why not, in words.
 * Channels are never silently reordered: a first convolution's filters belong to their channel.
 */
export function describeChannelMismatch(trained: readonly string[] | undefined, wanted: readonly string[] | undefined): string | null {
  const a = trained ?? [];
  const b = wanted ?? [];
  if (a.length === b.length && a.every((name, index) => name.toLowerCase() === b[index]!.toLowerCase())) return null;
  const describe = (names: readonly string[]) => (names.length === 0 ? 'one channel, the reference scan' : names.join(', '));
  return `the model was trained on ${describe(a)} and the project now uses ${describe(b)}`;
}

/** "case A (FLAIR), case B (T2, FLAIR)": the cases that lack chosen sequences, at most `limit` named. */
export function describeMissingSequences(cases: { volumeName: string; missing: string[] }[], limit = 10): string {
  const named = cases.slice(0, limit).map((entry) => `${entry.volumeName} (${entry.missing.join(', ')})`);
  const more = cases.length > limit ? ` and ${cases.length - limit} more` : '';
  return `${named.join(', ')}${more}`;
}
