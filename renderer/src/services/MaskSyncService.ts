import type { ApiClient } from '../../../main/contract/contract';
import { isApiErrorShape } from '../../../main/contract/errors';
import type { MaskChanged } from '../../../main/contract/types';
import { sameLabels } from '../masks/diffSlices';
import { MaskSaveQueue, type MaskSaveState } from '../masks/MaskSaveQueue';
import { MaskSliceVersions } from '../masks/MaskSliceVersions';
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

/** A save main refused because another window saved some of its slices since: those slices now show main's mask. */
export interface MaskSaveConflict {
  projectId: string;
  volumeId: string;
  /** The slices reloaded from main (0-based). */
  sliceIndices: number[];
  /** What happened, for the user. */
  message: string;
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
 * since and main does not have yet. Each save names the version of every slice it was drawn on (`baseVersion`); when
 * another window saved one of them since, main refuses the save (`conflict`): the slices of that save are reloaded from
 * main and the user is told, so the newer mask is never overwritten by an older copy.
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
  private readonly conflictEmitter = new Emitter<MaskSaveConflict>();
  /** The stored version of each slice, per "projectId/volumeId", as this window last saw it. */
  private readonly versions = new Map<string, MaskSliceVersions>();
  private readonly unsubscribes: Unsubscribe[];
  /** The autosave's state ('saved', 'pending', 'saving', 'error') and how many saves main confirmed. */
  readonly onDidChangeSaveState = this.saveEmitter.event;
  /** The mask of this volume is on screen, as main has it. */
  readonly onDidLoadMask = this.loadEmitter.event;
  /** A change main announced could not be read (`handleMaskChange`): the error, for the user. */
  readonly onDidFailToApplyChange = this.failEmitter.event;
  /** A save was refused because another window changed those slices first; they show main's mask again. */
  readonly onDidResolveConflict = this.conflictEmitter.event;

  constructor(
    private readonly api: Pick<ApiClient, 'call'>,
    private readonly layer: MaskLayer
  ) {
    // Keyed "projectId/volumeId": a save lands in the project the stroke was drawn in.
    this.queue = new MaskSaveQueue(async (key, slices) => {
      const [projectId, volumeId] = key.split('/') as [string, string];
      try {
        await this.versionsOf(key).save(this.api, projectId, volumeId, slices);
      } catch (error) {
        if (!isApiErrorShape(error) || error.code !== 'conflict') throw error;
        await this.reloadAfterConflict(projectId, volumeId, slices.map((slice) => slice.sliceIndex));
      }
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
    // Only the volume on screen is drawn on: versions of others are not needed any more.
    this.versions.clear();
    this.versionsOf(keyOf({ projectId, volumeId })).reset(mask);
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
    // The slices on screen are main's now; an unsaved stroke keeps the version it was drawn on, so that its save is
    // refused if main's slice is newer than what the user drew on.
    this.versionsOf(keyOf(loaded)).recordSeen(slices.filter((slice) => !unsaved.has(slice.sliceIndex)));
  }

  /** Main refused a save as stale: its slices take main's labels and versions again, and the user is told. */
  private async reloadAfterConflict(projectId: string, volumeId: string, sliceIndices: number[]): Promise<void> {
    const { slices } = await this.api.call('getMaskSlices', { projectId, volumeId, sliceIndices });
    this.versionsOf(`${projectId}/${volumeId}`).recordSeen(slices);
    const loaded = this.loaded;
    if (loaded?.projectId === projectId && loaded.volumeId === volumeId) {
      const stored = new Map(slices.map((slice) => [slice.sliceIndex, slice.labels]));
      const reloaded: MaskSlices['slices'] = [];
      for (const sliceIndex of sliceIndices) {
        const current = this.layer.readSlice(sliceIndex);
        if (current) reloaded.push({ sliceIndex, labels: stored.get(sliceIndex) ?? new Uint8Array(current.length) });
      }
      this.layer.applySlices({ volumeId, slices: reloaded });
    }
    // Strokes on those slices still waiting were drawn on the refused labels too: main's labels replace them.
    this.queue.discard(`${projectId}/${volumeId}`, sliceIndices);
    this.conflictEmitter.fire({ projectId, volumeId, sliceIndices, message: describeConflict(sliceIndices) });
  }

  private versionsOf(key: string): MaskSliceVersions {
    let versions = this.versions.get(key);
    if (!versions) {
      versions = new MaskSliceVersions();
      this.versions.set(key, versions);
    }
    return versions;
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
    for (const emitter of [this.saveEmitter, this.loadEmitter, this.failEmitter, this.conflictEmitter]) emitter.dispose();
  }
}

function keyOf({ projectId, volumeId }: { projectId: string; volumeId: string }): string {
  return `${projectId}/${volumeId}`;
}

/** The user's words for a refused, reloaded save. */
export function describeConflict(sliceIndices: number[]): string {
  const sorted = [...new Set(sliceIndices)].sort((a, b) => a - b);
  const shown = sorted.slice(0, 5).map((k) => k + 1).join(', ');
  const more = sorted.length > 5 ? ` and ${sorted.length - 5} more` : '';
  const slices = `${sorted.length > 1 ? 'Slices' : 'Slice'} ${shown}${more}`;
  return (
    `${slices} of this mask ${sorted.length > 1 ? 'were' : 'was'} changed in another window before your last stroke was saved. Your stroke there was ` +
    'not saved, so that the newer mask is kept; it is shown now. Draw again if it needs changing.'
  );
}
