import type { AppCore } from '../../app';
import { saveMaskSlices, setTumourRanges, tagScan } from '../../annotation';
import { addImportedVolume } from '../../project';

export interface LesionProjectOptions {
  volumes: number;
  size: number;
  slices: number;
  /** Volumes with a lesion get masks on this many of their lesion slices. */
  maskedSlicesPerVolume: number;
}

/**
 * A small project of synthetic scans for training tests: smooth noisy "tissue", and in every other volume a bright
 * disc lesion on a range of slices. Odd volumes are tagged present with the lesion's range, even ones absent; a few
 * lesion slices get exact masks.
 */
export async function createLesionProject(core: AppCore, options: LesionProjectOptions): Promise<{ projectId: string; truth: Map<string, Uint8Array> }> {
  const { id: projectId } = await core.workspace.createProject('Lesions');
  const project = await core.workspace.getProject(projectId);
  const { size, slices } = options;
  const truth = new Map<string, Uint8Array>();
  for (let v = 0; v < options.volumes; v += 1) {
    const scalars = new Int16Array(size * size * slices);
    const labels = new Uint8Array(size * size * slices);
    const hasLesion = v % 2 === 1;
    const centre = [size * (0.35 + 0.1 * (v % 3)), size * (0.4 + 0.07 * (v % 4))];
    for (let k = 0; k < slices; k += 1) {
      const inLesion = hasLesion && k >= 3 && k < slices - 3;
      for (let j = 0; j < size; j += 1) {
        for (let i = 0; i < size; i += 1) {
          const index = k * size * size + j * size + i;
          const brain = Math.hypot(i - size / 2, j - size / 2) < size * 0.45;
          const lesion = inLesion && Math.hypot(i - centre[0]!, j - centre[1]!) < size * 0.12;
          const noise = Math.sin(i * 12.9898 + j * 78.233 + k * 37.719 + v) * 43758.5453;
          scalars[index] = brain ? 400 + Math.round((noise - Math.floor(noise)) * 60) + (lesion ? 500 : 0) : 0;
          labels[index] = lesion ? 1 : 0;
        }
      }
    }
    const geometry = { dimensions: [size, size, slices] as [number, number, number], voxelToPatient: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] };
    const summary = await addImportedVolume(project, { volume: { geometry, scalars }, description: { sourceFormat: 'nifti', sourceFiles: [], warnings: [] } }, `synthetic ${v}`);
    truth.set(summary.id, labels);
    const volume = (await project.store.volumes.get(summary.id))!;
    if (!hasLesion) {
      await tagScan(project.store, volume, 'absent');
      continue;
    }
    await setTumourRanges(project.store, volume, [{ first: 3, last: slices - 4 }]);
    const masked = Array.from({ length: options.maskedSlicesPerVolume }, (_, n) => 3 + n * 2).filter((k) => k < slices - 3);
    await saveMaskSlices(
      project.store,
      volume,
      masked.map((sliceIndex) => ({ sliceIndex, labels: labels.slice(sliceIndex * size * size, (sliceIndex + 1) * size * size) })),
      { provenance: 'user', author: 'test' }
    );
  }
  return { projectId, truth };
}
