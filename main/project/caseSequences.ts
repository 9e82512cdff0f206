/**
 * Multi-sequence cases (issue 18): a case is its reference volume (a row of `volumes`, whose grid carries tags, masks
 * and proposals) plus zero or more other sequences stored on that grid (table case_sequences). Grouping takes volumes
 * already imported, checks their frame of reference, places them on the reference grid (same grid: as they are;
 * otherwise trilinear, with the largest misalignment stated) and replaces them by sequences of the case.
 */
import { basename } from 'node:path';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, type DicomCaseGroup, type SequenceSummary, type TrainingSequences } from '../contract';
import type { SequenceRecord, VolumeRecord } from '../db';
import {
  checkFrameOfReference,
  createScalarArray,
  describePlacement,
  guessSequenceName,
  placeOnReferenceGrid,
  scalarTypeNameOf,
  type SeriesSummary
} from '../imaging';
import { createId } from '../common';
import type { Project } from './Project';
import { rangeOf, robustRange } from './importVolume';

/** The project setting that holds the sequence names used as training channels, in order. */
export const trainingSequencesKey = 'trainingSequences';

/** The name a volume is offered under: its recorded name, else a guess from its description and file names. */
export function guessVolumeSequenceName(volume: Pick<VolumeRecord, 'seriesDescription' | 'name' | 'sourceFiles'>): string {
  return guessSequenceName(volume.seriesDescription, volume.name, volume.sourceFiles.length === 1 ? basename(volume.sourceFiles[0]!) : null).name;
}

export async function listCaseSequences(project: Project, volumeId: string): Promise<SequenceSummary[]> {
  const volume = await requireVolume(project, volumeId);
  const sequences = await project.store.sequences.listForVolume(volumeId);
  return [referenceSummary(volume), ...sequences.map(sequenceSummary)];
}

/**
 * Makes `sequenceVolumeIds` sequences of the case `volumeId` (also how one sequence is added to an existing case).
 * Refused, with nothing changed, when a volume to absorb has tags, masks, proposals or sequences of its own, is in
 * another frame of reference, or when two sequences would share a name. Names are the ones given, in order, else
 * guessed; the reference is named by its guess when it has no name yet.
 */
