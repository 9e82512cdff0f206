/**
 * An app core on a temporary workspace, for tests that drive the app as a client does: `call` dispatches through the
 * API as the web host would (and throws the API's error), `addVolume` stores a small synthetic scan in a project.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallInput, CallName, CallResult } from '../../contract';
import { addImportedVolume } from '../../project';
import { createAppCore, type AppCore } from '../createAppCore';

export interface TestVolume {
  columns: number;
  rows: number;
  slices: number;
  name?: string;
  /** Voxel spacing along i, j, k in mm (default 1, 1, 1). */
  spacing?: [number, number, number];
  /** The voxel at a flat index (default: the index modulo 100). */
  value?: (index: number) => number;
  sourceFiles?: string[];
}

export interface TestAppCore {
  /** The temporary folder; the workspace is this folder or a subfolder of it. */
  folder: string;
  workspace: string;
  core: AppCore;
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>;
  /** Adds a synthetic int16 NIfTI-like scan to the project; returns its volume id. */
  addVolume(projectId: string, volume: TestVolume): Promise<string>;
  /** Closes the core and opens a new one on the same workspace, as the next start of the app would. */
  reopen(): Promise<void>;
  /** Closes the core and removes the folder. */
  close(): Promise<void>;
}

export function createTestAppCore(prefix: string, options: { workspaceSubfolder?: string } = {}): TestAppCore {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const workspace = options.workspaceSubfolder ? join(folder, options.workspaceSubfolder) : folder;
  const open = () => createAppCore({ workspaceFolder: workspace, logger: { info: () => {}, error: () => {} } });
  let core = open();
  return {
    folder,
    workspace,
    get core() {
      return core;
    },
    async call(name, input) {
      const outcome = await core.dispatch(name, input, { host: 'web' });
      if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
      return outcome.result as CallResult<typeof name>;
    },
    async addVolume(projectId, volume) {
      const project = await core.workspace.getProject(projectId);
      const { columns, rows, slices } = volume;
      const value = volume.value ?? ((index: number) => index % 100);
      const scalars = new Int16Array(columns * rows * slices).map((_, index) => value(index));
      const [si, sj, sk] = volume.spacing ?? [1, 1, 1];
      const geometry = {
        dimensions: [columns, rows, slices] as [number, number, number],
        voxelToPatient: [si, 0, 0, 0, 0, sj, 0, 0, 0, 0, sk, 0, 0, 0, 0, 1]
      };
      const description = { sourceFormat: 'nifti' as const, sourceFiles: volume.sourceFiles ?? [], warnings: [] };
      return (await addImportedVolume(project, { volume: { geometry, scalars }, description }, volume.name ?? 'x')).id;
    },
    async reopen() {
      await core.close();
      core = open();
    },
    async close() {
      await core.close();
      rmSync(folder, { recursive: true, force: true });
    }
  };
}
