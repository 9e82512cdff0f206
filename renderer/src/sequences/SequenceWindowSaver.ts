/**
 * Keeps each sequence's window in the project (issue 18: the window set on FLAIR is there tomorrow): a window drag
 * fires many changes, so the last one of each sequence is sent to main once the user has let go for `delayMs`, and
 * only when it differs from the window main already has for it (the one the case opened with, or the last one saved).
 * Plain data, no Vue: the store hands it the call to make.
 */
import type { WindowState } from '../viewer/viewerTypes';

export interface SequenceWindowTarget {
  projectId: string;
  volumeId: string;
  sequenceId: string;
}

export class SequenceWindowSaver {
  /** What main has, per project, case and sequence. */
  private readonly stored = new Map<string, WindowState>();
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; run: () => void }>();

  constructor(
    private readonly delayMs: number,
    private readonly save: (target: SequenceWindowTarget, window: WindowState) => Promise<void>
  ) {}

  /** The window main has for a sequence, read with the case's sequences. */
  know(target: SequenceWindowTarget, window: WindowState): void {
    this.stored.set(key(target), { center: window.center, width: window.width });
  }

  /** The windows main has for every sequence of a case, as `listSequences` gives them. */
  knowCase(projectId: string, volumeId: string, sequences: readonly { id: string; windowCenter: number; windowWidth: number }[]): void {
    for (const sequence of sequences) this.know({ projectId, volumeId, sequenceId: sequence.id }, { center: sequence.windowCenter, width: sequence.windowWidth });
  }

  /** The sequence is shown with `window` now: saved after the delay unless main has it already. */
  request(target: SequenceWindowTarget, window: WindowState): void {
    if (!(window.width > 0) || !Number.isFinite(window.center)) return;
    const id = key(target);
    const waiting = this.pending.get(id);
    if (waiting) clearTimeout(waiting.timer);
    this.pending.delete(id);
    const stored = this.stored.get(id);
    if (stored && sameWindow(stored, window)) return;
    const wanted = { center: window.center, width: window.width };
    const run = () => {
      this.pending.delete(id);
      const before = this.stored.get(id);
      this.stored.set(id, wanted);
      // Not saved: main keeps the window it had, and the next change tries again.
      this.save(target, wanted).catch(() => {
        if (this.stored.get(id) === wanted) {
          if (before) this.stored.set(id, before);
          else this.stored.delete(id);
        }
      });
    };
    this.pending.set(id, { timer: setTimeout(run, this.delayMs), run });
  }

  /** Sends every waiting window now (the page is being left). */
  flush(): void {
    for (const { timer, run } of [...this.pending.values()]) {
      clearTimeout(timer);
      run();
    }
  }

  get waiting(): number {
    return this.pending.size;
  }
}

/** Equal to the float32 precision the viewer's window round trip (lower/upper and back) keeps. */
function sameWindow(a: WindowState, b: WindowState): boolean {
  const tolerance = 1e-5 * Math.max(1, Math.abs(a.center), Math.abs(a.width));
  return Math.abs(a.center - b.center) <= tolerance && Math.abs(a.width - b.width) <= tolerance;
}

function key({ projectId, volumeId, sequenceId }: SequenceWindowTarget): string {
  return `${projectId}\u0000${volumeId}\u0000${sequenceId}`;
}