export async function groupVolumesIntoCase(
  project: Project,
  volumeId: string,
  sequenceVolumeIds: string[],
  names: string[] = []
): Promise<{ sequences: SequenceSummary[]; warnings: string[] }> {
  const reference = await requireVolume(project, volumeId);
  if (sequenceVolumeIds.includes(volumeId)) throw new ApiError('invalid-input', 'A scan cannot be a sequence of its own case.');
  if (new Set(sequenceVolumeIds).size !== sequenceVolumeIds.length) throw new ApiError('invalid-input', 'A scan is listed twice.');
  const others: VolumeRecord[] = [];
  for (const id of sequenceVolumeIds) others.push(await requireVolume(project, id));
  await refuseAnnotated(project, others);
  const referenceName = reference.sequenceName ?? guessVolumeSequenceName(reference);
  const existing = await project.store.sequences.listForVolume(volumeId);
  const taken = new Set([referenceName, ...existing.map((sequence) => sequence.name)].map((name) => name.toLowerCase()));
  const records: SequenceRecord[] = [];
  const warnings: string[] = [];
  let position = Math.max(0, ...existing.map((sequence) => sequence.position));
  for (const [index, other] of others.entries()) {
    const given = names[index]?.trim();
    let name = given || guessVolumeSequenceName(other);
    if (taken.has(name.toLowerCase())) {
      if (given) throw new ApiError('conflict', `The case ${reference.name} already has a sequence named ${given}.`);
      name = uniqueName(name, taken);
    }
    taken.add(name.toLowerCase());
    const refusal = checkFrameOfReference(reference.name, reference.frameOfReference, other.name, other.frameOfReference);
    if (refusal) throw new ApiError('unsupported', refusal);
    const bytes = await project.volumeCache.read(other.cacheFile);
    const scalars = createScalarArray(other.scalarType, bytes.slice().buffer);
    const placed = placeOnReferenceGrid(
      { geometry: { dimensions: other.dimensions, voxelToPatient: other.voxelToPatient }, scalars },
      { dimensions: reference.dimensions, voxelToPatient: reference.voxelToPatient }
    );
    const id = createId();
    const cacheFile = await project.volumeCache.write(id, placed.scalars);
    const sameGrid = placed.placement.kind === 'same-grid';
    const [minValue, maxValue] = sameGrid ? [other.minValue, other.maxValue] : rangeOf(placed.scalars);
    const [low, high] = sameGrid ? [0, 0] : robustRange(placed.scalars, minValue, maxValue);
    const note = describePlacement(name, placed.placement, { dimensions: reference.dimensions, voxelToPatient: reference.voxelToPatient });
    if (note) warnings.push(note);
    position += 1;
    records.push({
      id,
      volumeId,
      name,
      position,
      sourceKind: other.sourceKind,
      sourceFiles: other.sourceFiles,
      seriesDescription: other.seriesDescription,
      seriesInstanceUid: other.seriesInstanceUid,
      modality: other.modality,
      frameOfReference: other.frameOfReference ?? null,
      sourceDimensions: other.dimensions,
      sourceVoxelToPatient: other.voxelToPatient,
      scalarType: scalarTypeNameOf(placed.scalars),
      minValue,
      maxValue,
      // The scanner's window still fits voxels used as they are; resampled ones get the tissue's robust range.
      windowCenter: sameGrid ? other.windowCenter : (low + high) / 2,
      windowWidth: sameGrid ? other.windowWidth : Math.max(high - low, 1e-6),
      cacheFile,
      placement: placed.placement,
      warnings: [...other.warnings, ...(note ? [note] : [])],
      createdAt: new Date().toISOString()
    });
  }
  try {
    await project.store.sequences.attach(volumeId, records, sequenceVolumeIds, reference.sequenceName ? null : referenceName);
  } catch (error) {
    await Promise.all(records.map((record) => rm(join(project.folder, record.cacheFile), { force: true })));
    throw error;
  }
  // The absorbed volumes' own voxel files are no longer referenced.
  await Promise.all(others.map((other) => rm(join(project.folder, other.cacheFile), { force: true }).catch(() => undefined)));
  return { sequences: await listCaseSequences(project, volumeId), warnings };
}

/** Renames the reference (sequenceId = the volume's id) or another sequence of the case; names are unique per case. */
export async function renameSequence(project: Project, volumeId: string, sequenceId: string, name: string): Promise<SequenceSummary[]> {
  const volume = await requireVolume(project, volumeId);
  const sequences = await project.store.sequences.listForVolume(volumeId);
  const clash = [
    { id: volumeId, name: volume.sequenceName ?? guessVolumeSequenceName(volume) },
    ...sequences.map((sequence) => ({ id: sequence.id, name: sequence.name }))
  ].find((sequence) => sequence.id !== sequenceId && sequence.name.toLowerCase() === name.toLowerCase());
  if (clash) throw new ApiError('conflict', `The case ${volume.name} already has a sequence named ${clash.name}.`);
  if (sequenceId === volumeId) await project.store.volumes.setSequenceName(volumeId, name);
  else if (!sequences.some((sequence) => sequence.id === sequenceId)) throw new ApiError('not-found', 'That sequence is not in this case.');
  else await project.store.sequences.rename(sequenceId, name);
  return listCaseSequences(project, volumeId);
}

/**
 * Keeps the window the user gave a sequence of a case (the reference: sequenceId = the volume's id), so that it opens
 * with it next time (issue 18: the window set on FLAIR is there tomorrow). It replaces the window stored at import
 * (the scanner's, else the tissue's robust range), which is what "automatic" then returns to.
 */
