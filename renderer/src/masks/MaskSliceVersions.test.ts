import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../main/contract/contract';
import { ApiError } from '../../../main/contract/errors';
import { MaskSliceVersions } from './MaskSliceVersions';

/** A store of slice versions that behaves as main does: a save on an older version is a conflict. */
function createFakeMain() {
  const stored = new Map<number, number>();
  const api = {
    call: async (name: string, input: { slices: { sliceIndex: number; baseVersion?: number }[] }) => {
      if (name !== 'saveMaskSlices') throw new Error(`unexpected call ${name}`);
      const stale = input.slices.find(
        (slice) => slice.baseVersion !== undefined && slice.baseVersion !== (stored.get(slice.sliceIndex) ?? 0)
      );
      if (stale) throw new ApiError('conflict', `Slice ${stale.sliceIndex + 1} was changed in another window.`);
      return {
        volumeId: 'v',
        versions: input.slices.map((slice) => {
          stored.set(slice.sliceIndex, (stored.get(slice.sliceIndex) ?? 0) + 1);
          return stored.get(slice.sliceIndex)!;
        })
      };
    }
  } as unknown as Pick<ApiClient, 'call'>;
  return { api, stored };
}

const labels = (value: number) => new Uint8Array(4).fill(value);

describe('MaskSliceVersions', () => {
  it("lets two windows save in turn when each has seen the other's stroke, and refuses the one that has not", async () => {
    const main = createFakeMain();
    const first = new MaskSliceVersions();
    const second = new MaskSliceVersions();
    first.reset({ storedSlices: [], versions: [] });
    second.reset({ storedSlices: [], versions: [] });

    await first.save(main.api, 'p', 'v', [{ sliceIndex: 2, labels: labels(1) }]);
    expect(first.versionOf(2)).toBe(1);
    // The second window still holds the slice as it was before: its save must not overwrite the newer stroke.
    await expect(second.save(main.api, 'p', 'v', [{ sliceIndex: 2, labels: labels(0) }])).rejects.toMatchObject({
      code: 'conflict'
    });
    expect(main.stored.get(2)).toBe(1);

    // Once it has fetched main's slice (after onDidChangeMask), its next stroke lands on top of it.
    second.recordSeen([{ sliceIndex: 2, version: 1 }]);
    await second.save(main.api, 'p', 'v', [{ sliceIndex: 2, labels: labels(2) }]);
    expect(main.stored.get(2)).toBe(2);
    expect(second.versionOf(2)).toBe(2);
  });

  it('starts from the versions getVolumeMask reports', () => {
    const versions = new MaskSliceVersions();
    versions.reset({ storedSlices: [4, 9], versions: [3, 7] });
    expect([versions.versionOf(4), versions.versionOf(9), versions.versionOf(5)]).toEqual([3, 7, 0]);
    versions.recordSeen([{ sliceIndex: 4, version: 2 }]);
    expect(versions.versionOf(4)).toBe(3);
  });
});
