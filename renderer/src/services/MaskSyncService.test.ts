import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/contract/errors';
import type { MaskChanged } from '../../../main/contract/types';
import { Emitter } from '../viewer/Emitter';
import type { MaskSlices } from '../viewer/SegmentationService';
import { MaskSyncService, type MaskLayer, type MaskSaveConflict } from './MaskSyncService';

const sliceSize = 4;
const sliceCount = 3;

/** A labelmap in memory, as the segmentation service keeps it: committed labels, slice after slice. */
class FakeLayer implements MaskLayer {
  labels = new Uint8Array(sliceSize * sliceCount);
  maskVolumeId: string | undefined;
  readonly commits = new Emitter<MaskSlices>();
  readonly onDidCommitSlices = this.commits.event;
  applied: MaskSlices[] = [];

  async showMask(volumeId: string, labels: Uint8Array): Promise<void> {
    this.maskVolumeId = volumeId;
    this.labels = labels.slice();
  }

  applySlices(slices: MaskSlices): void {
    this.applied.push(slices);
    for (const { sliceIndex, labels } of slices.slices) this.labels.set(labels, sliceIndex * sliceSize);
  }

  readSlice(k: number): Uint8Array | null {
    return this.maskVolumeId ? this.labels.slice(k * sliceSize, (k + 1) * sliceSize) : null;
  }

  /** The user draws on slice k: committed, as the segmentation service announces it. */
  draw(k: number, value: number): void {
    const labels = new Uint8Array(sliceSize).fill(value);
    this.labels.set(labels, k * sliceSize);
    this.commits.fire({ volumeId: this.maskVolumeId!, slices: [{ sliceIndex: k, labels }] });
  }
}

/**
 * Main's side: masks per "project/volume", slice rows only where a slice was saved, each with its version; a save whose
 * `baseVersion` is older than the stored version is refused whole with `conflict`, as main's MaskRepository does.
 */
class FakeMain {
  readonly rows = new Map<string, Map<number, Uint8Array>>();
  readonly versions = new Map<string, number>();
  readonly saves: { projectId: string; volumeId: string; sliceIndices: number[]; baseVersions: (number | undefined)[] }[] = [];
  holdSaves = false;
  /** Runs after main read the whole mask for `getVolumeMask`, before the answer arrives. */
  afterVolumeMaskRead: (() => void) | undefined;
  private held: (() => void)[] = [];

  readonly api = {
    call: async (name: string, input: Record<string, unknown>): Promise<never> => {
      const { projectId, volumeId } = input as { projectId: string; volumeId: string };
      const rows = this.rowsOf(projectId, volumeId);
      if (name === 'getVolumeMask') {
        const labels = new Uint8Array(sliceSize * sliceCount);
        for (const [k, slice] of rows) labels.set(slice, k * sliceSize);
        const storedSlices = [...rows.keys()].sort((a, b) => a - b);
        const versions = storedSlices.map((k) => this.versionOf(projectId, volumeId, k));
        const maskedSlices = storedSlices.filter((k) => rows.get(k)!.some((value) => value !== 0));
        this.afterVolumeMaskRead?.();
        return { volumeId, labels, maskedSlices, storedSlices, versions } as never;
      }
      if (name === 'getMaskSlices') {
        const indices = input.sliceIndices as number[];
        return {
          volumeId,
          slices: indices
            .filter((k) => rows.has(k))
            .map((k) => ({ sliceIndex: k, labels: rows.get(k)!, version: this.versionOf(projectId, volumeId, k) }))
        } as never;
      }
      if (name === 'saveMaskSlices') {
        if (this.holdSaves) await new Promise<void>((resolve) => this.held.push(resolve));
        const slices = input.slices as { sliceIndex: number; labels: Uint8Array; baseVersion?: number }[];
        const stale = slices.filter(
          (slice) => slice.baseVersion !== undefined && slice.baseVersion !== this.versionOf(projectId, volumeId, slice.sliceIndex)
        );
        if (stale.length > 0) throw new ApiError('conflict', 'Slice changed in another window.');
        const versions: number[] = [];
        for (const slice of slices) {
          rows.set(slice.sliceIndex, slice.labels.slice());
          const version = this.versionOf(projectId, volumeId, slice.sliceIndex) + 1;
          this.versions.set(`${projectId}/${volumeId}/${slice.sliceIndex}`, version);
          versions.push(version);
        }
        this.saves.push({
          projectId,
          volumeId,
          sliceIndices: slices.map((slice) => slice.sliceIndex),
          baseVersions: slices.map((slice) => slice.baseVersion)
        });
        return { volumeId, versions } as never;
      }
      throw new Error(`unexpected call ${name}`);
    }
  } as unknown as ConstructorParameters<typeof MaskSyncService>[0];

