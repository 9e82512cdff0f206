import { Emitter } from '../viewer/Emitter';

export type MaskSaveState = 'saved' | 'pending' | 'saving' | 'error';

export type SaveSlices = (volumeId: string, slices: { sliceIndex: number; labels: Uint8Array }[]) => Promise<void>;

/**
 * Autosave of mask slices: changed slices wait a moment (strokes come in bursts), then go to main in one call, only
 * the slices that changed, the newest labels of each. Saves run one after the other, so an older one never lands last.
 */
export class MaskSaveQueue {
  private readonly pending = new Map<string, Map<number, Uint8Array>>();
  /** Batches sent to main whose save has not answered yet. */
  private readonly inFlight = new Set<[string, Map<number, Uint8Array>][]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> = Promise.resolve();
  private savedCount = 0;
  private readonly stateEmitter = new Emitter<{ state: MaskSaveState; savedCount: number; error?: unknown }>();
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(
    private readonly save: SaveSlices,
    private readonly delayMilliseconds = 250
  ) {}

  enqueue(volumeId: string, slices: { sliceIndex: number; labels: Uint8Array }[]): void {
    if (slices.length === 0) return;
    const forVolume = this.pending.get(volumeId) ?? new Map<number, Uint8Array>();
    for (const slice of slices) forVolume.set(slice.sliceIndex, slice.labels);
    this.pending.set(volumeId, forVolume);
    this.stateEmitter.fire({ state: 'pending', savedCount: this.savedCount });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMilliseconds);
  }

  /** Sends everything pending now; resolves when main has it on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    if (batches.length === 0) return this.running;
    this.inFlight.add(batches);
    this.running = this.running.then(async () => {
      this.stateEmitter.fire({ state: 'saving', savedCount: this.savedCount });
      try {
        for (const [volumeId, slices] of batches) {
          await this.save(
            volumeId,
            [...slices.entries()].map(([sliceIndex, labels]) => ({ sliceIndex, labels }))
          );
        }
        this.savedCount++;
        const state = this.pending.size > 0 ? 'pending' : 'saved';
        this.stateEmitter.fire({ state, savedCount: this.savedCount });
      } catch (error) {
        // Kept for the next save: newer labels of the same slice, if any, win.
        for (const [volumeId, slices] of batches) {
          const forVolume = this.pending.get(volumeId) ?? new Map<number, Uint8Array>();
          for (const [sliceIndex, labels] of slices) if (!forVolume.has(sliceIndex)) forVolume.set(sliceIndex, labels);
          this.pending.set(volumeId, forVolume);
        }
        this.stateEmitter.fire({ state: 'error', savedCount: this.savedCount, error });
      } finally {
        this.inFlight.delete(batches);
      }
    });
    return this.running;
  }

  /** The slices queued under `key` whose labels main does not have yet: waiting, or sent and not answered. */
  unsavedSlices(key: string): Set<number> {
    const slices = new Set(this.pending.get(key)?.keys());
    for (const batches of this.inFlight) {
      for (const [batchKey, batch] of batches) if (batchKey === key) for (const k of batch.keys()) slices.add(k);
    }
    return slices;
  }

  /** Drops the waiting labels of these slices (main's labels replaced them on screen). */
  discard(key: string, sliceIndices: number[]): void {
    const forKey = this.pending.get(key);
    if (!forKey) return;
    for (const sliceIndex of sliceIndices) forKey.delete(sliceIndex);
    if (forKey.size === 0) this.pending.delete(key);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.stateEmitter.dispose();
  }
}
