/**
 * How many canvas pixels the viewer draws per CSS pixel. Cornerstone sizes every canvas by window.devicePixelRatio
 * and maps pointer positions to the image by the same number, so the viewer sets it (it is a replaceable attribute
 * of the window) and everything else that wants the screen's own ratio asks `screenPixelRatio()`.
 */
const screenDescriptor = Object.getOwnPropertyDescriptor(window, 'devicePixelRatio');

/** The screen's device pixels per CSS pixel, whatever the viewer draws at (it follows a move to another screen). */
export function screenPixelRatio(): number {
  const ratio: unknown = screenDescriptor?.get ? screenDescriptor.get.call(window) : screenDescriptor?.value;
  return typeof ratio === 'number' && ratio > 0 ? ratio : 1;
}

/** The ratio Cornerstone draws at now. */
export function getRenderScale(): number {
  return window.devicePixelRatio;
}

/** Cornerstone draws at `scale` canvas pixels per CSS pixel from the next resize on. */
export function setRenderScale(scale: number): void {
  Object.defineProperty(window, 'devicePixelRatio', { configurable: true, enumerable: true, get: () => scale });
}

/** Back to the screen's own ratio. */
export function resetRenderScale(): void {
  if (screenDescriptor) Object.defineProperty(window, 'devicePixelRatio', screenDescriptor);
}
