import type { SliceStateName } from '../../../main/contract/types';

/** The colour of each slice tag on the weak-label strip, and in the viewer's legend. */
export const sliceStateColours: Record<SliceStateName, string> = {
  present: 'var(--tumour-present, #e8753a)',
  absent: 'var(--tumour-absent, #3fa36b)',
  unknown: 'rgb(255 255 255 / 10%)'
};
