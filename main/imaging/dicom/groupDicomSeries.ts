/**
 * Files to series: grouped by SeriesInstanceUID, then split where the images cannot form one volume (different
 * orientation, image size or pixel spacing), and where several images share one position (multi-echo, dynamic or
 * repeated acquisitions become one volume per repetition; images that all share a single position stay together).
 */
import { crossProduct, dotProduct } from '../geometry';
import { sliceSizeOf, type DicomFrameReference, type DicomSeriesIdentity, type SeriesSummary } from './dicomTypes';
import type { DicomFileHeader } from './readDicomHeader';

const ORIENTATION_TOLERANCE = 1e-4;
const SPACING_TOLERANCE = 1e-4;
/** Positions along the slice normal closer than this are the same slice (mm). */
const SAME_POSITION_TOLERANCE = 0.01;

export function groupDicomSeries(files: DicomFileHeader[]): SeriesSummary[] {
  // Files arrive in the order their reads finished: sort them, so that names, ids and parts never change between
  // scans of the same folder.
  const ordered = [...files].sort((a, b) => comparePaths(a.frames[0]?.path ?? '', b.frames[0]?.path ?? ''));
  const bySeries = new Map<string, { identity: DicomSeriesIdentity; bySeriesNumber: Map<string, Group> }>();
  for (const file of ordered) {
    const uid = file.identity.seriesInstanceUid;
    const entry = bySeries.get(uid) ?? { identity: file.identity, bySeriesNumber: new Map<string, Group>() };
    bySeries.set(uid, entry);
    // One SeriesInstanceUID should mean one SeriesNumber; where it does not (some exporters reuse the UID), the
    // numbers tell the series apart.
    const numberKey = String(file.identity.seriesNumber ?? '');
    const group = entry.bySeriesNumber.get(numberKey) ?? { identity: file.identity, frames: [] };
    group.frames.push(...file.frames);
    entry.bySeriesNumber.set(numberKey, group);
  }
  const summaries: SeriesSummary[] = [];
  for (const { bySeriesNumber } of bySeries.values()) {
    const groups = [...bySeriesNumber.values()].sort(
      (a, b) => (a.identity.seriesNumber ?? -Infinity) - (b.identity.seriesNumber ?? -Infinity)
    );
    const parts = groups.flatMap((group) => {
      const stacks = splitByGrid(group.frames);
      return stacks.flatMap((stack, stackIndex) =>
        splitByRepeatedPosition(stack).map((volumeFrames, volumeIndex, volumes) => ({
          identity: group.identity,
          frames: volumeFrames,
          reason: describeSplit(
            groups.length > 1 ? group.identity.seriesNumber : undefined,
            stackIndex,
            stacks.length,
            volumeIndex,
            volumes.length
          ),
          volume: volumes.length > 1 ? { index: volumeIndex + 1, count: volumes.length } : undefined
        }))
      );
    });
    parts.forEach((part, index) => {
      const summary = summarize(part.identity, part.frames, parts.length > 1 ? index + 1 : 0, part.reason);
      if (part.volume) {
        summary.volumeIndex = part.volume.index;
        summary.volumeCount = part.volume.count;
      }
      if (parts.length > 1) summary.partLabel = labelPart(part.frames, part.volume, parts.length, index);
      summaries.push(summary);
    });
  }
  return summaries.sort(compareSeries);
}

interface Group {
  identity: DicomSeriesIdentity;
  frames: DicomFrameReference[];
}

/** Numbers inside names compare as numbers: slice2 before slice10. */
const comparePaths = (a: string, b: string): number =>
  a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);

/** "volume 3 of 10, b = 1000, echo 24 ms", "series 5", or "part 2 of 3": what tells this part from the others. */
function labelPart(
  frames: DicomFrameReference[],
  volume: { index: number; count: number } | undefined,
  partCount: number,
  partIndex: number
): string {
  const shared = (key: 'echoTime' | 'bValue'): number | undefined => {
    const value = frames[0]![key];
    return value !== undefined && frames.every((frame) => frame[key] === value) ? value : undefined;
  };
  const words = [volume ? `volume ${volume.index} of ${volume.count}` : `part ${partIndex + 1} of ${partCount}`];
  const bValue = shared('bValue');
  const echoTime = shared('echoTime');
  if (bValue !== undefined) words.push(`b = ${bValue}`);
  if (echoTime !== undefined && volume) words.push(`echo ${Number(echoTime.toFixed(2))} ms`);
  return words.join(', ');
}

