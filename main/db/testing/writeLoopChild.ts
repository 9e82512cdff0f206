/**
 * Child process for the crash test: writes volumes and mask slices in a loop and prints the id of each row after its
 * transaction has committed. The parent kills it with SIGKILL mid-loop.
 */
import { ProjectStore } from '../ProjectStore';

const databasePath = process.argv[2];
if (!databasePath) throw new Error('usage: writeLoopChild DATABASE');
const store = await ProjectStore.open(databasePath);
const labels = new Uint8Array(256 * 256).map((_, i) => (i % 7 === 0 ? 1 : 0));
for (let n = 0; ; n += 1) {
  const id = `v${n}`;
  await store.volumes.insert({
    id,
    name: `volume ${n}`,
    sourceKind: 'nifti',
    sourceFiles: [`/data/${n}.nii.gz`],
    patientName: null,
    patientId: null,
    studyDescription: null,
    seriesDescription: null,
    modality: 'MR',
    seriesInstanceUid: null,
    dimensions: [256, 256, 4],
    voxelToPatient: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    niftiLayout: null,
    scalarType: 'int16',
    minValue: 0,
    maxValue: 1,
    windowCenter: 0.5,
    windowWidth: 1,
    cacheFile: `cache/${id}.raw`,
    warnings: [],
    volumeIndex: null,
    volumeCount: null,
    scaling: null,
    createdAt: new Date().toISOString()
  });
  await store.masks.saveSlices(id, [0, 1, 2, 3].map((sliceIndex) => ({ sliceIndex, labels })), {
    provenance: 'user',
    author: 'test'
  });
  process.stdout.write(`${id}\n`);
}
