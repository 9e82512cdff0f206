/**
 * What every export says about a volume besides its voxels (issue 20, items 4, 5 and 9): its place in a 4-D series,
 * the scaling applied on import, and the import warnings, in the manifests in full and in the NIfTI `descrip` field
 * (80 bytes) in short.
 */
import type { VolumeRecord } from '../db';
import type { VolumeScaling } from '../imaging';

export interface VolumeProvenance {
  /** This volume's number in its 4-D series (from 1) and how many there are; null for a 3-D scan. */
  volumeIndex: number | null;
  volumeCount: number | null;
  /** The scaling applied on import (DICOM rescale, NIfTI scl), and vendor scaling seen but not applied. */
  scaling: VolumeScaling | null;
  /** Every import warning, as the user was shown it. */
  warnings: string[];
}

export function describeVolumeProvenance(volume: VolumeRecord): VolumeProvenance {
  return {
    volumeIndex: volume.volumeIndex,
    volumeCount: volume.volumeCount,
    scaling: volume.scaling,
    warnings: [...volume.warnings]
  };
}

/** NIfTI-1's descrip holds 80 bytes, the last a NUL. */
const DESCRIP_BYTES = 79;

/** Short forms of the import warnings, in the order they are tried; null drops one the volume index already says. */
const SHORT_FORMS: [RegExp, (match: RegExpMatchArray) => string | null][] = [
  [/^This is volume \d+ of \d+/, () => null],
  [/^This file holds \d+ volumes/, () => null],
  [/^This is .* of the series\.$/, () => 'split series'],
  [/^Slice spacing is uneven .* up to ([\d.]+) mm/, (match) => `uneven slices, shift<=${match[1]}mm`],
  [/tilted by ([\d.]+)°/, (match) => `gantry tilt ${match[1]}deg`],
  [/^Siemens mosaic/, () => 'mosaic cut into slices'],
  [/^The Philips private scale/, () => 'Philips scale not applied'],
  [/MONOCHROME1/, () => 'MONOCHROME1 inverted'],
  [/^Colour images/, () => 'colour made grey'],
  [/lie at the same position/, () => 'slices at one position'],
  [/carry no position|carries no orientation/, () => 'no orientation'],
  [/do not state their pixel size/, () => 'pixel size unknown'],
  [/.*/, () => 'warning']
];

/**
 * `GenSeg mask; vol 3/10; uneven slices, shift<=1.2mm; mosaic cut into slices`: the prefix, the volume index and one
 * short phrase per warning, in ASCII, at most 79 bytes. What does not fit is counted at the end ("+2 in manifest"), never cut mid-word; the manifest has every warning in full.
 */
export function describeForNiftiDescrip(prefix: string, volume: VolumeRecord): string {
  const parts: string[] = [];
  if (volume.volumeIndex !== null && volume.volumeCount !== null)
    parts.push(`vol ${volume.volumeIndex}/${volume.volumeCount}`);
  for (const warning of volume.warnings) {
    for (const [pattern, shorten] of SHORT_FORMS) {
      const match = warning.match(pattern);
      if (!match) continue;
      const short = shorten(match);
      if (short !== null && !parts.includes(short)) parts.push(short);
      break;
    }
  }
  const ascii = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?');
  let text = ascii(prefix).slice(0, DESCRIP_BYTES);
  for (const [index, part] of parts.entries()) {
    const left = parts.length - index - 1;
    const next = `${text}; ${part}`;
    const tail = left > 0 ? `; +${left} in manifest` : '';
    if ((next + tail).length <= DESCRIP_BYTES || (left === 0 && next.length <= DESCRIP_BYTES)) {
      text = next;
      continue;
    }
    const cut = `; +${parts.length - index} in manifest`;
    return (text + cut).length <= DESCRIP_BYTES ? text + cut : text;
  }
  return text;
}