/** Clusters frames that share orientation, image size and pixel spacing (within tolerances). */
function splitByGrid(frames: DicomFrameReference[]): DicomFrameReference[][] {
  const stacks: DicomFrameReference[][] = [];
  for (const frame of frames) {
    const stack = stacks.find((candidate) => isSameGrid(candidate[0]!, frame));
    if (stack) stack.push(frame);
    else stacks.push([frame]);
  }
  return stacks;
}

function isSameGrid(a: DicomFrameReference, b: DicomFrameReference): boolean {
  const [sizeA, sizeB] = [sliceSizeOf(a), sliceSizeOf(b)];
  if (sizeA.rows !== sizeB.rows || sizeA.columns !== sizeB.columns) return false;
  if (!!a.position !== !!b.position || !!a.rowDirection !== !!b.rowDirection) return false;
  const close = (x: readonly number[] | undefined, y: readonly number[] | undefined, tolerance: number): boolean =>
    (!x && !y) || (!!x && !!y && x.every((value, n) => Math.abs(value - y[n]!) <= tolerance));
  return (
    close(a.rowDirection, b.rowDirection, ORIENTATION_TOLERANCE) &&
    close(a.columnDirection, b.columnDirection, ORIENTATION_TOLERANCE) &&
    close(a.pixelSpacing, b.pixelSpacing, SPACING_TOLERANCE)
  );
}

/** The n-th image at each position (in instance order) goes to volume n. */
function splitByRepeatedPosition(frames: DicomFrameReference[]): DicomFrameReference[][] {
  const first = frames[0]!;
  if (!first.position || !first.rowDirection || !first.columnDirection) return [frames];
  const normal = crossProduct(first.rowDirection, first.columnDirection);
  const ordered = [...frames].sort(compareInstanceOrder);
  const seen: { distance: number; count: number }[] = [];
  const volumes: DicomFrameReference[][] = [];
  for (const frame of ordered) {
    const distance = dotProduct(frame.position!, normal);
    let slot = seen.find((entry) => Math.abs(entry.distance - distance) < SAME_POSITION_TOLERANCE);
    if (!slot) seen.push((slot = { distance, count: 0 }));
    (volumes[slot.count] ??= []).push(frame);
    slot.count++;
  }
  // Everything at one position (a cine or a repeated single slice) stays one stack rather than many one-slice volumes.
  return seen.length === 1 ? [ordered] : volumes;
}

export function compareInstanceOrder(a: DicomFrameReference, b: DicomFrameReference): number {
  return (
    (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0) || a.path.localeCompare(b.path) || a.frameIndex - b.frameIndex
  );
}

function describeSplit(
  seriesNumber: number | undefined,
  stackIndex: number,
  stackCount: number,
  volumeIndex: number,
  volumeCount: number
): string | undefined {
  const parts: string[] = [];
  if (seriesNumber !== undefined)
    parts.push(`series number ${seriesNumber} (several series numbers share one SeriesInstanceUID)`);
  if (stackCount > 1)
    parts.push(`image stack ${stackIndex + 1} of ${stackCount} (different orientation, size or pixel spacing)`);
  if (volumeCount > 1) parts.push(`volume ${volumeIndex + 1} of ${volumeCount} (images repeat at the same positions)`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function summarize(
  identity: DicomSeriesIdentity,
  frames: DicomFrameReference[],
  part: number,
  splitReason: string | undefined
): SeriesSummary {
  const summary: SeriesSummary = {
    ...identity,
    id: part > 0 ? `${identity.seriesInstanceUid}#${part}` : identity.seriesInstanceUid,
    rows: sliceSizeOf(frames[0]!).rows,
    columns: sliceSizeOf(frames[0]!).columns,
    sliceCount: frames.length,
    fileCount: new Set(frames.map((frame) => frame.path)).size,
    frames
  };
  if (splitReason) summary.splitReason = splitReason;
  return summary;
}

function compareSeries(a: SeriesSummary, b: SeriesSummary): number {
  return (
    (a.patientId ?? '').localeCompare(b.patientId ?? '') ||
    (a.studyInstanceUid ?? '').localeCompare(b.studyInstanceUid ?? '') ||
    (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0) ||
    a.seriesInstanceUid.localeCompare(b.seriesInstanceUid) ||
    a.id.localeCompare(b.id, 'en', { numeric: true })
  );
}
