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
    await this.writeRegistry([...(await this.readRegistry()), entry]);
    return this.summarise(entry);
  }

  /** Adds an existing project folder (from a native dialog or the CLI) to the list and returns it. */
  async addExistingProject(folder: string): Promise<ProjectSummary> {
    const manifest = await readManifest(resolve(folder));
    const entries = await this.readRegistry();
    const existing = entries.find((entry) => entry.id === manifest.id);
    const entry = existing ?? {
      id: manifest.id,
      name: manifest.name,
      folder: resolve(folder),
      createdAt: manifest.createdAt,
      lastOpenedAt: null
    };
    if (!existing) await this.writeRegistry([...entries, entry]);
    return this.summarise(entry);
  }

  async openProject(id: string): Promise<ProjectSummary> {
    const entries = await this.readRegistry();
    const entry = entries.find((candidate) => candidate.id === id);
    if (!entry) throw new ApiError('not-found', 'That project is not in the list of projects.');
    await this.getProject(id);
    entry.lastOpenedAt = new Date().toISOString();
    await this.writeRegistry(entries);
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

  private async writeRegistry(entries: RegistryEntry[]): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await writeFileAtomically(join(this.folder, 'projects.json'), new TextEncoder().encode(JSON.stringify(entries, null, 2)));
  }
}

function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'project';
}
