import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../contract';
import { ProjectStore } from '../db';
import { sweepTemporaryFiles, writeFileAtomically } from '../common';
import { VolumeCache } from './VolumeCache';

export interface ProjectManifest {
  format: 'genseg-workstation-project';
  formatVersion: 1;
  id: string;
  name: string;
  createdAt: string;
}

const manifestFile = 'project.json';
const databaseFile = 'project.sqlite';

/**
 * A project is a folder: `project.json` (identity), `project.sqlite` (the store), `cache/` (decoded voxels),
 * `models/` (model versions), `exports/`. Source scans are referenced, never written.
 */
export class Project {
  readonly volumeCache: VolumeCache;

  private constructor(
    readonly folder: string,
    readonly manifest: ProjectManifest,
    readonly store: ProjectStore
  ) {
    this.volumeCache = new VolumeCache(folder);
  }

  get id(): string {
    return this.manifest.id;
  }

  get name(): string {
    return this.manifest.name;
  }

  static async create(folder: string, manifest: ProjectManifest): Promise<Project> {
    await mkdir(folder, { recursive: true });
    await writeFileAtomically(join(folder, manifestFile), new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
    return Project.open(folder);
  }

  static async open(folder: string): Promise<Project> {
    const manifest = await readManifest(folder);
    // Writes a killed app or training process left halfway: the files they were replacing are intact.
    await sweepTemporaryFiles(folder);
    const store = await ProjectStore.open(join(folder, databaseFile));
    return new Project(folder, manifest, store);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export async function readManifest(folder: string): Promise<ProjectManifest> {
  let text: string;
  try {
    text = await readFile(join(folder, manifestFile), 'utf8');
  } catch {
    throw new ApiError('not-found', 'This folder is not a GenSeg Workstation project (project.json is missing).');
  }
  const manifest = JSON.parse(text) as Partial<ProjectManifest>;
  if (manifest.format !== 'genseg-workstation-project' || typeof manifest.id !== 'string') {
    throw new ApiError('bad-file', 'project.json in this folder is not a GenSeg Workstation project file.');
  }
  return manifest as ProjectManifest;
}
