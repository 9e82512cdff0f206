import { describe, expect, it } from 'vitest';
import { COLOR_LUT as CORNERSTONE_COLOR_LUT } from '@cornerstonejs/tools/constants';
import { maskColour } from './layerColours';

describe('layer colours', () => {
  it("names the mask's colour as Cornerstone draws segment 1", () => {
    expect(CORNERSTONE_COLOR_LUT[1]!.slice(0, 3)).toEqual([...maskColour]);
  });
});
