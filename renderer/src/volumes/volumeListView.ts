/**
 * What the volume list shows: filtered by text (name, patient, descriptions, modality) and by weak-label state, in the
 * chosen order; and which volume the "next untagged" / "next to review" keys go to. Pure, so it is tested without a DOM.
 */
import type { VolumeSummary } from '../../../main/contract/types';

export type VolumeStateFilter = 'all' | 'untagged' | 'present' | 'absent' | 'to-review';
export type VolumeOrder = 'imported' | 'name' | 'state';

export interface VolumeListSettings {
  text: string;
  state: VolumeStateFilter;
  order: VolumeOrder;
}

export function matchesState(volume: VolumeSummary, state: VolumeStateFilter): boolean {
  const { scan, presentSlices, absentSlices, pendingProposals } = volume.labels;
  if (state === 'all') return true;
  if (state === 'to-review') return pendingProposals > 0;
  if (state === 'untagged') return scan !== 'present' && scan !== 'absent' && presentSlices === 0 && absentSlices === 0;
  return scan === state;
}

/** Work left first: proposals to review, then untagged, then tumour, then no tumour. */
function stateRank(volume: VolumeSummary): number {
  if (volume.labels.pendingProposals > 0) return 0;
  if (matchesState(volume, 'untagged')) return 1;
  return volume.labels.scan === 'present' ? 2 : 3;
}

export function viewVolumes(volumes: readonly VolumeSummary[], settings: VolumeListSettings): VolumeSummary[] {
  const words = settings.text.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = volumes.filter((volume) => {
    if (!matchesState(volume, settings.state)) return false;
    const haystack = [
      volume.name,
      volume.patientName,
      volume.patientId,
      volume.studyDescription,
      volume.seriesDescription,
      volume.modality
    ]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
  const byName = (a: VolumeSummary, b: VolumeSummary) => a.name.localeCompare(b.name, undefined, { numeric: true });
  if (settings.order === 'name') return shown.sort(byName);
  if (settings.order === 'state') return shown.sort((a, b) => stateRank(a) - stateRank(b) || byName(a, b));
  return shown;
}

/** The next volume after `currentId` in `volumes` (wrapping round) that matches `state`, or null when none does. */
export function nextVolume(
  volumes: readonly VolumeSummary[],
  currentId: string | null,
  state: VolumeStateFilter
): VolumeSummary | null {
  const start = volumes.findIndex((volume) => volume.id === currentId);
  for (let offset = 1; offset <= volumes.length; offset += 1) {
    const candidate = volumes[(start + offset + volumes.length) % volumes.length]!;
    if (candidate.id !== currentId && matchesState(candidate, state)) return candidate;
  }
  return null;
}
