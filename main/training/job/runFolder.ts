import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomically } from '../../common';
import type { Checkpoint, CheckpointManifest } from '../trainingTypes';

/**
 * A training run's files inside the project: `models/runs/<runId>/checkpoint.json` (the latest state, to resume) and
 * `best.json` (the best weights by validation), each naming its own data file. The data file is written first under
 * a new name, then the manifest is replaced atomically, then older data files are removed: a kill at any moment
 * leaves a complete, consistent checkpoint.
 */
export function runFolderOf(runId: string): string {
  return join('models', 'runs', runId);
}

interface StoredManifest<JobState> {
  checkpoint: CheckpointManifest;
  job: JobState;
  dataFile: string;
  byteLength: number;
}

export async function writeCheckpointFiles(
  folder: string,
  name: string,
  checkpoint: Checkpoint,
  jobState: unknown
): Promise<void> {
  await mkdir(folder, { recursive: true });
  const dataFile = `${name}-${checkpoint.manifest.step}-${Date.now()}.bin`;
  await writeFileAtomically(join(folder, dataFile), new Uint8Array(checkpoint.data));
  const manifest: StoredManifest<unknown> = {
    checkpoint: checkpoint.manifest,
    job: jobState,
    dataFile,
    byteLength: checkpoint.data.byteLength
  };
  await writeFileAtomically(join(folder, `${name}.json`), new TextEncoder().encode(JSON.stringify(manifest)));
  for (const file of await readdir(folder)) {
    if (file.startsWith(`${name}-`) && file.endsWith('.bin') && file !== dataFile)
      await rm(join(folder, file), { force: true });
  }
}

export async function readCheckpointFiles<JobState>(
  folder: string,
  name: string
): Promise<{ checkpoint: Checkpoint; jobState: JobState } | undefined> {
  let manifest: StoredManifest<JobState>;
  try {
    manifest = JSON.parse(await readFile(join(folder, `${name}.json`), 'utf8')) as StoredManifest<JobState>;
  } catch {
    return undefined;
  }
  // The manifest names a file beside it, never a path elsewhere (a damaged or edited manifest must not read other files).
  if (typeof manifest.dataFile !== 'string' || basename(manifest.dataFile) !== manifest.dataFile || manifest.dataFile.startsWith('.')) {
    throw new Error(`checkpoint ${name}.json names a data file outside its folder`);
  }
  const bytes = await readFile(join(folder, manifest.dataFile));
  if (bytes.byteLength !== manifest.byteLength) throw new Error(`checkpoint data ${manifest.dataFile} is incomplete`);
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { checkpoint: { manifest: manifest.checkpoint, data }, jobState: manifest.job };
}