export async function setSequenceWindow(
  project: Project,
  volumeId: string,
  sequenceId: string,
  window: { center: number; width: number }
): Promise<SequenceSummary> {
  const volume = await requireVolume(project, volumeId);
  if (sequenceId === volumeId) {
    await project.store.volumes.setWindow(volumeId, window.center, window.width);
    return referenceSummary({ ...volume, windowCenter: window.center, windowWidth: window.width });
  }
  const sequence = await project.store.sequences.get(sequenceId);
  if (!sequence || sequence.volumeId !== volumeId) throw new ApiError('not-found', 'That sequence is not in this case.');
  await project.store.sequences.setWindow(sequenceId, window.center, window.width);
  return sequenceSummary({ ...sequence, windowCenter: window.center, windowWidth: window.width });
}

/** The voxels of one sequence of a case, on the reference grid: the volume's own for the reference. */
export async function readSequenceVoxels(
  project: Project,
  volume: VolumeRecord,
  sequenceId: string | undefined
): Promise<{ scalarType: VolumeRecord['scalarType']; bytes: Uint8Array }> {
  if (sequenceId === undefined || sequenceId === volume.id) return { scalarType: volume.scalarType, bytes: await project.volumeCache.read(volume.cacheFile) };
  const sequence = await project.store.sequences.get(sequenceId);
  if (!sequence || sequence.volumeId !== volume.id) throw new ApiError('not-found', 'That sequence is not in this case.');
  return { scalarType: sequence.scalarType, bytes: await project.volumeCache.read(sequence.cacheFile) };
}

/**
 * Series of one patient and one study in a folder scan, two or more: each group is offered as one case. The proposed
 * reference is the first T1 (then T1c, T2, FLAIR, then the first series), since masks are usually drawn on it.
 */
