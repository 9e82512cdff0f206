import { unzlibSync, zlibSync } from 'fflate';
import type { Database } from '../Database';
import type { MaskProvenance, MaskSlice, SliceLabel } from '../records';
import { markScanPresentByMask, restoreWithoutMask, writeSlices } from './SliceLabelRepository';

export interface MaskSliceWrite {
  sliceIndex: number;
  /** Uncompressed uint8 labels, dim_i * dim_j. */
  labels: Uint8Array;
  /**
   * The version this edit was made on (0: the slice had no mask). When given and the stored slice has moved on (another
   * window saved it), nothing of the call is written and `MaskVersionConflict` is thrown.
   */
  baseVersion?: number;
}

/** A save based on an older version of some slices than the store holds; nothing was written. */
export class MaskVersionConflict extends Error {
  constructor(readonly conflicts: { sliceIndex: number; baseVersion: number; storedVersion: number }[]) {
    super(`mask slices changed since their edit began: ${conflicts.map((c) => c.sliceIndex).join(', ')}`);
    this.name = 'MaskVersionConflict';
  }
}

export interface MaskWriteOptions {
  provenance: MaskProvenance;
  author: string;
  modelVersionId?: string | null;
  /** The file an imported mask came from. */
  sourceFile?: string | null;
  /** Weak labels the new mask implies, written in the same transaction. */
  impliedSliceLabels?: SliceLabel[];
  /** Sets the scan-level tag to present in the same transaction (a drawn tumour proves it). */
  markScanPresent?: boolean;
}

/**
 * Labelmaps stored per slice (so an edit sends and saves only the slices it changed), each compressed, versioned, with
 * provenance; every saved state also goes to the history table. Slices are stored at the volume's full size: nothing is
 * cropped or resampled.
 */
export class MaskRepository {
  constructor(private readonly database: Database) {}

  async saveSlices(volumeId: string, slices: MaskSliceWrite[], options: MaskWriteOptions): Promise<number[]> {
    const now = new Date().toISOString();
    return this.database.transaction(async (tx) => {
      const stored: number[] = [];
      for (const slice of slices) {
        const previous = await tx.get<{ version: number }>(
          'SELECT version FROM mask_slices WHERE volume_id = ? AND slice_index = ?',
          [volumeId, slice.sliceIndex]
        );
        stored.push(previous?.version ?? 0);
      }
      const conflicts = slices.flatMap((slice, index) =>
        slice.baseVersion !== undefined && slice.baseVersion !== stored[index]
          ? [{ sliceIndex: slice.sliceIndex, baseVersion: slice.baseVersion, storedVersion: stored[index]! }]
          : []
      );
      if (conflicts.length > 0) throw new MaskVersionConflict(conflicts);
      const versions: number[] = [];
      for (const [index, slice] of slices.entries()) {
        const version = stored[index]! + 1;
        const compressed = zlibSync(slice.labels, { level: 6 });
        const values = [
          volumeId,
          slice.sliceIndex,
          version,
          compressed,
          options.provenance,
          options.modelVersionId ?? null,
          options.author,
          now,
          options.sourceFile ?? null
        ];
        await tx.run(
          `INSERT INTO mask_slices (volume_id, slice_index, version, labels, provenance, model_version_id, author,
             updated_at, source_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (volume_id, slice_index) DO UPDATE SET version = excluded.version, labels = excluded.labels,
             provenance = excluded.provenance, model_version_id = excluded.model_version_id, author = excluded.author,
             updated_at = excluded.updated_at, source_file = excluded.source_file`,
          values
        );
        await tx.run(
          `INSERT INTO mask_slice_history (volume_id, slice_index, version, labels, provenance, model_version_id,
             author, saved_at, source_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          values
        );
        versions.push(version);
      }
      if (options.impliedSliceLabels) await writeSlices(tx, volumeId, options.impliedSliceLabels);
      if (options.markScanPresent) await markScanPresentByMask(tx, volumeId);
      const emptied = slices.filter((slice) => !slice.labels.some((value) => value !== 0)).map((slice) => slice.sliceIndex);
      await restoreWithoutMask(tx, volumeId, emptied);
      return versions;
    });
  }

  /**
   * The current slices of a volume's mask; all masked slices when `sliceIndices` is omitted. The indices travel as
   * one JSON parameter: SQLite allows at most 32,766 parameters, the contract up to 100,000 slices.
   */
  async getSlices(volumeId: string, sliceIndices?: number[]): Promise<MaskSlice[]> {
    const filter = sliceIndices ? 'AND slice_index IN (SELECT value FROM json_each(?))' : '';
    const rows = await this.database.all<{
      slice_index: number;
      version: number;
      labels: Uint8Array;
      provenance: string;
      model_version_id: string | null;
      author: string;
      updated_at: string;
      source_file: string | null;
    }>(`SELECT * FROM mask_slices WHERE volume_id = ? ${filter} ORDER BY slice_index`, [
      volumeId,
      ...(sliceIndices ? [JSON.stringify(sliceIndices)] : [])
    ]);
    return rows.map((row) => ({
      sliceIndex: row.slice_index,
      labels: unzlibSync(row.labels),
      version: row.version,
      provenance: row.provenance as MaskProvenance,
      modelVersionId: row.model_version_id,
      author: row.author,
      updatedAt: row.updated_at,
      sourceFile: row.source_file
    }));
  }

  /**
   * The slices with tumour drawn (at least one labelled voxel). A slice whose mask was erased or undone keeps its row
   * (its version guards later saves) but is not masked: counts and exports follow the voxels.
   */
  async listMaskedSliceIndices(volumeId: string): Promise<number[]> {
    const rows = await this.database.all<{ slice_index: number; labels: Uint8Array }>(
      'SELECT slice_index, labels FROM mask_slices WHERE volume_id = ? ORDER BY slice_index',
      [volumeId]
    );
    return rows.filter((row) => unzlibSync(row.labels).some((value) => value !== 0)).map((row) => row.slice_index);
  }

  /** Per volume with tumour drawn, how many slices have it. */
  async countMaskedSlicesByVolume(): Promise<Map<string, number>> {
    const rows = await this.database.all<{ volume_id: string; labels: Uint8Array }>('SELECT volume_id, labels FROM mask_slices');
    const counts = new Map<string, number>();
    for (const row of rows) {
      if (unzlibSync(row.labels).some((value) => value !== 0)) counts.set(row.volume_id, (counts.get(row.volume_id) ?? 0) + 1);
    }
    return counts;
  }
}
