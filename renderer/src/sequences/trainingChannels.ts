/**
 * The project's training channels (issue 18): which sequences the model takes as input, in order. Main keeps the
 * list (`setTrainingSequences`) and refuses to train while a tagged case lacks one; here, the edits the panel offers
 * and that refusal in words before the user presses Train.
 */
import type { TrainingSequences } from '../../../main/contract/types';

/** The list with the entry at `index` moved `delta` places (kept inside the list). */
export function moveChannel(names: readonly string[], index: number, delta: -1 | 1): string[] {
  const target = index + delta;
  if (index < 0 || index >= names.length || target < 0 || target >= names.length) return [...names];
  const moved = [...names];
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  return moved;
}

/** Sequence names of the project not chosen yet, most common first, with how many cases have each. */
export function channelsToAdd(sequences: TrainingSequences): { name: string; cases: number }[] {
  const chosen = new Set(sequences.names.map((name) => name.toLowerCase()));
  return sequences.available.filter((entry) => !chosen.has(entry.name.toLowerCase()));
}

/**
 * Why training would refuse to start with these channels, in words: the tagged cases that lack a chosen sequence
 * (the first few by name, then how many more); null when every tagged case has them all.
 */
export function describeMissingChannels(sequences: TrainingSequences, shown = 4): string | null {
  const { incomplete } = sequences;
  if (incomplete.length === 0) return null;
  const listed = incomplete.slice(0, shown).map((entry) => `${entry.volumeName} (no ${entry.missing.join(', ')})`);
  const more = incomplete.length > shown ? ` and ${incomplete.length - shown} more` : '';
  const count = incomplete.length === 1 ? 'One tagged case lacks' : `${incomplete.length} tagged cases lack`;
  return `${count} a chosen sequence: ${listed.join('; ')}${more}. Training will not start until each has them: add the sequences to those cases, or choose fewer.`;
}
