/**
 * The voxels of the sequences of the case on screen, kept after their first showing so that flipping back and forth
 * (T1 → FLAIR → T1, as a reader does) does not fetch them from main again. Least recently used go first beyond a
 * byte budget; another case's go when a case is opened. Plain data: never reactive.
 */
export class SequenceVoxelCache<T extends { bytes: { byteLength: number } }> {
  private readonly entries = new Map<string, { volumeId: string; voxels: T }>();
  private total = 0;

  constructor(private readonly budgetBytes: number) {}

  get(volumeId: string, sequenceId: string): T | undefined {
    const id = key(volumeId, sequenceId);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    // Most recently used last.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.voxels;
  }

  put(volumeId: string, sequenceId: string, voxels: T): void {
    const id = key(volumeId, sequenceId);
    this.remove(id);
    if (voxels.bytes.byteLength > this.budgetBytes) return;
    this.entries.set(id, { volumeId, voxels });
    this.total += voxels.bytes.byteLength;
    for (const oldest of this.entries.keys()) {
      if (this.total <= this.budgetBytes) break;
      this.remove(oldest);
    }
  }

  /** Forgets every case but `volumeId` (null: all). */
  keepOnly(volumeId: string | null): void {
    for (const [id, entry] of [...this.entries]) if (entry.volumeId !== volumeId) this.remove(id);
  }

  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.entries.size;
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.total -= entry.voxels.bytes.byteLength;
  }
}

function key(volumeId: string, sequenceId: string): string {
  return `${volumeId}\u0000${sequenceId}`;
}
