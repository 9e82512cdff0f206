import { describe, expect, it } from 'vitest';
import type { MaskChanged } from '../../../main/contract/types';
import { Emitter } from '../viewer/Emitter';
import type { MaskSlices } from '../viewer/SegmentationService';
import { MaskSyncService, type MaskLayer } from './MaskSyncService';

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

/** Main's side: masks per "project/volume", slice rows only where a slice was saved. */
class FakeMain {
  readonly rows = new Map<string, Map<number, Uint8Array>>();
  readonly saves: { projectId: string; volumeId: string; sliceIndices: number[] }[] = [];
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
        this.afterVolumeMaskRead?.();
        return { volumeId, labels } as never;
      }
      if (name === 'getMaskSlices') {
        const indices = input.sliceIndices as number[];
        return {
          volumeId,
          slices: indices.filter((k) => rows.has(k)).map((k) => ({ sliceIndex: k, labels: rows.get(k)! }))
        } as never;
      }
      if (name === 'saveMaskSlices') {
        if (this.holdSaves) await new Promise<void>((resolve) => this.held.push(resolve));
        const slices = input.slices as { sliceIndex: number; labels: Uint8Array }[];
        for (const slice of slices) rows.set(slice.sliceIndex, slice.labels.slice());
        this.saves.push({ projectId, volumeId, sliceIndices: slices.map((slice) => slice.sliceIndex) });
        return { volumeId, versions: [] } as never;
      }
      throw new Error(`unexpected call ${name}`);
    }
  } as unknown as ConstructorParameters<typeof MaskSyncService>[0];

  rowsOf(projectId: string, volumeId: string): Map<number, Uint8Array> {
    const key = `${projectId}/${volumeId}`;
    if (!this.rows.has(key)) this.rows.set(key, new Map());
    return this.rows.get(key)!;
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
    expect(main.saves).toEqual([{ projectId: 'p', volumeId: 'v', sliceIndices: [2] }]);
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
});
