import { readFile, rm } from 'node:fs/promises';
import { unzlibSync } from 'fflate';
import { createId } from '../common';
import type { ProjectStore } from '../db';
import { resolveInsideProject } from '../project';

/** What a job process sends for one volume: the labelmap's file inside the project, and the area per slice. */
export interface ProposalFile {
  volumeId: string;
  /** Relative to the project folder; zlib-compressed uint8 labels in the volume's grid. */
  labelsFile: string;
  sliceAreas: number[];
}

/**
 * Stores a model version's proposal for one volume as the scan's one live proposal, and removes the file it came in.
 * On a scan the user tagged no tumour there is nothing to review: a model that finds tumour there disagrees with the
 * user (a second read the list flags), and one that finds nothing leaves no proposal.
 */
export async function recordProposal(
  project: { folder: string; store: ProjectStore },
  modelVersionId: string,
  { volumeId, labelsFile, sliceAreas }: ProposalFile
): Promise<void> {
  // The job process names the file; it must be the project's own.
  const path = resolveInsideProject(project.folder, labelsFile);
  const labels = unzlibSync(await readFile(path));
  const taggedAbsent = (await project.store.sliceLabels.getScanLabel(volumeId)).state === 'absent';
  const foundTumour = sliceAreas.some((area) => area > 0);
  await project.store.proposals.replaceLive(
    volumeId,
    taggedAbsent && !foundTumour
      ? null
      : {
          id: createId(),
          volumeId,
          modelVersionId,
          labels,
          sliceAreas,
          status: taggedAbsent ? 'disagreement' : 'pending',
          reviewedSlices: {},
          createdAt: new Date().toISOString()
        }
  );
  await rm(path, { force: true });
}
