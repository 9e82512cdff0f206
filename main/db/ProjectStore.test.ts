import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from './Database';
import { migrate } from './migrate';
import { migrations } from './migrations';
import { ProjectStore } from './ProjectStore';
import type { VolumeRecord } from './records';

const folders: string[] = [];
function temporaryDatabasePath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'genseg-store-'));
  folders.push(folder);
  return join(folder, 'project.sqlite');
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function makeVolume(id: string, dimensions: [number, number, number] = [4, 3, 5]): VolumeRecord {
  return {
    id,
    name: `Volume ${id}`,
    sourceKind: 'nifti',
    sourceFiles: ['/scans/a.nii.gz'],
    patientName: 'Doe^Jane',
    patientId: 'P1',
    studyDescription: 'Brain',
    seriesDescription: 'T1',
    modality: 'MR',
    seriesInstanceUid: null,
    dimensions,
    voxelToPatient: [-1, 0, 0, 90, 0, -1, 0, 126, 0, 0, 1, -72, 0, 0, 0, 1],
    niftiLayout: null,
    scalarType: 'uint8',
    minValue: 0,
    maxValue: 255,
    windowCenter: 128,
    windowWidth: 256,
    cacheFile: `cache/${id}.raw`,
    warnings: ['uneven spacing'],
    volumeIndex: null,
    volumeCount: null,
    scaling: null,
    createdAt: '2026-11-30T00:00:00.000Z',
    sequenceName: null,
    frameOfReference: null,
    studyInstanceUid: null,
    contentHash: null,
    studyDate: null
  };
}

/** A store migrated up to `version` only, holding one volume 'a' with the warning "uneven". */
async function openAtSchema(path: string, version: number): Promise<Database> {
  const database = await Database.open(path);
  await migrate(database, migrations.filter((migration) => migration.version <= version));
  await database.run(
    `INSERT INTO volumes (id, name, source_kind, source_files, dim_i, dim_j, dim_k, voxel_to_patient, scalar_type, min_value,
       max_value, window_center, window_width, cache_file, warnings, created_at) VALUES ('a', 'a', 'nifti', '[]', 4, 3, 5,
       '[]', 'uint8', 0, 1, 0, 1, 'x', '["uneven"]', 'now')`
  );
  return database;
}

