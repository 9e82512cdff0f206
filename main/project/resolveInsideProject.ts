import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ApiError } from '../contract';

/**
 * The absolute path of a file the project's store or its files name (`cache/volumes/x.raw`, a model's weights
 * folder), refused unless it is a relative path that stays inside the project folder: a tampered or damaged store
 * must not make the app read or serve another file.
 */
export function resolveInsideProject(projectFolder: string, storedPath: string): string {
  const root = resolve(projectFolder);
  const path = resolve(root, storedPath);
  const inside = relative(root, path);
  if (
    isAbsolute(storedPath) ||
    inside === '' ||
    inside.startsWith(`..${sep}`) ||
    inside === '..' ||
    isAbsolute(inside)
  ) {
    throw new ApiError(
      'bad-file',
      'This project refers to a file outside its own folder, so the app will not read it. The project file may be damaged or was edited by hand.'
    );
  }
  return path;
}
