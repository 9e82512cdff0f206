import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../app';
import type { CallInput, CallName, CallResult } from '../../contract';
import type { Volume } from '../../imaging';
import { addImportedVolume, groupVolumesIntoCase, type Project } from '../../project';
import { inProcessJobs } from '../testing/inProcessJobs';
import type { WorkerMessage } from './jobTypes';
import { runTrainingJob } from './runTrainingJob';

const [columns, rows, slices] = [32, 28, 6];
let folder: string;
let core: AppCore;
let project: Project;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const outcome = await core.dispatch(name, input, { host: 'web' });
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as CallResult<N>;
}

/** A bright disc on slices 2-3 in T2 only; T1 shows the anatomy without it. */
function scan(kind: 'T1' | 'T2'): Volume {
  const scalars = new Float32Array(columns * rows * slices);
  for (let k = 0; k < slices; k += 1)
    for (let j = 0; j < rows; j += 1)
      for (let i = 0; i < columns; i += 1) {
        const inside = Math.hypot(i - 16, j - 14) < 12;
        const lesion = kind === 'T2' && (k === 2 || k === 3) && Math.hypot(i - 18, j - 12) < 4;
        scalars[i + columns * (j + rows * k)] = inside ? (kind === 'T1' ? 200 + (i % 7) : 90 + (j % 5)) + (lesion ? 300 : 0) : 0;
      }
  return { geometry: { dimensions: [columns, rows, slices], voxelToPatient: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1] }, scalars };
}

async function add(name: string, volume: Volume): Promise<string> {
  const description = { sourceFormat: 'nifti' as const, sourceFiles: [`/scans/${name}.nii.gz`], warnings: [], frameOfReference: 'nifti:1' };
  return (await addImportedVolume(project, { volume, description }, name)).id;
}

/** A case of both sequences, added in `order` (the first is the reference). */
async function addCase(name: string, order: ('T1' | 'T2')[]): Promise<string> {
  const ids = [await add(`${name}_${order[0]!.toLowerCase()}`, scan(order[0]!)), await add(`${name}_${order[1]!.toLowerCase()}`, scan(order[1]!))];
  await groupVolumesIntoCase(project, ids[0]!, [ids[1]!]);
  return ids[0]!;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-multiseq-'));
  core = createAppCore({ workspaceFolder: folder, logger: { info: () => {}, error: () => {} }, spawnWorker: inProcessJobs });
  project = await core.workspace.getProject((await core.workspace.createProject('Multi-sequence')).id);
});

afterAll(async () => {
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('training and proposals on two sequences', { timeout: 300_000 }, () => {
  it('records the channel order in the run, the checkpoint and the model version; proposals find sequences by name', async () => {
    const projectId = project.id;
    const cases = [await addCase('a', ['T1', 'T2']), await addCase('b', ['T2', 'T1']), await addCase('c', ['T1', 'T2']), await addCase('d', ['T2', 'T1'])];
    const lonely = await add('e_t1', scan('T1'));
    const lesion = new Uint8Array(columns * rows);
    for (let n = 0; n < lesion.length; n += 1) lesion[n] = Math.hypot((n % columns) - 18, Math.floor(n / columns) - 12) < 4 ? 1 : 0;
    for (const volumeId of cases) {
      await call('setTumourRanges', { projectId, volumeId, ranges: [{ first: 2, last: 3 }] });
      // Case d keeps no mask: "every scan without a mask" proposes for it.
      if (volumeId !== cases[3]) await call('saveMaskSlices', { projectId, volumeId, slices: [{ sliceIndex: 2, labels: lesion }] });
    }
    await call('tagScan', { projectId, volumeId: lonely, state: 'absent' });

    // The lonely case lacks T2: training on T1 and T2 is refused, naming it.
    await call('setTrainingSequences', { projectId, names: ['T1', 'T2'] });
    await expect(call('startTraining', { projectId, preset: 'tiny', maxSteps: 2 })).rejects.toThrow(
      'Training cannot start: it uses T1, T2 as its channels, and these tagged cases lack some of them: e_t1 (T2). Add the sequences to those cases, or choose fewer sequences for the project.'
    );
    await call('tagScan', { projectId, volumeId: lonely, state: 'unknown' });

    const finished = core.events.waitFor('onDidChangeTraining', (event) => event.status !== 'running');
    await call('startTraining', { projectId, preset: 'tiny', maxSteps: 2 });
    expect(await finished).toMatchObject({ status: 'finished' });
    await core.jobs.whenIdle();
    const [version] = await project.store.modelVersions.list();
    expect((version!.config.options as { sequences?: string[] }).sequences).toEqual(['T1', 'T2']);
    const best = JSON.parse(readFileSync(join(project.folder, version!.weightsFolder, 'best.json'), 'utf8')) as {
      job: { options: { sequences: string[] } };
      checkpoint: unknown;
    };
    expect(best.job.options.sequences).toEqual(['T1', 'T2']);

    // Cases a and b hold the same images, added in opposite orders: the same channels, so the same proposal.
    const proposed = core.events.waitFor('onDidChangeProposals', (event) => event.done === event.total);
    await call('proposeMasks', { projectId, modelVersionId: version!.id, volumeIds: [cases[0]!, cases[1]!] });
    await proposed;
    await core.jobs.whenIdle();
    const labels = await Promise.all(
      cases.slice(0, 2).map(async (volumeId) => {
        const [proposal] = await call('listProposals', { projectId, volumeId });
        return (await call('getProposalLabels', { projectId, proposalId: proposal!.id })).labels;
      })
    );
    expect(Buffer.from(labels[0]!).equals(Buffer.from(labels[1]!))).toBe(true);

    // "Every scan without a mask" leaves out the scan without T2; asked by name, it is refused.
    const all = core.events.waitFor('onDidChangeProposals', (event) => event.done === event.total);
    const { volumeIds } = await call('proposeMasks', { projectId, modelVersionId: version!.id });
    expect(volumeIds).toEqual([cases[3]]);
    await all;
    await core.jobs.whenIdle();
    await expect(call('proposeMasks', { projectId, modelVersionId: version!.id, volumeIds: [lonely] })).rejects.toThrow(
      'This model takes T1, T2 as its channels, and these scans lack some of them: e_t1 (T2). Propose for the other scans, or add the sequences first.'
    );

    // Weights trained on T1, T2 never start a run on T2, T1: the filters of the first layer belong to their channel.
    const messages: WorkerMessage[] = [];
    const options = { ...(version!.config.options as Parameters<typeof runTrainingJob>[0]['options']), sequences: ['T2', 'T1'], maxSteps: 1 };
    await runTrainingJob(
      { kind: 'train', projectFolder: project.folder, runId: 'reordered', options, resume: false, initialWeightsFolder: version!.weightsFolder },
      { send: (message) => messages.push(message), stopRequested: () => false, takeRefreshRequest: () => false }
    );
    expect(messages).toContainEqual({
      type: 'log',
      line: 'The last model version does not fit (the model was trained on T1, T2 and the project now uses T2, T1): training starts from the beginning.'
    });
    expect(messages.at(-1)).toMatchObject({ type: 'trained' });
  });
});
