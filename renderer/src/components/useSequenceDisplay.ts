import { onBeforeUnmount, watch, type Ref } from 'vue';
import { findShortcut } from '../keyboard/shortcuts';
import { companionFor, stepSequence } from '../sequences/sequenceSwitching';
import { useServices } from '../services/useServices';
import { useNotificationsStore } from '../stores/notificationsStore';
import { useSequencesStore } from '../stores/sequencesStore';
import type { Unsubscribe } from '../viewer/Emitter';
import { isTypingTarget } from './isTypingTarget';
import { nextFrame, type ViewerState } from './useVolumeDisplay';

const sequenceKeys = ['sequences.next', 'sequences.previous', 'sequences.sideBySide'] as const;

/**
 * The sequences of a case on screen (issue 18): S / Shift+S or the list switch the main views to the next or
 * previous sequence (slice, zoom, mask and proposal stay: every sequence is on the case's grid), D shows two side by
 * side, scrolled together; each sequence keeps the window it was last shown with.
 */
export function useSequenceDisplay(state: Ref<ViewerState>) {
  const { viewer } = useServices();
  const sequences = useSequencesStore();
  const notifications = useNotificationsStore();
  let mainRequest = 0;
  let companionRequest = 0;

  /** Shows the sequence `sequenceId` of the case on screen in the main views. */
  async function showSequence(sequenceId: string): Promise<void> {
    const shown = viewer.getShownVolume();
    const sequence = sequences.sequences.find((entry) => entry.id === sequenceId);
    if (!shown || !sequence || shown.sequenceId === sequenceId || state.value !== 'rendered') return;
    const current = ++mainRequest;
    const previousId = shown.sequenceId;
    try {
      const voxels = await sequences.fetchVoxels(shown.volumeId, sequenceId);
      if (current !== mainRequest) return;
      const drawn = nextFrame(viewer);
      await viewer.showSequence(voxels, sequenceId, sequences.windows.windowFor(shown.volumeId, sequence));
      if (viewer.getShownVolume()?.sequenceId !== sequenceId) return;
      // Said once the frame with the new voxels is drawn (tests take screenshots then).
      await drawn;
      if (viewer.getShownVolume()?.sequenceId !== sequenceId) return;
      sequences.markShown(sequenceId);
      // Side by side never shows one sequence twice: the one left takes the other place.
      if (sequences.companionSequenceId === sequenceId) await showCompanion(previousId);
    } catch (error) {
      notifications.reportError(error, 'Showing the sequence');
    }
  }

  /** Shows the sequence `sequenceId` in the side-by-side view (which comes on screen with it). */
  async function showCompanion(sequenceId: string): Promise<void> {
    const shown = viewer.getShownVolume();
    const sequence = sequences.sequences.find((entry) => entry.id === sequenceId);
    if (!shown || !sequence || state.value !== 'rendered') return;
    if (shown.sequenceId === sequenceId) {
      // Choosing the main views' sequence for the side swaps the two.
      const other = viewer.getCompanionSequenceId();
      if (other) await showSequence(other);
      return;
    }
    const current = ++companionRequest;
    try {
      const voxels = await sequences.fetchVoxels(shown.volumeId, sequenceId);
      if (current !== companionRequest || !sequences.sideBySide) return;
      await viewer.showCompanion(voxels, sequenceId, sequences.windows.windowFor(shown.volumeId, sequence));
      if (viewer.getCompanionSequenceId() === sequenceId) sequences.markCompanion(sequenceId);
    } catch (error) {
      notifications.reportError(error, 'Showing the sequence side by side');
    }
  }

  /** The next (1) or previous (-1) sequence of the case in the main views. */
  function stepMain(delta: 1 | -1): void {
    const shownId = viewer.getShownVolume()?.sequenceId;
    const next = shownId ? stepSequence(sequences.sequences, shownId, delta) : undefined;
    if (next) void showSequence(next.id);
  }

  /** Two sequences side by side, or one; the choice stays from case to case. */
  function setSideBySide(on: boolean): void {
    if (on === sequences.sideBySide) return;
    sequences.sideBySide = on;
    // The acquired plane is the one compared side by side: it is the big view while both are shown.
    if (on) viewer.setMainView('acquisition');
    viewer.refitLayout();
    if (on) void openCompanion();
    else {
      companionRequest++;
      viewer.hideCompanion();
      sequences.markCompanion(null);
    }
  }

  async function openCompanion(): Promise<void> {
    const shownId = viewer.getShownVolume()?.sequenceId;
    const companion = shownId ? companionFor(sequences.sequences, shownId, sequences.preferredCompanionName) : undefined;
    if (companion) await showCompanion(companion.id);
  }

  const handleKey = sequenceKeyHandler(() => state.value === 'rendered' && sequences.isMultiSequence, {
    'sequences.next': () => stepMain(1),
    'sequences.previous': () => stepMain(-1),
    'sequences.sideBySide': () => setSideBySide(!sequences.sideBySide)
  });

  const unsubscribes: Unsubscribe[] = [
    // Each sequence keeps the window the user gave it, in the project too (saved once a drag ends).
    viewer.onDidChangeWindow((window) => {
      const shown = viewer.getShownVolume();
      if (shown && sequences.isMultiSequence) sequences.rememberWindow(shown.volumeId, shown.sequenceId, window);
    }),
    viewer.onDidChangeCompanionWindow((window) => {
      const shown = viewer.getShownVolume();
      const companionId = viewer.getCompanionSequenceId();
      if (shown && companionId) sequences.rememberWindow(shown.volumeId, companionId, window);
    }),
    viewer.onDidChangeCompanion((companion) => {
      if (!companion) sequences.markCompanion(null);
    })
  ];

  // A case opened while side by side is on shows its second sequence beside the first.
  watch(state, (next) => {
    if (next === 'rendered' && sequences.sideBySide && sequences.isMultiSequence) void openCompanion();
  });

  // A window set just before the page is left is still sent (the socket takes it if it can).
  const saveWindows = () => sequences.saveWindowsNow();
  window.addEventListener('keydown', handleKey);
  window.addEventListener('pagehide', saveWindows);
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', handleKey);
    window.removeEventListener('pagehide', saveWindows);
    saveWindows();
    for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  });

  return { showSequence, showCompanion, setSideBySide, stepMain };
}

/** S, Shift+S and D from anywhere but a text field, while `active` says a case of several sequences is on screen. */
function sequenceKeyHandler(
  active: () => boolean,
  actions: Record<(typeof sequenceKeys)[number], () => void>
): (event: KeyboardEvent) => void {
  return (event) => {
    if (isTypingTarget(event.target) || !active()) return;
    const id = findShortcut(event, sequenceKeys);
    if (!id) return;
    event.preventDefault();
    actions[id]();
  };
}
