/**
 * What switching between the sequences of a case (issue 18) decides, without Vue or Cornerstone: the sequence's
 * name for the user, the next one for the S key, which sequence opens when a case is opened, the other one shown
 * side by side, and the window remembered per sequence.
 */
import type { SequenceSummary } from '../../../main/contract/types';
import type { WindowState } from '../viewer/viewerTypes';

type NamedSequence = Pick<SequenceSummary, 'id' | 'name' | 'guessedName'>;

/** The name the user sees: the confirmed one, else the guess (a reference never named). */
export function sequenceLabel(sequence: Pick<SequenceSummary, 'name' | 'guessedName'>): string {
  return sequence.name ?? sequence.guessedName;
}

/** The sequence `delta` steps from `currentId` in the case's order, going round at either end. */
export function stepSequence<T extends Pick<SequenceSummary, 'id'>>(sequences: readonly T[], currentId: string, delta: number): T | undefined {
  if (sequences.length === 0) return undefined;
  const index = Math.max(0, sequences.findIndex((sequence) => sequence.id === currentId));
  const next = (((index + delta) % sequences.length) + sequences.length) % sequences.length;
  return sequences[next];
}

/**
 * The sequence a case opens on: the one named as the sequence the user read last (the next patient's FLAIR after
 * this patient's FLAIR, as a hanging protocol keeps the series), else the reference (the first).
 */
export function sequenceToOpen<T extends NamedSequence>(sequences: readonly T[], preferredName: string | null): T | undefined {
  const preferred = preferredName?.toLowerCase();
  return sequences.find((sequence) => sequenceLabel(sequence).toLowerCase() === preferred) ?? sequences[0];
}

/**
 * The sequence shown beside `shownId` in the side-by-side view: the one named `preferredName` (the last one shown
 * there) unless it is the one shown, else the next one after the shown one; none for a case of one sequence.
 */
export function companionFor<T extends NamedSequence>(sequences: readonly T[], shownId: string, preferredName: string | null): T | undefined {
  if (sequences.length < 2) return undefined;
  const preferred = sequenceToOpen(sequences, preferredName);
  if (preferredName && preferred && preferred.id !== shownId && sequenceLabel(preferred).toLowerCase() === preferredName.toLowerCase()) return preferred;
  return stepSequence(sequences, shownId, 1);
}

/**
 * The window each sequence of each case was last shown with (a T1 and a FLAIR need different ones, as in Slicer,
 * where each volume keeps its own window), in this page; a sequence never shown here gets the window main stored
 * for it (the user's last, which `SequenceWindowSaver` keeps in the project; else the scanner's, or the tissue's
 * robust range).
 */
export class SequenceWindows {
  private readonly windows = new Map<string, WindowState>();

  remember(volumeId: string, sequenceId: string, window: WindowState): void {
    if (!(window.width > 0) || !Number.isFinite(window.center)) return;
    this.windows.set(key(volumeId, sequenceId), { width: window.width, center: window.center });
  }

  /** The window last used for the sequence, else its stored one. */
  windowFor(volumeId: string, sequence: Pick<SequenceSummary, 'id' | 'windowCenter' | 'windowWidth'>): WindowState {
    return this.windows.get(key(volumeId, sequence.id)) ?? { center: sequence.windowCenter, width: sequence.windowWidth };
  }

  /** Whether the user has shown this sequence in this session (with the window it had). */
  has(volumeId: string, sequenceId: string): boolean {
    return this.windows.has(key(volumeId, sequenceId));
  }
}

function key(volumeId: string, sequenceId: string): string {
  return `${volumeId}\u0000${sequenceId}`;
}
