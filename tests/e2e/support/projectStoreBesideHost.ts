import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProjectStore, type ModelVersionRecord } from '../../../main/db';

/**
 * Opens a project's store beside the host (SQLite in WAL mode), as the fixtures that stand in for a model do, runs
 * `use` with it and the project's folder, and closes it.
 */
export async function withProjectStore<T>(
  workspaceFolder: string,
  projectId: string,
  use: (store: ProjectStore, folder: string) => Promise<T>
): Promise<T> {
  const registry = JSON.parse(await readFile(join(workspaceFolder, 'projects.json'), 'utf8')) as { id: string; folder: string }[];
  const folder = registry.find((entry) => entry.id === projectId)?.folder;
  if (!folder) throw new Error(`project ${projectId} is not in the workspace`);
  const store = await ProjectStore.open(join(folder, 'project.sqlite'));
  try {
    return await use(store, folder);
  } finally {
    await store.close();
  }
}

/** The project's newest model version; throws when it has none. */
export async function newestModelVersion(store: ProjectStore): Promise<ModelVersionRecord> {
  const [newest] = (await store.modelVersions.list()).sort((a, b) => b.number - a.number);
  if (!newest) throw new Error('the project has no model version');
  return newest;
}

/** The tumour voxels of each slice of `labels`, as a proposal stores them. */
export function sliceAreasOf(labels: Uint8Array, sliceSize: number): number[] {
  return Array.from({ length: labels.length / sliceSize }, (_, slice) =>
    labels.subarray(slice * sliceSize, (slice + 1) * sliceSize).reduce((sum, value) => sum + (value ? 1 : 0), 0)
  );
}