  rowsOf(projectId: string, volumeId: string): Map<number, Uint8Array> {
    const key = `${projectId}/${volumeId}`;
    if (!this.rows.has(key)) this.rows.set(key, new Map());
    return this.rows.get(key)!;
  }

  versionOf(projectId: string, volumeId: string, k: number): number {
    return this.versions.get(`${projectId}/${volumeId}/${k}`) ?? 0;
  }

  /** Another window saved slice k (main announces it to this window only later, if at all). */
  saveFromElsewhere(projectId: string, volumeId: string, k: number, value: number): void {
    this.rowsOf(projectId, volumeId).set(k, new Uint8Array(sliceSize).fill(value));
    this.versions.set(`${projectId}/${volumeId}/${k}`, this.versionOf(projectId, volumeId, k) + 1);
  }

  releaseSaves(): void {
    this.holdSaves = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

const change = (sliceIndices: number[]): MaskChanged => ({ projectId: 'p', volumeId: 'v', sliceIndices });

describe('MaskSyncService', () => {
  it('loads main mask into the layer and saves committed slices to the project they were drawn in', async () => {
    const main = new FakeMain();
    main.rowsOf('p', 'v').set(1, new Uint8Array(sliceSize).fill(1));
    const layer = new FakeLayer();
    const sync = new MaskSyncService(main.api, layer);
    const loadedVolumes: string[] = [];
    sync.onDidLoadMask((volumeId) => loadedVolumes.push(volumeId));
    await sync.loadMask('p', 'v');
    expect(loadedVolumes).toEqual(['v']);
    expect([...layer.readSlice(1)!]).toEqual([1, 1, 1, 1]);
    layer.draw(2, 1);
    await sync.flush();
    expect(main.saves).toEqual([{ projectId: 'p', volumeId: 'v', sliceIndices: [2], baseVersions: [0] }]);
    sync.destroy();
  });

  it('applies slices main changed, and leaves alone those it already shows (its own save)', async () => {
    const main = new FakeMain();
    const layer = new FakeLayer();
    const sync = new MaskSyncService(main.api, layer);
    await sync.loadMask('p', 'v');
    layer.draw(0, 1);
    await sync.flush();
    // Main accepted a proposal on slice 2; its event also names slice 0, which this window saved itself.
    main.rowsOf('p', 'v').set(2, new Uint8Array(sliceSize).fill(1));
    await sync.applyMaskChange(change([0, 2]));
    expect(layer.applied.map((slices) => slices.slices.map((slice) => slice.sliceIndex))).toEqual([[2]]);
    expect([...layer.readSlice(2)!]).toEqual([1, 1, 1, 1]);
    sync.destroy();
  });

  it('keeps a stroke main does not have yet, and empties a slice main has no row for', async () => {
    const main = new FakeMain();
    main.rowsOf('p', 'v').set(1, new Uint8Array(sliceSize).fill(1));
    const layer = new FakeLayer();
    const sync = new MaskSyncService(main.api, layer);
    await sync.loadMask('p', 'v');
    main.holdSaves = true;
    layer.draw(0, 1);
    const saving = sync.flush();
    main.rowsOf('p', 'v').delete(1);
    await sync.applyMaskChange(change([0, 1]));
    expect([...layer.readSlice(0)!]).toEqual([1, 1, 1, 1]);
    expect([...layer.readSlice(1)!]).toEqual([0, 0, 0, 0]);
    main.releaseSaves();
    await saving;
    sync.destroy();
  });

  it('ignores other volumes and projects, and applies changes announced while the mask was loading', async () => {
    const main = new FakeMain();
    const layer = new FakeLayer();
    const sync = new MaskSyncService(main.api, layer);
    main.rowsOf('q', 'v').set(0, new Uint8Array(sliceSize).fill(1));
    let announced: Promise<void> | undefined;
    // Slice 2 changes in main after the whole mask was read for this window, and main says so before it arrives.
    main.afterVolumeMaskRead = () => {
      main.rowsOf('p', 'v').set(2, new Uint8Array(sliceSize).fill(1));
      announced = sync.applyMaskChange(change([2]));
    };
    await sync.loadMask('p', 'v');
    await announced;
    expect([...layer.readSlice(2)!]).toEqual([1, 1, 1, 1]);
    await sync.applyMaskChange({ projectId: 'q', volumeId: 'v', sliceIndices: [0] });
    expect([...layer.readSlice(0)!]).toEqual([0, 0, 0, 0]);
    sync.destroy();
  });

  it('saves each stroke on the version it was drawn on, its own saves and main\'s changes included', async () => {
    const main = new FakeMain();
    main.saveFromElsewhere('p', 'v', 1, 1);
    const layer = new FakeLayer();
    const sync = new MaskSyncService(main.api, layer);
    await sync.loadMask('p', 'v');
    layer.draw(1, 0);
    await sync.flush();
    layer.draw(1, 1);
    await sync.flush();
    // Main accepted a proposal on slice 2 and said so: the next stroke there builds on that version.
    main.saveFromElsewhere('p', 'v', 2, 1);
    await sync.applyMaskChange(change([2]));
    layer.draw(2, 0);
    await sync.flush();
    expect(main.saves.map((save) => [save.sliceIndices, save.baseVersions])).toEqual([
      [[1], [1]],
      [[1], [2]],
      [[2], [1]]
    ]);
    expect(main.versionOf('p', 'v', 1)).toBe(3);
    sync.destroy();
  });

  it('refuses to overwrite a slice another window saved since, reloads it and tells the user', async () => {
    const main = new FakeMain();
    const layer = new FakeLayer();
    const sync = new MaskSyncService(main.api, layer);
    const conflicts: MaskSaveConflict[] = [];
    const states: string[] = [];
    sync.onDidResolveConflict((conflict) => conflicts.push(conflict));
    sync.onDidChangeSaveState(({ state }) => states.push(state));
    await sync.loadMask('p', 'v');
    // Another window draws on slice 1 and saves; this window has not heard of it when the user draws there too.
    main.saveFromElsewhere('p', 'v', 1, 2);
    layer.draw(0, 1);
    layer.draw(1, 1);
    await sync.flush();
    await sync.flush();
    expect(main.saves).toEqual([]);
    expect([...main.rowsOf('p', 'v').get(1)!]).toEqual([2, 2, 2, 2]);
    expect([...layer.readSlice(1)!]).toEqual([2, 2, 2, 2]);
    expect([...layer.readSlice(0)!]).toEqual([0, 0, 0, 0]);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.sliceIndices).toEqual([0, 1]);
    expect(conflicts[0]!.message).toMatch(/^Slices 1, 2 of this mask were changed in another window/);
    expect(conflicts[0]!.message).not.toMatch(/conflict|Error|undefined/);
    expect(states.at(-1)).toBe('saved');
    // The next stroke builds on the version now shown and is saved.
    layer.draw(1, 1);
    await sync.flush();
    expect(main.saves).toEqual([{ projectId: 'p', volumeId: 'v', sliceIndices: [1], baseVersions: [1] }]);
    expect([...main.rowsOf('p', 'v').get(1)!]).toEqual([1, 1, 1, 1]);
    sync.destroy();
  });

  it('keeps a waiting stroke on a slice main changed: its save is refused, not written over the newer slice', async () => {
    const main = new FakeMain();
    const layer = new FakeLayer();
    const sync = new MaskSyncService(main.api, layer);
    const conflicts: MaskSaveConflict[] = [];
    sync.onDidResolveConflict((conflict) => conflicts.push(conflict));
    await sync.loadMask('p', 'v');
    main.holdSaves = true;
    layer.draw(2, 1);
    const saving = sync.flush();
    // While the stroke is on its way, another window's save of slice 2 is announced.
    main.saveFromElsewhere('p', 'v', 2, 3);
    await sync.applyMaskChange(change([2]));
    main.releaseSaves();
    await saving;
    await sync.flush();
    expect([...main.rowsOf('p', 'v').get(2)!]).toEqual([3, 3, 3, 3]);
    expect([...layer.readSlice(2)!]).toEqual([3, 3, 3, 3]);
    expect(conflicts.map((conflict) => conflict.sliceIndices)).toEqual([[2]]);
    sync.destroy();
  });
});
