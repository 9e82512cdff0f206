import { describe, expect, it } from 'vitest';
import { endRangeAt, startRangeAt } from './editTumourRanges';

describe('tumour range editing', () => {
  it('starts a new range and ends it on a later slice', () => {
    const started = startRangeAt([], 4);
    expect(started).toEqual([{ first: 4, last: 4 }]);
    expect(endRangeAt(started, 9)).toEqual([{ first: 4, last: 9 }]);
  });

  it('trims the range that holds the slice', () => {
    expect(startRangeAt([{ first: 2, last: 8 }], 5)).toEqual([{ first: 5, last: 8 }]);
    expect(endRangeAt([{ first: 2, last: 8 }], 5)).toEqual([{ first: 2, last: 5 }]);
  });

  it('keeps several ranges', () => {
    expect(startRangeAt([{ first: 2, last: 3 }], 10)).toEqual([
      { first: 2, last: 3 },
      { first: 10, last: 10 }
    ]);
    expect(endRangeAt([{ first: 2, last: 3 }, { first: 10, last: 10 }], 12)).toEqual([
      { first: 2, last: 3 },
      { first: 10, last: 12 }
    ]);
  });
});
