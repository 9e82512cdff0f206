import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../contract';
import { exportProjectMasks } from '../../export';
import { createId } from '../../common';
import type { CoreServices, HandlersFor } from './HandlerTypes';

/** Exports go to `exports/<id>/` inside the project; the browser downloads them file by file. */
export function createExportHandlers({ workspace }: CoreServices): HandlersFor<'exportMasks' | 'getExportFile'> {
  return {
    exportMasks: async ({ projectId, volumeIds, includeImages }, context) => {
      const project = await workspace.getProject(projectId);
      const exportId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${createId().slice(0, 6)}`;
      const folder = join(project.folder, 'exports', exportId);
      const summary = await exportProjectMasks(project, folder, {
        ...(volumeIds ? { volumeIds } : {}),
        includeImages: includeImages ?? false
      });
      if (summary.cases.length === 0) {
        throw new ApiError('conflict', 'There is nothing to export yet: no volume has a mask.');
      }
      const files = ['manifest.json', 'manifest.csv', ...summary.cases.flatMap((c) => [c.maskFile, ...(c.imageFile ? [c.imageFile] : [])])];
      return {
        exportId,
        // The desktop and the command line show where the files are; a browser gets no path of the server's.
        folder: context.host === 'web' ? `exports/${exportId}` : folder,
        cases: summary.cases.map(({ caseId, volumeId, volumeName, maskFile, imageFile, maskedSlices }) => ({
          caseId,
          volumeId,
          volumeName,
          maskFile,
          imageFile,
          maskedSlices
        })),
        files
      };
    },
    getExportFile: async ({ projectId, exportId, fileName }) => {
      const project = await workspace.getProject(projectId);
      const bytes = await readFile(join(project.folder, 'exports', exportId, fileName)).catch(() => {
        throw new ApiError('not-found', `${fileName} is not in that export.`);
      });
      return { fileName, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    }
  };
}
