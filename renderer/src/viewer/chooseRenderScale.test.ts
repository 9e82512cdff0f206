import { describe, expect, it } from 'vitest';
import { chooseRenderScale, isWorthResizing, minimumRenderScale } from './chooseRenderScale';

describe('chooseRenderScale', () => {
  it('gives one canvas pixel per voxel: a 256-voxel-high view 640 CSS pixels tall is drawn 256 pixels tall', () => {
    const scale = chooseRenderScale({
      screenRatio: 1,
      viewHeight: 640,
      viewHeightMillimetres: 256 * 0.94,
      finestSpacing: 0.94
    });
    expect(scale * 640).toBeCloseTo(256);
  });

  it('never draws more pixels than the screen has', () => {
    expect(chooseRenderScale({ screenRatio: 2, viewHeight: 200, viewHeightMillimetres: 512, finestSpacing: 1 })).toBe(
      2
    );
  });

  it('follows the zoom: zoomed in, fewer voxels span the view, down to the minimum', () => {
    const input = { screenRatio: 1, viewHeight: 600, finestSpacing: 1 };
    const whole = chooseRenderScale({ ...input, viewHeightMillimetres: 300 });
    const zoomed = chooseRenderScale({ ...input, viewHeightMillimetres: 150 });
    expect(zoomed).toBeCloseTo(whole / 2);
    expect(chooseRenderScale({ ...input, viewHeightMillimetres: 20 })).toBe(minimumRenderScale);
  });

  it('keeps the screen ratio when the view has no size yet', () => {
    expect(chooseRenderScale({ screenRatio: 1.5, viewHeight: 0, viewHeightMillimetres: 200, finestSpacing: 1 })).toBe(
      1.5
    );
  });
});

describe('isWorthResizing', () => {
  it('resizes for a change of more than a quarter either way, not for less', () => {
    expect(isWorthResizing(0.4, 0.45)).toBe(false);
    expect(isWorthResizing(0.4, 0.31)).toBe(true);
    expect(isWorthResizing(0.4, 0.55)).toBe(true);
  });
});
