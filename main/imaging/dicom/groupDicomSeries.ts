/**
 * Files to series: grouped by SeriesInstanceUID, then split where the images cannot form one volume (different
 * orientation, image size or pixel spacing), and where several images share one position (multi-echo, dynamic or
 * repeated acquisitions become one volume per repetition; images that all share a single position stay together).
 */
import { crossProduct, dotProduct } from '../geometry';
import type { DicomFrameReference, DicomSeriesIdentity, SeriesSummary } from './dicomTypes';
import type { DicomFileHeader } from './readDicomHeader';

const ORIENTATION_TOLERANCE = 1e-4;
const SPACING_TOLERANCE = 1e-4;
/** Positions along the slice normal closer than this are the same slice (mm). */
const SAME_POSITION_TOLERANCE = 0.01;

export function groupDicomSeries(files: DicomFileHeader[]): SeriesSummary[] {
  const bySeries = new Map<string, { identity: DicomSeriesIdentity; frames: DicomFrameReference[] }>();
  for (const file of files) {
    const entry = bySeries.get(file.identity.seriesInstanceUid) ?? { identity: file.identity, frames: [] };
    entry.frames.push(...file.frames);
    bySeries.set(file.identity.seriesInstanceUid, entry);
  }
  const summaries: SeriesSummary[] = [];
  for (const { identity, frames } of bySeries.values()) {
    const stacks = splitByGrid(frames);
    const parts = stacks.flatMap((stack, stackIndex) =>
      splitByRepeatedPosition(stack).map((volumeFrames, volumeIndex, volumes) => ({
        frames: volumeFrames,
        reason: describeSplit(stackIndex, stacks.length, volumeIndex, volumes.length)
      }))
    );
    parts.forEach((part, index) =>
      summaries.push(summarize(identity, part.frames, parts.length > 1 ? index + 1 : 0, part.reason))
    );
  }
  return summaries.sort(compareSeries);
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
  if (a.format.rows !== b.format.rows || a.format.columns !== b.format.columns) return false;
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
  stackIndex: number,
  stackCount: number,
  volumeIndex: number,
  volumeCount: number
): string | undefined {
  const parts: string[] = [];
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
    rows: frames[0]!.format.rows,
    columns: frames[0]!.format.columns,
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
    a.id.localeCompare(b.id)
  );
}