describe('ProjectStore', () => {
  it('creates the schema in WAL mode with foreign keys and migrates only once', async () => {
    const path = temporaryDatabasePath();
    const store = await ProjectStore.open(path);
    expect((await store.database.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
    expect((await store.database.get<{ foreign_keys: number }>('PRAGMA foreign_keys'))?.foreign_keys).toBe(1);
    expect(await migrate(store.database)).toEqual([]);
    await store.close();
    const reopened = await ProjectStore.open(path);
    const versions = await reopened.database.all<{ version: number }>('SELECT version FROM schema_migrations');
    expect(versions.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
    await reopened.close();
  });

  it('refuses a project written by a newer schema and leaves it untouched', async () => {
    const path = temporaryDatabasePath();
    (await ProjectStore.open(path)).close();
    const database = await Database.open(path);
    await database.run("INSERT INTO schema_migrations VALUES (99, 'future', 'x')");
    await database.close();
    await expect(ProjectStore.open(path)).rejects.toThrow(/newer version/);
    const check = await Database.open(path);
    expect((await check.all('SELECT version FROM schema_migrations')).length).toBe(migrations.length + 1);
    await check.close();
  });

  it('round-trips volumes, slice labels and cascades deletes', async () => {
    const store = await ProjectStore.open(temporaryDatabasePath());
    await store.volumes.insert(makeVolume('a'));
    expect(await store.volumes.get('a')).toEqual(makeVolume('a'));
    await store.sliceLabels.setAllSlices('a', 5, 'absent', 'scan');
    await store.sliceLabels.setSlices('a', [{ sliceIndex: 2, state: 'present', source: 'slice' }]);
    const labels = await store.sliceLabels.listForVolume('a');
    expect(labels.map((label) => label.state)).toEqual(['absent', 'absent', 'present', 'absent', 'absent']);
    expect(await store.sliceLabels.countByState()).toEqual({ present: 1, absent: 4, unknown: 0 });
    await expect(
      store.sliceLabels.setSlices('missing', [{ sliceIndex: 0, state: 'present', source: 'slice' }])
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await store.volumes.delete('a')).toBe(true);
    expect(await store.sliceLabels.listForVolume('a')).toEqual([]);
    await store.close();
  });

  it('versions mask slices, keeps their history and stores them uncropped', async () => {
    const store = await ProjectStore.open(temporaryDatabasePath());
    await store.volumes.insert(makeVolume('a'));
    const first = new Uint8Array(12).fill(0);
    first[11] = 1;
    const second = new Uint8Array(12).fill(1);
    expect(await store.masks.saveSlices('a', [{ sliceIndex: 4, labels: first }], { provenance: 'user', author: 'u' })).toEqual([1]);
    expect(await store.masks.saveSlices('a', [{ sliceIndex: 4, labels: second }], { provenance: 'user', author: 'u' })).toEqual([2]);
    const [slice] = await store.masks.getSlices('a', [4]);
    expect(slice?.version).toBe(2);
    expect(Array.from(slice!.labels)).toEqual(Array.from(second));
    const history = await store.database.all<{ version: number }>(
      'SELECT version FROM mask_slice_history WHERE volume_id = ? ORDER BY version',
      ['a']
    );
    expect(history.map((row) => row.version)).toEqual([1, 2]);
    expect(await store.masks.listMaskedSliceIndices('a')).toEqual([4]);
    await store.close();
  });

  it('upgrades a store of schema 3: its volumes are kept, and a volume keeps its index, count and scaling', async () => {
    const path = temporaryDatabasePath();
    await (await openAtSchema(path, 3)).close();
    const store = await ProjectStore.open(path);
    expect(await store.volumes.get('a')).toMatchObject({ warnings: ['uneven'], volumeIndex: null, volumeCount: null, scaling: null });
    const fourD = {
      ...makeVolume('b'),
      volumeIndex: 3,
      volumeCount: 10,
      scaling: { applied: 'dicom-rescale' as const, slope: 2, intercept: -100, text: 'DICOM RescaleSlope 2 and RescaleIntercept -100 applied.' }
    };
    await store.volumes.insert(fourD);
    expect(await store.volumes.get('b')).toEqual(fourD);
    await store.close();
  });

  it("upgrades a store of schema 2: its mask slices are kept and 'imported' masks record their source file", async () => {
    const path = temporaryDatabasePath();
    const old = await openAtSchema(path, 2);
    await old.run(
      "INSERT INTO mask_slices VALUES ('a', 2, 3, x'789c6360400000000c0001', 'proposal-edited', NULL, 'u', 'then')"
    );
    await old.close();
    const store = await ProjectStore.open(path);
    const [kept] = await store.masks.getSlices('a');
    expect(kept).toMatchObject({ sliceIndex: 2, version: 3, provenance: 'proposal-edited', sourceFile: null });
    expect(Array.from(kept!.labels)).toEqual(new Array(12).fill(0));
    await store.masks.saveSlices('a', [{ sliceIndex: 3, labels: new Uint8Array(12).fill(1) }], {
      provenance: 'imported',
      author: 'u',
      sourceFile: 'mask.nii.gz'
    });
    expect((await store.masks.getSlices('a', [3]))[0]).toMatchObject({ provenance: 'imported', sourceFile: 'mask.nii.gz' });
    const history = await store.database.all<{ source_file: string | null }>('SELECT source_file FROM mask_slice_history');
    expect(history).toEqual([{ source_file: 'mask.nii.gz' }]);
    await store.close();
  });

  it('upgrades a store of schema 3 to multi-sequence cases: old volumes are one-sequence cases, sequences attach and cascade', async () => {
    const path = temporaryDatabasePath();
    const old = await Database.open(path);
    await migrate(old, migrations.filter((migration) => migration.version <= 3));
    await old.close();
    const store = await ProjectStore.open(path);
    await store.volumes.insert({ ...makeVolume('a'), frameOfReference: 'nifti:1', sequenceName: 'T1' });
    await store.volumes.insert(makeVolume('b'));
    expect(await store.volumes.get('b')).toMatchObject({ sequenceName: null, frameOfReference: null, studyInstanceUid: null });
    expect(await store.sequences.listForVolume('a')).toEqual([]);
    const flair = {
      id: 's1',
      volumeId: 'a',
      name: 'FLAIR',
      position: 1,
      sourceKind: 'nifti' as const,
      sourceFiles: ['/scans/b.nii.gz'],
      seriesDescription: 'AX FLAIR',
      seriesInstanceUid: null,
      modality: 'MR',
      frameOfReference: 'nifti:1',
      sourceDimensions: [4, 3, 5] as [number, number, number],
      sourceVoxelToPatient: makeVolume('b').voxelToPatient,
      scalarType: 'uint8' as const,
      minValue: 0,
      maxValue: 255,
      windowCenter: 128,
      windowWidth: 256,
      cacheFile: 'cache/volumes/s1.raw',
      placement: { kind: 'same-grid' as const, sourceDimensions: [4, 3, 5] as [number, number, number], sourceSpacing: [1, 1, 1] as [number, number, number], largestOffsetMm: 0, largestAxisAngleDegrees: 0, outsideFraction: 0 },
      warnings: [],
      createdAt: 'now'
    };
    await store.sequences.attach('a', [flair], ['b'], 'T1w');
    expect(await store.volumes.get('b')).toBeUndefined();
    expect((await store.volumes.get('a'))?.sequenceName).toBe('T1w');
    expect(await store.sequences.listForVolume('a')).toEqual([flair]);
    // Two sequences of one case cannot share a name; a failed attach changes nothing.
    await store.volumes.insert(makeVolume('c'));
    await expect(store.sequences.attach('a', [{ ...flair, id: 's2' }], ['c'], null)).rejects.toThrow(/UNIQUE/);
    expect(await store.volumes.get('c')).toBeDefined();
    expect(await store.sequences.rename('s1', 'T2-FLAIR')).toBe(true);
    expect((await store.sequences.listAll()).get('a')?.map((sequence) => sequence.name)).toEqual(['T2-FLAIR']);
    await store.settings.set('trainingSequences', ['T1w', 'T2-FLAIR']);
    expect(await store.settings.get('trainingSequences')).toEqual(['T1w', 'T2-FLAIR']);
    await store.volumes.delete('a');
    expect(await store.sequences.get('s1')).toBeUndefined();
    await store.close();
  });

  it('numbers model versions, records runs with metric series and proposals', async () => {
    const store = await ProjectStore.open(temporaryDatabasePath());
    await store.volumes.insert(makeVolume('a'));
    await store.trainingRuns.create({
      id: 'run1',
      status: 'running',
      method: 'genseg',
      preset: 'cpu',
      config: { options: { maxSteps: 10 }, recipe: null },
      backend: 'wasm',
      startedAt: '2026-11-30T00:00:00Z'
    });
    await store.trainingRuns.appendMetrics('run1', [
      { step: 1, name: 'loss', value: 2 },
      { step: 2, name: 'loss', value: 1.5 },
      { step: 2, name: 'dice', value: 0.3 }
    ]);
    await store.trainingRuns.update('run1', { status: 'finished', endedAt: '2026-11-30T01:00:00Z' });
    expect((await store.trainingRuns.get('run1'))?.status).toBe('finished');
    expect(await store.trainingRuns.getMetrics('run1')).toHaveLength(3);
    const evaluation = { dice: 0.5, auroc: null, heldOutLabelledSlices: 4, heldOutPresentSlices: 8, heldOutAbsentSlices: 9 };
    const metrics = { evaluation, steps: 10, bestStep: 8, parameters: { generator: 100 } };
    const base = { runId: 'run1', method: 'genseg' as const, preset: 'cpu' as const, config: {}, metrics, backend: 'wasm' };
    const snapshot = { present: 10, absent: 20, labelled: 2 };
    expect(await store.modelVersions.create({ ...base, id: 'm1', dataSnapshot: snapshot, weightsFolder: 'models/1', createdAt: 'x' })).toBe(1);
    expect(await store.modelVersions.create({ ...base, id: 'm2', dataSnapshot: snapshot, weightsFolder: 'models/2', createdAt: 'y' })).toBe(2);
    expect(await store.modelVersions.get('m2')).toMatchObject({ method: 'genseg', preset: 'cpu', metrics, dataSnapshot: snapshot });
    expect((await store.trainingRuns.get('run1'))?.config).toEqual({ options: { maxSteps: 10 }, recipe: null });
    const labels = new Uint8Array(60).map((_, i) => i % 2);
    await store.proposals.insert({ id: 'p1', volumeId: 'a', modelVersionId: 'm2', labels, sliceAreas: [0, 1, 2, 0, 0], status: 'pending', reviewedSlices: {}, createdAt: 'z' });
    const proposal = await store.proposals.get('p1');
    expect(Array.from(proposal!.labels)).toEqual(Array.from(labels));
    expect((await store.proposals.listForVolume('a')).map((p) => p.id)).toEqual(['p1']);
    await store.close();
  });

  it('rolls back a failed transaction entirely', async () => {
    const store = await ProjectStore.open(temporaryDatabasePath());
    await store.volumes.insert(makeVolume('a'));
    await expect(
      store.sliceLabels.setSlices('a', [
        { sliceIndex: 0, state: 'present', source: 'slice' },
        { sliceIndex: -1, state: 'present', source: 'slice' }
      ])
    ).rejects.toThrow(/CHECK/);
    expect(await store.sliceLabels.listForVolume('a')).toEqual([]);
    await store.close();
  });

  it('holds every committed row after the writing process is killed with SIGKILL', async () => {
    const path = temporaryDatabasePath();
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'testing/writeLoopChild.ts'), path], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    const committed: string[] = [];
    await new Promise<void>((resolveKill, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        committed.push(...lines);
        if (committed.length >= 25 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolveKill() : reject(new Error(`child exited: ${signal}`))));
    });
    const store = await ProjectStore.open(path);
    const integrity = await store.database.get<{ integrity_check: string }>('PRAGMA integrity_check');
    expect(integrity?.integrity_check).toBe('ok');
    const ids = new Set((await store.volumes.list()).map((volume) => volume.id));
    for (const id of committed) {
      expect(ids.has(id)).toBe(true);
      expect(await store.masks.listMaskedSliceIndices(id)).toEqual([0, 1, 2, 3]);
    }
    await store.close();
  });
});
