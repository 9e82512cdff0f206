/**
 * Versioned schema migrations, applied in order inside one transaction each. Never edit a released migration: add a
 * new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE project_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE volumes (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        source_kind TEXT NOT NULL CHECK (source_kind IN ('nifti', 'dicom')),
        source_files TEXT NOT NULL,            -- JSON array of paths as imported
        patient_name TEXT,
        patient_id TEXT,
        study_description TEXT,
        series_description TEXT,
        modality TEXT,
        series_instance_uid TEXT,
        dim_i INTEGER NOT NULL CHECK (dim_i > 0),
        dim_j INTEGER NOT NULL CHECK (dim_j > 0),
        dim_k INTEGER NOT NULL CHECK (dim_k > 0),
        voxel_to_patient TEXT NOT NULL,        -- JSON, 16 numbers, row-major, LPS mm
        nifti_layout TEXT,                     -- JSON voxel order for NIfTI files (dcm2niix's for DICOM), null = own
        scalar_type TEXT NOT NULL,
        min_value REAL NOT NULL,
        max_value REAL NOT NULL,
        window_center REAL NOT NULL,           -- suggested first display window
        window_width REAL NOT NULL,
        cache_file TEXT NOT NULL,              -- relative to the project folder
        warnings TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
      );

      -- The scan-level tag and the tumour slice ranges the user gave; slice_labels holds what they imply per slice.
      CREATE TABLE scan_labels (
        volume_id TEXT PRIMARY KEY REFERENCES volumes(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('present', 'absent', 'unknown')),
        tumour_ranges TEXT NOT NULL DEFAULT '[]',  -- JSON [{first, last}] in slice indices, inclusive
        updated_at TEXT NOT NULL
      );

      CREATE TABLE slice_labels (
        volume_id TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
        slice_index INTEGER NOT NULL CHECK (slice_index >= 0),
        state TEXT NOT NULL CHECK (state IN ('present', 'absent', 'unknown')),
        source TEXT NOT NULL CHECK (source IN ('scan', 'range', 'slice', 'mask', 'proposal')),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (volume_id, slice_index)
      );

      CREATE TABLE training_runs (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'stopped', 'failed', 'finished', 'interrupted')),
        method TEXT NOT NULL,
        preset TEXT NOT NULL,
        config TEXT NOT NULL,                  -- JSON
        backend TEXT,
        checkpoint_file TEXT,
        error TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT
      );

      CREATE TABLE training_metrics (
        run_id TEXT NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        name TEXT NOT NULL,
        value REAL NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (run_id, name, step)
      );

      CREATE TABLE model_versions (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        run_id TEXT REFERENCES training_runs(id) ON DELETE SET NULL,
        method TEXT NOT NULL,
        preset TEXT NOT NULL,
        config TEXT NOT NULL,                  -- JSON
        metrics TEXT NOT NULL,                 -- JSON
        data_snapshot TEXT NOT NULL,           -- JSON: counts of A, B and labelled slices
        backend TEXT NOT NULL,
        weights_folder TEXT NOT NULL,          -- relative to the project folder
        created_at TEXT NOT NULL
      );

      CREATE TABLE proposals (
        id TEXT PRIMARY KEY,
        volume_id TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
        model_version_id TEXT NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
        labels BLOB NOT NULL,                  -- deflate-compressed uint8 labelmap in the volume's grid
        slice_areas TEXT NOT NULL,             -- JSON: predicted tumour area per slice, mm^2
        status TEXT NOT NULL CHECK (status IN ('pending', 'reviewed')),
        reviewed_slices TEXT NOT NULL DEFAULT '{}', -- JSON {slice: 'accepted' | 'rejected'}
        created_at TEXT NOT NULL
      );
      CREATE INDEX proposals_by_volume ON proposals(volume_id);

      CREATE TABLE mask_slices (
        volume_id TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
        slice_index INTEGER NOT NULL CHECK (slice_index >= 0),
        version INTEGER NOT NULL CHECK (version >= 1),
        labels BLOB NOT NULL,                  -- deflate-compressed uint8 labels of one slice (dim_i * dim_j)
        provenance TEXT NOT NULL CHECK (provenance IN ('user', 'proposal-accepted', 'proposal-edited')),
        model_version_id TEXT REFERENCES model_versions(id) ON DELETE SET NULL,
        author TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (volume_id, slice_index)
      );

      -- Every saved state of a mask slice, so a version can be recovered and provenance audited.
      CREATE TABLE mask_slice_history (
        volume_id TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
        slice_index INTEGER NOT NULL,
        version INTEGER NOT NULL,
        labels BLOB NOT NULL,
        provenance TEXT NOT NULL,
        model_version_id TEXT,
        author TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (volume_id, slice_index, version)
      );
    `
  },
  {
    version: 2,
    name: 'one live proposal per scan; disagreements on scans tagged no tumour',
    sql: `
      CREATE TABLE proposals_v2 (
        id TEXT PRIMARY KEY,
        volume_id TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
        model_version_id TEXT NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
        labels BLOB NOT NULL,
        slice_areas TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'reviewed', 'superseded', 'disagreement')),
        reviewed_slices TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      );
      INSERT INTO proposals_v2 SELECT id, volume_id, model_version_id, labels, slice_areas, status, reviewed_slices, created_at
        FROM proposals;
      DROP TABLE proposals;
      ALTER TABLE proposals_v2 RENAME TO proposals;
      CREATE INDEX proposals_by_volume ON proposals(volume_id);
      -- Proposals piled up per model: only the newest pending one of each scan stays in the queue.
      UPDATE proposals SET status = 'superseded'
        WHERE status = 'pending' AND EXISTS (
          SELECT 1 FROM proposals AS newer
          WHERE newer.volume_id = proposals.volume_id AND newer.status = 'pending'
            AND (newer.created_at > proposals.created_at OR (newer.created_at = proposals.created_at AND newer.id > proposals.id))
        );
    `
  },
  {
    // Issue 16 (mask import). If another branch also adds a migration 3, renumber this one: it only needs to come after 2.
    version: 3,
    name: "mask import: provenance 'imported' and the source file of a mask slice",
    sql: `
      CREATE TABLE mask_slices_v3 (
        volume_id TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
        slice_index INTEGER NOT NULL CHECK (slice_index >= 0),
        version INTEGER NOT NULL CHECK (version >= 1),
        labels BLOB NOT NULL,
        provenance TEXT NOT NULL CHECK (provenance IN ('user', 'proposal-accepted', 'proposal-edited', 'imported')),
        model_version_id TEXT REFERENCES model_versions(id) ON DELETE SET NULL,
        author TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        source_file TEXT,                      -- the file an imported mask came from (its name as the user gave it)
        PRIMARY KEY (volume_id, slice_index)
      );
      INSERT INTO mask_slices_v3 (volume_id, slice_index, version, labels, provenance, model_version_id, author, updated_at)
        SELECT volume_id, slice_index, version, labels, provenance, model_version_id, author, updated_at FROM mask_slices;
      DROP TABLE mask_slices;
      ALTER TABLE mask_slices_v3 RENAME TO mask_slices;
      ALTER TABLE mask_slice_history ADD COLUMN source_file TEXT;
    `
  },
  {
    // Issue 20 (branch imaging): what an export must say about each volume.
    version: 4,
    name: 'volumes: the volume index of a 4-D series and the scaling applied on import',
    sql: `
      ALTER TABLE volumes ADD COLUMN volume_index INTEGER;  -- this volume's number in its 4-D series, from 1; null: 3-D
      ALTER TABLE volumes ADD COLUMN volume_count INTEGER;  -- how many volumes that series has
      ALTER TABLE volumes ADD COLUMN scaling TEXT;          -- JSON VolumeScaling (main/imaging/importTypes.ts); null: before v4
    `
  },
  {
    // Issue 18 (branch multiseq).
    version: 5,
    name: 'multi-sequence cases: the sequences of a case beside its reference volume',
    sql: `
      ALTER TABLE volumes ADD COLUMN sequence_name TEXT;       -- the reference sequence's name; null: not named
      ALTER TABLE volumes ADD COLUMN frame_of_reference TEXT;  -- dicom:<FrameOfReferenceUID> or nifti:<code>; null: unknown
      ALTER TABLE volumes ADD COLUMN study_instance_uid TEXT;

      -- The other sequences of a case. The case is its reference volume (a row of volumes): tags, masks and proposals
      -- stay keyed by volume_id on the reference grid, and each sequence here is stored on that same grid.
      CREATE TABLE case_sequences (
        id TEXT PRIMARY KEY,
        volume_id TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,             -- order in the case, after the reference (1, 2, ...)
        source_kind TEXT NOT NULL CHECK (source_kind IN ('nifti', 'dicom')),
        source_files TEXT NOT NULL,            -- JSON array of paths as imported
        series_description TEXT,
        series_instance_uid TEXT,
        modality TEXT,
        frame_of_reference TEXT,
        source_dimensions TEXT NOT NULL,       -- JSON [i, j, k] of the sequence as imported
        source_voxel_to_patient TEXT NOT NULL, -- JSON, 16 numbers, its own grid as imported
        scalar_type TEXT NOT NULL,             -- of the cache file, on the reference grid
        min_value REAL NOT NULL,
        max_value REAL NOT NULL,
        window_center REAL NOT NULL,
        window_width REAL NOT NULL,
        cache_file TEXT NOT NULL,              -- voxels on the reference grid, relative to the project folder
        placement TEXT NOT NULL,               -- JSON: same grid, or resampled with the largest offset
        warnings TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        UNIQUE (volume_id, name)
      );
      CREATE INDEX case_sequences_by_volume ON case_sequences(volume_id, position);
    `
  },
  {
    // Issue 19 (branch review).
    version: 6,
    name: 'model versions named and deleted; the tags a drawn mask overrode, restored when it is undone',
    sql: `
      ALTER TABLE model_versions ADD COLUMN name TEXT;          -- the user's name for the version; NULL: "Model N"
      ALTER TABLE model_versions ADD COLUMN deleted_at TEXT;    -- deleted by the user: weights gone, number kept
      -- What a slice was before a drawn mask made it present (NULL: what the scan's tags imply), and the scan's tag
      -- before a drawn mask made it present (NULL: the user tagged it present): both come back when the mask is erased.
      ALTER TABLE slice_labels ADD COLUMN state_before_mask TEXT;
      ALTER TABLE slice_labels ADD COLUMN source_before_mask TEXT;
      ALTER TABLE scan_labels ADD COLUMN state_before_mask TEXT;
    `
  },
  {
    // Issue 19 (branch loop: import many at once).
    version: 7,
    name: 'import: content hash and study date of a volume',
    sql: `
      ALTER TABLE volumes ADD COLUMN content_hash TEXT;  -- SHA-256 of the imported file (NIfTI), to find duplicates
      ALTER TABLE volumes ADD COLUMN study_date TEXT;    -- DICOM 0008,0020 as YYYYMMDD; NIfTI has none
      CREATE INDEX volumes_by_content_hash ON volumes(content_hash);
      CREATE INDEX volumes_by_series_uid ON volumes(series_instance_uid);
    `
  }
];
