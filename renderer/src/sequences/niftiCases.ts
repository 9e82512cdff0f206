/**
 * NIfTI files carry no patient or study, so the cases of several sequences among the files of one import are found
 * the way BraTS and most research sets name them: the same name but for a sequence word at its end
 * (`case12_t1`, `case12_t1ce`, `case12_t2`, `case12_flair`), on the same grid. Main's guess names each file's
 * sequence (`guessedName` of `listSequences`); the user confirms the offer (or keeps the files apart) and can rename.
 */
import { knownSequenceNames, type VolumeGeometryInfo } from '../../../main/contract/types';

export interface ImportedScan {
  id: string;
  name: string;
  geometry: VolumeGeometryInfo;
  /** Main's guess of its sequence (T1, T1c, T2, FLAIR, PD, DWI, ADC, else its own name). */
  guessedName: string;
}

export interface OfferedCase {
  /** The reference first (masks are drawn on its grid): T1, else T1c, T2, FLAIR, else the first. */
  volumeIds: string[];
  names: string[];
  /** The part of the file names they share (`case12`), for the offer's words. */
  caseName: string;
}

const referencePreference = ['T1', 'T1c', 'T2', 'FLAIR'];

/**
 * The name without its last word when that word names the guessed sequence, case and separators aside
 * (`Case12_T1ce` → `Case12`); null when the name does not end so.
 */
export function caseNameOf(name: string): string | null {
  const match = /^(.*?)[\s._-]+([A-Za-z0-9+]+)$/.exec(name.trim());
  return match && match[1]!.length > 0 ? match[1]! : null;
}

function sameGrid(a: VolumeGeometryInfo, b: VolumeGeometryInfo): boolean {
  return (
    a.dimensions.every((size, axis) => size === b.dimensions[axis]) &&
    a.voxelToPatient.every((value, index) => Math.abs(value - b.voxelToPatient[index]!) < 1e-3)
  );
}

/**
 * The cases to offer among scans just imported: two or more scans whose names differ only in a last word that main
 * recognised as different sequences (T1, T1c, T2, FLAIR, PD, DWI, ADC), on the same grid. Scans of other grids or
 * with a repeated sequence are not offered together (the user can still add any scan to a case by hand).
 */
export function offerNiftiCases(scans: readonly ImportedScan[]): OfferedCase[] {
  const groups = new Map<string, ImportedScan[]>();
  for (const scan of scans) {
    const caseName = caseNameOf(scan.name);
    if (!caseName || !(knownSequenceNames as readonly string[]).includes(scan.guessedName)) continue;
    const key = caseName.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), scan]);
  }
  const offers: OfferedCase[] = [];
  for (const members of groups.values()) {
    const first = members[0]!;
    const names = members.map((member) => member.guessedName);
    if (members.length < 2 || new Set(names).size !== names.length) continue;
    if (!members.every((member) => sameGrid(member.geometry, first.geometry))) continue;
    const rank = (name: string) => (referencePreference.includes(name) ? referencePreference.indexOf(name) : referencePreference.length);
    const ordered = [...members].sort((a, b) => rank(a.guessedName) - rank(b.guessedName));
    offers.push({
      volumeIds: ordered.map((member) => member.id),
      names: ordered.map((member) => member.guessedName),
      caseName: caseNameOf(first.name)!
    });
  }
  return offers;
}
