import type { SliceRangeInfo } from '../../../main/contract/types';

/**
 * "Tumour starts here" at slice k: the range holding k now starts at k; otherwise a new one-slice range begins at k
 * (the user then goes to the last slice and says "ends here").
 */
export function startRangeAt(ranges: readonly SliceRangeInfo[], k: number): SliceRangeInfo[] {
  const holding = ranges.find((range) => range.first <= k && k <= range.last);
  if (holding) return ranges.map((range) => (range === holding ? { first: k, last: range.last } : { ...range }));
  return [...ranges.map((range) => ({ ...range })), { first: k, last: k }];
}

/**
 * "Tumour ends here" at slice k: the range holding k now ends at k; otherwise the nearest range that starts before k
 * is stretched to k (its start was set first); with none, a one-slice range.
 */
export function endRangeAt(ranges: readonly SliceRangeInfo[], k: number): SliceRangeInfo[] {
  const holding = ranges.find((range) => range.first <= k && k <= range.last);
  if (holding) return ranges.map((range) => (range === holding ? { first: range.first, last: k } : { ...range }));
  const before = ranges.filter((range) => range.last < k).sort((a, b) => b.last - a.last)[0];
  if (before) return ranges.map((range) => (range === before ? { first: range.first, last: k } : { ...range }));
  return [...ranges.map((range) => ({ ...range })), { first: k, last: k }];
}
