import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zlibSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../app';
import type { CallInput, CallName, CallResult, ProposalSummary } from '../contract';
import { Database, migrate, migrations } from '../db';
import type { WorkerProcess } from '../jobs';
import { createLesionProject } from '../training/testing';

const size = 16;
const slices = 8;

/**
 * A job process double that proposes what the test says: for each volume, a labelmap with `areas[volume]` voxels on
 * slice 2 (none when 0), written where the real process writes it; then 'proposed', then it exits.
 */
function proposingWorker(areas: Map<string, number>): () => WorkerProcess {
  return () => {
    let onMessage: (message: unknown) => void = () => {};
    let onExit: (code: number | null, signal: string | null) => void = () => {};
    return {
      pid: 1,
      kill: () => {},
      onMessage: (listener) => void (onMessage = listener),
      onExit: (listener) => void (onExit = listener),
      send: (message) => {
        const run = message as { type: string; request?: { projectFolder: string; volumeIds: string[] } };
        if (run.type !== 'run' || !run.request) return;
        const { projectFolder, volumeIds } = run.request;
        setTimeout(() => {
          onMessage({ type: 'started', backend: 'test double', skippedBackends: [] });
          mkdirSync(join(projectFolder, 'cache', 'proposals'), { recursive: true });
          volumeIds.forEach((volumeId, index) => {
            const labels = new Uint8Array(size * size * slices);
            labels.fill(1, 2 * size * size, 2 * size * size + (areas.get(volumeId) ?? 0));
            const labelsFile = join('cache', 'proposals', `${volumeId}-${index}.zlib`);
            writeFileSync(join(projectFolder, labelsFile), zlibSync(labels));
            const sliceAreas = Array.from({ length: slices }, (_, slice) => (slice === 2 ? (areas.get(volumeId) ?? 0) : 0));
            onMessage({ type: 'proposal', proposal: { volumeId, labelsFile, sliceAreas }, done: index + 1, total: volumeIds.length });
          });
          onMessage({ type: 'proposed' });
          onExit(0, null);
        }, 1);
      }
    };
  };
}

let folder: string;
let core: AppCore;
const areas = new Map<string, number>();

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const outcome = await core.dispatch(name, input, { host: 'web' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as CallResult<N>;
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-proposals-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} }, spawnWorker: proposingWorker(areas) });
});

afterEach(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

async function addModelVersion(projectId: string, id: string): Promise<void> {
  const project = await core.workspace.getProject(projectId);
  const evaluation = { dice: 0.5, auroc: 0.7, heldOutLabelledSlices: 2, heldOutPresentSlices: 3, heldOutAbsentSlices: 3 };
  await project.store.modelVersions.create({
    id, runId: null, method: 'genseg', preset: 'tiny', config: {}, metrics: { evaluation, steps: 1, bestStep: 1, parameters: {} },
    dataSnapshot: {}, backend: 'wasm', weightsFolder: 'x', createdAt: new Date().toISOString()
  });
}

async function propose(projectId: string, modelVersionId: string, volumeIds: string[]): Promise<void> {
  await call('proposeMasks', { projectId, modelVersionId, volumeIds });
  await core.jobs.whenIdle();
}

describe('proposals are model-aware', () => {
  it('keeps one live proposal per scan, from the newest model, named by its number', async () => {
    const { projectId } = await createLesionProject(core, { volumes: 2, size, slices, maskedSlicesPerVolume: 0 });
    const volumes = await call('listVolumes', { projectId });
    const present = volumes.find((volume) => volume.labels.scan === 'present')!;
    areas.set(present.id, 20);
    await addModelVersion(projectId, 'first');
    await addModelVersion(projectId, 'second');
    await propose(projectId, 'first', [present.id]);
    await propose(projectId, 'second', [present.id]);
    await propose(projectId, 'second', [present.id]);
    const proposals = await call('listProposals', { projectId, volumeId: present.id });
    const live = proposals.filter((proposal: ProposalSummary) => proposal.status === 'pending');
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ modelVersionId: 'second', modelVersionNumber: 2 });
    expect(proposals.filter((proposal) => proposal.status === 'superseded')).toHaveLength(2);
    const listed = (await call('listVolumes', { projectId })).find((volume) => volume.id === present.id)!;
    expect(listed.labels).toMatchObject({ pendingProposals: 1, disagreement: false });
  });

  it('flags a model that finds tumour on a scan tagged no tumour as a disagreement, not a queue item', async () => {
    const { projectId } = await createLesionProject(core, { volumes: 4, size, slices, maskedSlicesPerVolume: 0 });
    const absent = (await call('listVolumes', { projectId })).filter((volume) => volume.labels.scan === 'absent');
    expect(absent).toHaveLength(2);
    const [clean, disputed] = absent as [(typeof absent)[0], (typeof absent)[0]];
    areas.set(clean.id, 0);
    areas.set(disputed.id, 14);
    await addModelVersion(projectId, 'model');
    await propose(projectId, 'model', [clean.id, disputed.id]);
    expect(await call('listProposals', { projectId, volumeId: clean.id })).toEqual([]);
    const [disagreement] = await call('listProposals', { projectId, volumeId: disputed.id });
    expect(disagreement).toMatchObject({ status: 'disagreement', modelVersionNumber: 1 });
    const listed = await call('listVolumes', { projectId });
    expect(listed.find((volume) => volume.id === disputed.id)!.labels).toMatchObject({ pendingProposals: 0, disagreement: true });
    expect(listed.find((volume) => volume.id === clean.id)!.labels).toMatchObject({ pendingProposals: 0, disagreement: false });
    // A newer model that agrees with the user clears the flag.
    areas.set(disputed.id, 0);
    await addModelVersion(projectId, 'newer');
    await propose(projectId, 'newer', [disputed.id]);
    expect((await call('listVolumes', { projectId })).find((volume) => volume.id === disputed.id)!.labels.disagreement).toBe(false);
  });
});

