export { writeDerivedSeries, daikonSeriesFolder, daikonSeriesFiles, createRotation, rotateSliceEdits } from './dicomFixtures';
export { readWithNibabel, runPythonJson, DEBIAN_PYTHON } from './runPythonOracle';
export { createTemporaryFolder, removeTemporaryFolders } from './temporaryFolders';
