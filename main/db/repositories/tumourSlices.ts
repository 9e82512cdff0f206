import { unzlibSync } from 'fflate';
import type { Transaction } from '../Database';

/**
 * The slices of a volume whose stored mask has at least one labelled voxel, read inside a transaction: weak labels
 * that depend on them are computed and written in the same one, so a stroke saved meanwhile cannot be overwritten.
 */
export async function readTumourSlices(tx: Transaction, volumeId: string): Promise<Set<number>> {
  const rows = await tx.all<{ slice_index: number; labels: Uint8Array }>(
    'SELECT slice_index, labels FROM mask_slices WHERE volume_id = ? ORDER BY slice_index',
    [volumeId]
  );
  return new Set(
    rows.filter((row) => unzlibSync(row.labels).some((value) => value !== 0)).map((row) => row.slice_index)
  );
}
