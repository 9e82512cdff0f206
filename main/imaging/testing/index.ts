export { writeDerivedSeries } from './dicomFixtures';
export { readWithNibabel } from './runPythonOracle';
export { createTemporaryFolder, removeTemporaryFolders } from './temporaryFolders';
