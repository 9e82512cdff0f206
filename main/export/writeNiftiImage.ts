/** Scans leave the application as NIfTI images in their stored scalar type, on their own grid. */
import { writeNiftiFile } from '../imaging';
import type { Volume } from '../imaging';

export async function writeNiftiImage(
  volume: Volume,
  path: string,
  options: { description?: string; signal?: AbortSignal } = {}
): Promise<void> {
  await writeNiftiFile(path, volume, options);
}