export function groupSeriesIntoCases(series: SeriesSummary[]): DicomCaseGroup[] {
  const groups = new Map<string, SeriesSummary[]>();
  for (const entry of series) {
    if (!entry.studyInstanceUid || (entry.volumeCount ?? 1) > 1) continue;
    const key = `${entry.patientId ?? entry.patientName ?? ''}\u0000${entry.studyInstanceUid}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const preference = ['T1', 'T1c', 'T2', 'FLAIR'];
  return [...groups.values()]
    .filter((members) => members.length >= 2)
    .map((members) => {
      const named = members.map((member) => ({ member, name: guessSequenceName(member.seriesDescription, member.partLabel).name }));
      const rank = (name: string) => (preference.includes(name) ? preference.indexOf(name) : preference.length);
      const ordered = [...named].sort((a, b) => rank(a.name) - rank(b.name));
      const first = members[0]!;
      return {
        patientName: first.patientName ?? null,
        patientId: first.patientId ?? null,
        studyDescription: first.studyDescription ?? null,
        seriesIds: ordered.map((entry) => entry.member.id),
        guessedNames: ordered.map((entry) => entry.name)
      };
    });
}

/** The training channels chosen for the project, and which tagged cases lack some of them. */
export async function getTrainingSequences(project: Project): Promise<TrainingSequences> {
  const names = (await project.store.settings.get<string[]>(trainingSequencesKey)) ?? [];
  const volumes = await project.store.volumes.list();
  const sequences = await project.store.sequences.listAll();
  const labelled = await project.store.sliceLabels.summariseByVolume();
  const counts = new Map<string, number>();
  const incomplete: TrainingSequences['incomplete'] = [];
  for (const volume of volumes) {
    const present = caseSequenceNames(volume, sequences.get(volume.id) ?? []);
    for (const name of new Set(present)) counts.set(name, (counts.get(name) ?? 0) + 1);
    const tags = labelled.get(volume.id);
    if (!tags || tags.present + tags.absent === 0) continue;
    const missing = names.filter((name) => !present.includes(name));
    if (missing.length > 0) incomplete.push({ volumeId: volume.id, volumeName: volume.name, missing });
  }
  return {
    names,
    incomplete,
    available: [...counts.entries()].map(([name, cases]) => ({ name, cases })).sort((a, b) => b.cases - a.cases || a.name.localeCompare(b.name))
  };
}

export async function setTrainingSequences(project: Project, names: string[]): Promise<TrainingSequences> {
  const trimmed = names.map((name) => name.trim());
  if (new Set(trimmed.map((name) => name.toLowerCase())).size !== trimmed.length)
    throw new ApiError('invalid-input', 'A sequence is chosen twice.');
  if (trimmed.length === 0) await project.store.settings.delete(trainingSequencesKey);
  else await project.store.settings.set(trainingSequencesKey, trimmed);
  return getTrainingSequences(project);
}

/**
 * The records of a case's sequences named `names`, in that order (names compared without regard to case; the
 * reference by its confirmed name, else its guess), or the names it lacks.
 */
export function resolveCaseSequences(
  volume: VolumeRecord,
  sequences: SequenceRecord[],
  names: readonly string[]
): { sources: (VolumeRecord | SequenceRecord)[]; missing: string[] } {
  const byName = new Map<string, VolumeRecord | SequenceRecord>();
  byName.set((volume.sequenceName ?? guessVolumeSequenceName(volume)).toLowerCase(), volume);
  for (const sequence of sequences) if (!byName.has(sequence.name.toLowerCase())) byName.set(sequence.name.toLowerCase(), sequence);
  const sources: (VolumeRecord | SequenceRecord)[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const source = byName.get(name.toLowerCase());
    if (source) sources.push(source);
    else missing.push(name);
  }
  return { sources, missing };
}

/** The names of a case's sequences, the reference first (its guess when it was never named). */
export function caseSequenceNames(volume: VolumeRecord, sequences: SequenceRecord[]): string[] {
  return [volume.sequenceName ?? guessVolumeSequenceName(volume), ...sequences.map((sequence) => sequence.name)];
}

async function requireVolume(project: Project, volumeId: string): Promise<VolumeRecord> {
  const volume = await project.store.volumes.get(volumeId);
  if (!volume) throw new ApiError('not-found', 'That volume is not in this project.');
  return volume;
}

/** Tags, masks and proposals belong to the case's reference grid: a volume that has its own cannot be absorbed. */
async function refuseAnnotated(project: Project, volumes: VolumeRecord[]): Promise<void> {
  const labels = await project.store.sliceLabels.summariseByVolume();
  const masks = await project.store.masks.countMaskedSlicesByVolume();
  for (const volume of volumes) {
    const tags = labels.get(volume.id);
    const reasons: string[] = [];
    if (tags && (tags.present + tags.absent > 0 || tags.scan !== 'unknown')) reasons.push('tags');
    if ((masks.get(volume.id) ?? 0) > 0) reasons.push('masks');
    if ((await project.store.proposals.listForVolume(volume.id)).length > 0) reasons.push('proposals');
    if ((await project.store.sequences.listForVolume(volume.id)).length > 0) reasons.push('sequences');
    if (reasons.length > 0)
      throw new ApiError(
        'conflict',
        `${volume.name} has ${reasons.join(' and ')} of its own; a scan becomes a sequence of another case only before it is annotated (tags, masks and proposals belong to the case's reference scan).`
      );
  }
}

function uniqueName(name: string, taken: Set<string>): string {
  for (let n = 2; ; n += 1) if (!taken.has(`${name} ${n}`.toLowerCase())) return `${name} ${n}`;
}

function referenceSummary(volume: VolumeRecord): SequenceSummary {
  return {
    id: volume.id,
    name: volume.sequenceName ?? null,
    guessedName: guessVolumeSequenceName(volume),
    reference: true,
    seriesDescription: volume.seriesDescription,
    sourceKind: volume.sourceKind,
    minValue: volume.minValue,
    maxValue: volume.maxValue,
    windowCenter: volume.windowCenter,
    windowWidth: volume.windowWidth,
    placement: null,
    warnings: volume.warnings
  };
}

function sequenceSummary(sequence: SequenceRecord): SequenceSummary {
  return {
    id: sequence.id,
    name: sequence.name,
    guessedName: guessSequenceName(sequence.seriesDescription, basename(sequence.sourceFiles[0] ?? '')).name,
    reference: false,
    seriesDescription: sequence.seriesDescription,
    sourceKind: sequence.sourceKind,
    minValue: sequence.minValue,
    maxValue: sequence.maxValue,
    windowCenter: sequence.windowCenter,
    windowWidth: sequence.windowWidth,
    placement: sequence.placement,
    warnings: sequence.warnings
  };
}
