import type { ApiClient } from '../../../main/contract/contract';

interface SliceLabels {
  sliceIndex: number;
  labels: Uint8Array;
}

/**
 * The stored version of each slice of the mask on screen, as this window last saw it. Saves carry it as
 * `baseVersion`, so main refuses (code 'conflict') a stroke drawn on a slice another window has saved since, instead
 * of letting the older copy overwrite the newer stroke.
 */
export class MaskSliceVersions {
  private readonly versions = new Map<number, number>();

  /** The mask was (re)loaded: `getVolumeMask` lists the stored slices and their versions in the same order. */
  reset(mask: { storedSlices: number[]; versions: number[] }): void {
    this.versions.clear();
    mask.storedSlices.forEach((sliceIndex, index) => this.versions.set(sliceIndex, mask.versions[index] ?? 0));
  }

  /** Main's labels of these slices are now on screen (fetched after `onDidChangeMask`). */
  recordSeen(slices: { sliceIndex: number; version: number }[]): void {
    for (const slice of slices)
      this.versions.set(slice.sliceIndex, Math.max(slice.version, this.versions.get(slice.sliceIndex) ?? 0));
  }

  versionOf(sliceIndex: number): number {
    return this.versions.get(sliceIndex) ?? 0;
  }

  /** Saves edited slices on top of the versions this window holds and records the versions main gave them. */
  async save(api: Pick<ApiClient, 'call'>, projectId: string, volumeId: string, slices: SliceLabels[]): Promise<void> {
    const withBase = slices.map((slice) => ({ ...slice, baseVersion: this.versionOf(slice.sliceIndex) }));
    const { versions } = await api.call('saveMaskSlices', { projectId, volumeId, slices: withBase });
    slices.forEach((slice, index) =>
      this.versions.set(slice.sliceIndex, versions[index] ?? this.versionOf(slice.sliceIndex))
    );
  }
}
