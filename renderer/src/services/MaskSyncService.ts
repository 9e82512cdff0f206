import type { ApiClient } from '../../../main/contract/contract';
import type { MaskChanged } from '../../../main/contract/types';
import { sameLabels } from '../masks/diffSlices';
import { MaskSaveQueue, type MaskSaveState } from '../masks/MaskSaveQueue';
import { Emitter, type Unsubscribe } from '../viewer/Emitter';
import type { MaskSlices } from '../viewer/SegmentationService';

/** What the mask sync service needs of the segmentation service (the labelmap on screen). */
export interface MaskLayer {
  showMask(volumeId: string, labels: Uint8Array): Promise<void>;
  applySlices(slices: MaskSlices): void;
  readSlice(k: number): Uint8Array | null;
  readonly maskVolumeId: string | undefined;
  onDidCommitSlices(listener: (slices: MaskSlices) => void): Unsubscribe;
}

export interface MaskSaveStatus {
  state: MaskSaveState;
  savedCount: number;
  error?: unknown;
}

/**
 * Keeps the mask on screen and main's copy the same, both ways: loads the mask when the volume is shown, saves each
 * committed stroke (the changed slices only, in the project the stroke was drawn in), and writes into the labelmap
 * the slices main says changed (`applyMaskChange`, fed with main's `onDidChangeMask`), except those the user changed
 * since and main does not have yet.
 */
export class MaskSyncService {
  private readonly queue: MaskSaveQueue;
  /** The project and volume of the mask on screen. */
  private loaded: { projectId: string; volumeId: string } | undefined;
  private loadRequest = 0;
  /** Changes main announced while the mask was loading: applied once it is. */
  private changesWhileLoading: MaskChanged[] = [];
  private loading: { projectId: string; volumeId: string } | undefined;
  private readonly saveEmitter = new Emitter<MaskSaveStatus>();
  private readonly loadEmitter = new Emitter<string>();
  private readonly failEmitter = new Emitter<unknown>();
  private readonly unsubscribes: Unsubscribe[];
  /** The autosave's state ('saved', 'pending', 'saving', 'error') and how many saves main confirmed. */
  readonly onDidChangeSaveState = this.saveEmitter.event;
  /** The mask of this volume is on screen, as main has it. */
  readonly onDidLoadMask = this.loadEmitter.event;
  /** A change main announced could not be read (`handleMaskChange`): the error, for the user. */
  readonly onDidFailToApplyChange = this.failEmitter.event;

  constructor(
    private readonly api: Pick<ApiClient, 'call'>,
    private readonly layer: MaskLayer
  ) {
    // Keyed "projectId/volumeId": a save lands in the project the stroke was drawn in.
    this.queue = new MaskSaveQueue(async (key, slices) => {
      const [projectId, volumeId] = key.split('/') as [string, string];
      await this.api.call('saveMaskSlices', { projectId, volumeId, slices });
    });
    this.unsubscribes = [
      this.queue.onDidChangeState((status) => this.saveEmitter.fire(status)),
      layer.onDidCommitSlices(({ volumeId, slices }) => {
        const loaded = this.loaded;
        if (loaded?.volumeId === volumeId) this.queue.enqueue(keyOf(loaded), slices);
      })
    ];
  }

  /** Fills the labelmap of the volume now on screen with main's mask (after saving what is still pending). */
  async loadMask(projectId: string, volumeId: string): Promise<void> {
    const request = ++this.loadRequest;
    this.loaded = undefined;
    this.loading = { projectId, volumeId };
    this.changesWhileLoading = [];
    await this.queue.flush();
    const mask = await this.api.call('getVolumeMask', { projectId, volumeId });
    if (request !== this.loadRequest) return;
    await this.layer.showMask(volumeId, mask.labels);
    if (request !== this.loadRequest || this.layer.maskVolumeId !== volumeId) return;
    this.loaded = { projectId, volumeId };
    this.loading = undefined;
    for (const change of this.changesWhileLoading.splice(0)) await this.applyMaskChange(change);
    this.loadEmitter.fire(volumeId);
  }

  /**
   * Main changed slices of a volume's mask (an accepted proposal, another window): the labelmap takes main's labels of
   * those slices, unless the user changed them since and main does not have that yet (the user's stroke wins and is
   * saved after). A change the labelmap already holds (this window's own save) changes nothing.
   */
  async applyMaskChange(change: MaskChanged): Promise<void> {
    const { projectId, volumeId, sliceIndices } = change;
    if (this.loading?.projectId === projectId && this.loading.volumeId === volumeId) {
      this.changesWhileLoading.push(change);
      return;
    }
    const loaded = this.loaded;
    if (!loaded || loaded.projectId !== projectId || loaded.volumeId !== volumeId || sliceIndices.length === 0) return;
    const { slices } = await this.api.call('getMaskSlices', { projectId, volumeId, sliceIndices });
    if (this.loaded !== loaded) return;
    const unsaved = this.queue.unsavedSlices(keyOf(loaded));
    const stored = new Map(slices.map((slice) => [slice.sliceIndex, slice.labels]));
    const changed: MaskSlices['slices'] = [];
    for (const sliceIndex of new Set(sliceIndices)) {
      const current = this.layer.readSlice(sliceIndex);
      if (!current || unsaved.has(sliceIndex)) continue;
      // A slice main has no row for is empty.
      const labels = stored.get(sliceIndex) ?? new Uint8Array(current.length);
      if (labels.length === current.length && !sameLabels(labels, current)) changed.push({ sliceIndex, labels });
    }
    this.layer.applySlices({ volumeId, slices: changed });
  }

  /** `applyMaskChange` for main's events, which nobody awaits: a failure is announced, not thrown. */
  handleMaskChange(change: MaskChanged): void {
    this.applyMaskChange(change).catch((error: unknown) => this.failEmitter.fire(error));
  }

  /** Sends what is waiting now; resolves when main has it. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  destroy(): void {
    this.loadRequest++;
    this.loaded = undefined;
    this.loading = undefined;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    void this.queue.flush().finally(() => this.queue.dispose());
    for (const emitter of [this.saveEmitter, this.loadEmitter, this.failEmitter]) emitter.dispose();
  }
}

function keyOf({ projectId, volumeId }: { projectId: string; volumeId: string }): string {
  return `${projectId}/${volumeId}`;
}