describe('model versions the user renames and deletes', () => {
  it('renames a version, and deleting it withdraws its waiting proposals, keeps reviewed work and its number', async () => {
    const { projectId } = await createLesionProject(core, { volumes: 4, size, slices, maskedSlicesPerVolume: 0 });
    const volumes = await call('listVolumes', { projectId });
    const [reviewedScan, waitingScan] = volumes.filter((volume) => volume.labels.scan === 'present') as [
      (typeof volumes)[0],
      (typeof volumes)[0]
    ];
    const disputed = volumes.find((volume) => volume.labels.scan === 'absent')!;
    for (const volume of [reviewedScan, waitingScan, disputed]) areas.set(volume.id, 12);
    await addModelVersion(projectId, 'older');
    await addModelVersion(projectId, 'doomed');
    const renamed = await call('renameModelVersion', { projectId, modelVersionId: 'doomed', name: '  April cohort ' });
    expect(renamed).toMatchObject({ number: 2, name: 'April cohort' });
    expect((await call('renameModelVersion', { projectId, modelVersionId: 'older', name: '' })).name).toBeNull();
    await propose(projectId, 'older', [waitingScan.id]);
    await propose(projectId, 'doomed', [reviewedScan.id, waitingScan.id, disputed.id]);
    const [toAccept] = (await call('listProposals', { projectId, volumeId: reviewedScan.id })).filter((p) => p.status === 'pending');
    await call('acceptProposal', { projectId, proposalId: toAccept!.id });
    const project = await core.workspace.getProject(projectId);
    const weights = join(project.folder, 'x');
    mkdirSync(weights, { recursive: true });

    const deleted = await call('deleteModelVersion', { projectId, modelVersionId: 'doomed' });
    expect(new Set(deleted.withdrawnVolumeIds)).toEqual(new Set([waitingScan.id, disputed.id]));
    expect((await call('listModelVersions', { projectId })).map((version) => version.number)).toEqual([1]);
    // The waiting scan's proposal is gone; the older model's superseded one does not come back to the queue.
    expect((await call('listProposals', { projectId, volumeId: waitingScan.id })).map((p) => [p.modelVersionNumber, p.status])).toEqual([
      [1, 'superseded']
    ]);
    const listed = await call('listVolumes', { projectId });
    for (const volume of listed) expect(volume.labels).toMatchObject({ pendingProposals: 0, disagreement: false });
    // What the user accepted stays: the mask, the reviewed proposal naming model 2, the mask's provenance.
    expect((await call('listProposals', { projectId, volumeId: reviewedScan.id }))[0]).toMatchObject({
      status: 'reviewed',
      modelVersionNumber: 2
    });
    const { slices: accepted } = await call('getMaskSlices', { projectId, volumeId: reviewedScan.id, sliceIndices: [2] });
    expect(accepted[0]).toMatchObject({ provenance: 'proposal-accepted' });
    const stored = await project.store.masks.getSlices(reviewedScan.id, [2]);
    expect(stored[0]!.modelVersionId).toBe('doomed');
    expect(existsSync(weights)).toBe(false);
    // It cannot propose or be deleted again, and the next version does not take its number.
    await expect(call('proposeMasks', { projectId, modelVersionId: 'doomed' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(call('deleteModelVersion', { projectId, modelVersionId: 'doomed' })).rejects.toMatchObject({ code: 'not-found' });
    await addModelVersion(projectId, 'next');
    expect((await call('listModelVersions', { projectId })).map((version) => version.number)).toEqual([1, 3]);
  });
});

describe('migration 2', () => {
  it('supersedes every pending proposal of a scan but its newest', async () => {
    const database = await Database.open(join(folder, 'old.sqlite'));
    await migrate(database, migrations.filter((migration) => migration.version === 1));
    await database.run(
      `INSERT INTO volumes (id, name, source_kind, source_files, dim_i, dim_j, dim_k, voxel_to_patient, scalar_type,
         min_value, max_value, window_center, window_width, cache_file, created_at)
       VALUES ('v', 'v', 'nifti', '[]', 1, 1, 1, '[]', 'uint8', 0, 1, 0, 1, 'c', 'now')`
    );
    await database.run("INSERT INTO model_versions (id, number, method, preset, config, metrics, data_snapshot, backend, weights_folder, created_at) VALUES ('m', 1, 'genseg', 'tiny', '{}', '{}', '{}', 'wasm', 'x', 'now')");
    for (const [id, createdAt] of [['old', '2026-01-01'], ['new', '2026-02-01'], ['mid', '2026-01-15']]) {
      await database.run(
        "INSERT INTO proposals (id, volume_id, model_version_id, labels, slice_areas, status, created_at) VALUES (?, 'v', 'm', x'00', '[]', 'pending', ?)",
        [id!, createdAt!]
      );
    }
    expect(await migrate(database)).toEqual(migrations.map((migration) => migration.version).filter((version) => version > 1));
    const rows = await database.all<{ id: string; status: string }>('SELECT id, status FROM proposals ORDER BY id');
    expect(rows).toEqual([
      { id: 'mid', status: 'superseded' },
      { id: 'new', status: 'pending' },
      { id: 'old', status: 'superseded' }
    ]);
    await database.close();
  });
});
