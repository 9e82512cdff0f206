/** One slice's labels before and after an edit (dim_i * dim_j bytes each, i fastest). */
export interface SliceEdit {
  sliceIndex: number;
  before: Uint8Array;
  after: Uint8Array;
}

export interface MaskHistoryLimits {
  /** Steps kept at least, memory allowing. */
  maxSteps: number;
  /** The bytes all kept steps may hold together; the oldest steps go first. */
  maxBytes: number;
}

/**
 * Undo and redo of mask edits, as per-slice diffs: a step keeps only the slices a stroke changed, so a long history of
 * small strokes costs little memory even on a large volume.
 */
export class MaskHistory {
  private readonly undoSteps: SliceEdit[][] = [];
  private readonly redoSteps: SliceEdit[][] = [];
  private bytes = 0;

  constructor(private readonly limits: MaskHistoryLimits = { maxSteps: 100, maxBytes: 256 * 1024 * 1024 }) {}

  get canUndo(): boolean {
    return this.undoSteps.length > 0;
  }

  get canRedo(): boolean {
    return this.redoSteps.length > 0;
  }

  get undoCount(): number {
    return this.undoSteps.length;
  }

  get byteSize(): number {
    return this.bytes;
  }

  record(step: SliceEdit[]): void {
    if (step.length === 0) return;
    for (const dropped of this.redoSteps.splice(0)) this.bytes -= sizeOf(dropped);
    this.undoSteps.push(step);
    this.bytes += sizeOf(step);
    while (this.undoSteps.length > 1 && (this.undoSteps.length > this.limits.maxSteps || this.bytes > this.limits.maxBytes)) {
      this.bytes -= sizeOf(this.undoSteps.shift()!);
    }
  }

  /** The step to undo (apply each edit's `before`), or null. */
  undo(): SliceEdit[] | null {
    const step = this.undoSteps.pop();
    if (!step) return null;
    this.redoSteps.push(step);
    return step;
  }

  /** The step to redo (apply each edit's `after`), or null. */
  redo(): SliceEdit[] | null {
    const step = this.redoSteps.pop();
    if (!step) return null;
    this.undoSteps.push(step);
    return step;
  }

  clear(): void {
    this.undoSteps.length = 0;
    this.redoSteps.length = 0;
    this.bytes = 0;
  }
}

function sizeOf(step: SliceEdit[]): number {
  return step.reduce((total, edit) => total + edit.before.byteLength + edit.after.byteLength, 0);
}
