/**
 * The DICOM import's offer of cases of several sequences (issue 18): main finds the series of one patient and study
 * (`caseGroups` of a folder scan) and guesses each one's name; the user confirms the grouping, which series is the
 * reference (masks are drawn on its grid) and the names, or imports them as separate scans.
 */
import type { DicomCaseGroup } from '../../../main/contract/types';

/** The user's choice for one offered group. */
export interface CaseGroupChoice {
  /** Import the group's series as one case (else each is a scan of its own). */
  asOneCase: boolean;
  /** The series whose grid the case uses (the one masks are drawn on): main proposes the first. */
  referenceId: string;
  /** The sequence name of each series, by series id (the guess until the user edits it). */
  names: Record<string, string>;
}

export interface ConfirmedCase {
  /** The reference first. */
  seriesIds: string[];
  names: string[];
}

/** The longest name main takes for a sequence. */
export const longestSequenceName = 64;

export function initialChoice(group: DicomCaseGroup): CaseGroupChoice {
  return {
    asOneCase: true,
    referenceId: group.seriesIds[0] ?? '',
    names: Object.fromEntries(group.seriesIds.map((id, index) => [id, group.guessedNames[index] ?? '']))
  };
}

/** The group's ticked series in case order: the reference first, then the others as main listed them. */
function orderedSeries(group: DicomCaseGroup, choice: CaseGroupChoice, selectedSeriesIds: readonly string[]): string[] {
  const ticked = group.seriesIds.filter((id) => selectedSeriesIds.includes(id));
  const reference = ticked.includes(choice.referenceId) ? choice.referenceId : ticked[0];
  return reference ? [reference, ...ticked.filter((id) => id !== reference)] : [];
}

/** What keeps a group from being imported as one case as chosen, in words; null when nothing does. */
export function describeCaseProblem(group: DicomCaseGroup, choice: CaseGroupChoice, selectedSeriesIds: readonly string[]): string | null {
  if (!choice.asOneCase) return null;
  const seriesIds = orderedSeries(group, choice, selectedSeriesIds);
  if (seriesIds.length < 2) return null;
  const names = seriesIds.map((id) => (choice.names[id] ?? '').trim());
  if (names.some((name) => name === '')) return 'Every sequence needs a name (T1, T1c, T2, FLAIR…).';
  const tooLong = names.find((name) => name.length > longestSequenceName);
  if (tooLong) return `The name ${tooLong.slice(0, 20)}… is longer than ${longestSequenceName} characters.`;
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name.toLowerCase())) return `Two sequences are named ${name}: each sequence of a case needs its own name.`;
    seen.add(name.toLowerCase());
  }
  return null;
}

/**
 * The cases to send with `importDicomSeries`: each group imported as one case with two or more of its series ticked,
 * the reference first, with the names as confirmed. A group with a problem (`describeCaseProblem`) is left out: the
 * form does not let it be imported.
 */
export function confirmedCases(
  groups: readonly DicomCaseGroup[],
  choices: readonly CaseGroupChoice[],
  selectedSeriesIds: readonly string[]
): ConfirmedCase[] {
  return groups.flatMap((group, index) => {
    const choice = choices[index];
    if (!choice?.asOneCase || describeCaseProblem(group, choice, selectedSeriesIds)) return [];
    const seriesIds = orderedSeries(group, choice, selectedSeriesIds);
    if (seriesIds.length < 2) return [];
    return [{ seriesIds, names: seriesIds.map((id) => choice.names[id]!.trim()) }];
  });
}
