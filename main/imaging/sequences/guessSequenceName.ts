/**
 * The MR sequence a series most likely is, from its SeriesDescription and file name: what the import offers the user
 * to confirm (issue 18). Known names are T1, T1c (after contrast: T1c, T1Gd, T1ce, "post", MPRAGE+C...), T2, FLAIR,
 * PD, DWI and ADC; anything else keeps its own (trimmed) description as its name.
 */
import { knownSequenceNames, type KnownSequenceName } from '../../contract';

export { knownSequenceNames, type KnownSequenceName };

export interface SequenceGuess {
  name: string;
  /** False when no known sequence matched and the description (or file name) was kept as it is. */
  known: boolean;
}

/**
 * Guesses from the first text that names a known sequence: the SeriesDescription first, then the file name. Texts are
 * split into words on anything but letters, digits, '+' and '*', so "t2_tse_tra" is T2 and "FLAIR_3D" is FLAIR, while a
 * T2* gradient echo ("t2_fl2d_tra_hemo") is not taken for T2, and "T1 PRE GD" is T1, not T1c.
 */
export function guessSequenceName(...texts: (string | null | undefined)[]): SequenceGuess {
  const given = texts.map((text) => (text ?? '').trim()).filter((text) => text.length > 0);
  for (const text of given) {
    const name = matchKnown(text);
    if (name) return { name, known: true };
  }
  const kept = (given[0] ?? 'sequence').replace(/\.nii(\.gz)?$/i, '').slice(0, 64);
  return { name: kept, known: false };
}

function matchKnown(text: string): KnownSequenceName | null {
  const lower = text.toLowerCase().replace(/\.nii(\.gz)?$/, '');
  // Words: runs of letters, digits, '+' and '*', so "t2*" (gradient echo) is not "t2" and "t1+c" stays one word.
  const words = lower.split(/[^a-z0-9*+]+/).filter(Boolean);
  const has = (pattern: RegExp) => words.some((word) => pattern.test(word));
  const phrase = ` ${words.join(' ')} `;
  if (has(/^(adc|adcmap|adc_map)$/) || phrase.includes(' apparent diffusion ')) return 'ADC';
  if (has(/flair/) || has(/^tirm$/) || phrase.includes(' dark fluid ')) return 'FLAIR';
  if (has(/^(dwi|dw|diff|diffusion|trace|tracew)$/) || has(/^b\d{3,4}$/)) return 'DWI';
  if (has(/^(pd|pdw|pdwi)$/) || phrase.includes(' proton density ')) return 'PD';
  const t1 = has(/^t1(w|wi)?$/) || has(/^(mprage|spgr|bravo|tfl|vibe|fspgr)$/);
  const t1WithContrast = has(/^t1(w)?(ce|c|gd|post|km|\+|\+c|\+gd)$/);
  const contrast = has(/^(ce|c\+|\+c|\+gd|gd|gad|gado|gadolinium|post|postcontrast|postgd|contrast|km|enh|enhanced)$/);
  const beforeContrast = has(/^(pre|precontrast|nativ|native)$/);
  if (t1WithContrast || (t1 && contrast && !beforeContrast)) return 'T1c';
  if (t1) return 'T1';
  // T2* and susceptibility series (gradient echo) are not T2.
  const gradientEcho = has(/\*/) || has(/^(t2star|hemo|swi|swan|medic|fl2d|fl3d|gre)$/);
  if (!gradientEcho && (has(/^t2(w|wi)?$/) || has(/^(tse|fse|haste)$/))) return 'T2';
  return null;
}
