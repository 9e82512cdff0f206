import { ApiError } from '../../contract';
import type { VolumeRecord } from '../../db';
import type { Project, Workspace } from '../../project';

export async function findVolume(
  workspace: Workspace,
  projectId: string,
  volumeId: string
): Promise<{ project: Project; volume: VolumeRecord }> {
  const project = await workspace.getProject(projectId);
  const volume = await project.store.volumes.get(volumeId);
  if (!volume) throw new ApiError('not-found', 'That volume is not in this project.');
  return { project, volume };
}
