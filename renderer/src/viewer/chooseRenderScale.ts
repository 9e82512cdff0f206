/** What decides how finely a view is worth drawing. */
export interface RenderScaleInput {
  /** The screen's own device pixels per CSS pixel (window.devicePixelRatio before the viewer changed it). */
  screenRatio: number;
  /** The view's height on the page, CSS pixels. */
  viewHeight: number;
  /** How many millimetres of the patient the view's height spans now (twice Cornerstone's parallel scale). */
  viewHeightMillimetres: number;
  /** The volume's finest in-plane voxel spacing, millimetres. */
  finestSpacing: number;
}

/** Below this, a zoomed-in view would draw each canvas pixel over more than four CSS pixels. */
export const minimumRenderScale = 0.25;

/**
 * Canvas pixels per CSS pixel for a view that should carry one canvas pixel per voxel (the volume's own resolution):
 * the voxels across its height divided by its CSS height, never more than the screen has, never below
 * `minimumRenderScale`. Drawing more pixels than voxels adds nothing a smooth upscale does not (linear interpolation
 * between voxel centres), yet every one of them costs a shader run, which software WebGL pays on the CPU.
 */
export function chooseRenderScale({
  screenRatio,
  viewHeight,
  viewHeightMillimetres,
  finestSpacing
}: RenderScaleInput): number {
  if (!(viewHeight > 0) || !(viewHeightMillimetres > 0) || !(finestSpacing > 0)) return screenRatio;
  const voxelsAcross = viewHeightMillimetres / finestSpacing;
  return Math.min(screenRatio, Math.max(minimumRenderScale, voxelsAcross / viewHeight));
}

/** Whether a view drawn at `current` should be resized for `wanted`: not for small changes, which a zoom makes many of. */
export function isWorthResizing(current: number, wanted: number): boolean {
  return Math.abs(Math.log(wanted / current)) > Math.log(1.25);
}
