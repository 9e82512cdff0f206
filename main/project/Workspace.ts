import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApiError, type ProjectSummary } from '../contract';
import { createId, writeFileAtomically } from '../common';
import { Project, readManifest } from './Project';

interface RegistryEntry {
  id: string;
  name: string;
  folder: string;
  createdAt: string;
  lastOpenedAt: string | null;
}

/**
 * The app-level list of known projects (`projects.json` in the workspace folder) and the projects open right now.
 * Several clients may use the same open project; it stays open until the workspace closes.
 */
export class Workspace {
  private readonly open = new Map<string, Promise<Project>>();
  /** Changes of projects.json, one after the other: each reads the list the previous one wrote. */
  private registryChanges: Promise<unknown> = Promise.resolve();

  constructor(readonly folder: string) {}

  async listProjects(): Promise<ProjectSummary[]> {
    const entries = await this.readRegistry();
    return Promise.all(entries.map(async (entry) => this.summarise(entry)));
  }

  async createProject(name: string, folder?: string): Promise<ProjectSummary> {
    const id = createId();
    const createdAt = new Date().toISOString();
    const target = folder ? resolve(folder) : join(this.folder, 'projects', `${slugOf(name)}-${id}`);
    const project = await Project.create(target, { format: 'genseg-workstation-project', formatVersion: 1, id, name, createdAt });
    this.open.set(id, Promise.resolve(project));
    const entry: RegistryEntry = { id, name, folder: target, createdAt, lastOpenedAt: createdAt };
    await this.changeRegistry((entries) => [...entries, entry]);
    return this.summarise(entry);
  }

  /** Adds an existing project folder (from a native dialog or the CLI) to the list and returns it. */
  async addExistingProject(folder: string): Promise<ProjectSummary> {
    const manifest = await readManifest(resolve(folder));
    let entry: RegistryEntry | undefined;
    await this.changeRegistry((entries) => {
      entry = entries.find((candidate) => candidate.id === manifest.id);
      if (entry) return undefined;
      entry = { id: manifest.id, name: manifest.name, folder: resolve(folder), createdAt: manifest.createdAt, lastOpenedAt: null };
      return [...entries, entry];
    });
    return this.summarise(entry!);
  }

  async openProject(id: string): Promise<ProjectSummary> {
    const known = (await this.readRegistry()).some((candidate) => candidate.id === id);
    if (!known) throw new ApiError('not-found', 'That project is not in the list of projects.');
    await this.getProject(id);
    let entry: RegistryEntry | undefined;
    await this.changeRegistry((entries) => {
      entry = entries.find((candidate) => candidate.id === id);
      if (entry) entry.lastOpenedAt = new Date().toISOString();
      return entries;
    });
    if (!entry) throw new ApiError('not-found', 'That project is not in the list of projects.');
    return this.summarise(entry);
  }

  /** The open project with this id, opening it on first use. */
  async getProject(id: string): Promise<Project> {
    let project = this.open.get(id);
    if (!project) {
      const entry = (await this.readRegistry()).find((candidate) => candidate.id === id);
      if (!entry) throw new ApiError('not-found', 'That project is not in the list of projects.');
      project = Project.open(entry.folder);
      this.open.set(id, project);
      project.catch(() => this.open.delete(id));
    }
    return project;
  }

  async close(): Promise<void> {
    const projects = [...this.open.values()];
    this.open.clear();
    await Promise.all(projects.map(async (project) => (await project).close().catch(() => undefined)));
  }

  private async summarise(entry: RegistryEntry): Promise<ProjectSummary> {
    const project = this.open.get(entry.id);
    const volumeCount = project ? await (await project).store.volumes.count() : null;
    return {
      id: entry.id,
      name: entry.name,
      createdAt: entry.createdAt,
      lastOpenedAt: entry.lastOpenedAt,
      volumeCount
    };
  }

  private async readRegistry(): Promise<RegistryEntry[]> {
    try {
      return JSON.parse(await readFile(join(this.folder, 'projects.json'), 'utf8')) as RegistryEntry[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /**
   * Reads projects.json, applies `change` and writes the result (unless `change` returns undefined), queued behind
   * every other change in this process: projects created at once are all kept.
   */
  private changeRegistry(change: (entries: RegistryEntry[]) => RegistryEntry[] | undefined): Promise<void> {
    const next = this.registryChanges.then(async () => {
      const changed = change(await this.readRegistry());
      if (changed) await this.writeRegistry(changed);
    });
    this.registryChanges = next.catch(() => undefined);
    return next;
  }

  private async writeRegistry(entries: RegistryEntry[]): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await writeFileAtomically(join(this.folder, 'projects.json'), new TextEncoder().encode(JSON.stringify(entries, null, 2)));
  }
}

function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'project';
}
