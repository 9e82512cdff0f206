import type { Random } from '../../common';

export interface AugmentationSettings {
  /** Maximum rotation, degrees. */
  rotationDegrees: number;
  /** Maximum relative zoom. */
  zoom: number;
  /** Maximum intensity shift (added). */
  intensityShift: number;
  flipProbability: number;
  /** Standard deviation of the elastic control-point displacements, in pixels (0 disables). */
  warpSigma: number;
  /** Control points per side of the warp grid. */
  warpGrid: number;
}

/** docs/genseg.md#brats-2017, with the warp's sigma scaled from the paper's 240-pixel height to the model's. */
export function paperAugmentation(height: number): AugmentationSettings {
  return {
    rotationDegrees: 3,
    zoom: 0.1,
    intensityShift: 0.1,
    flipProbability: 0.5,
    warpSigma: (5 * height) / 240,
    warpGrid: 3
  };
}

/**
 * One random spatial transform (rotation, zoom, flips, smooth warp) applied to an image and, identically, to its mask,
 * with nearest-neighbour sampling and reflected borders as in the authors' data tools, then an intensity shift of
 * the image. With several channels (height x width x channels, channels fastest) every channel moves with the same
 * transform and gets its own shift, as the paper's per-channel shift; one channel draws exactly what it always drew.
 */
export function augmentSlice(
  image: Float32Array,
  mask: Float32Array | null,
  height: number,
  width: number,
  settings: AugmentationSettings,
  random: Random,
  channels = 1
): { image: Float32Array; mask: Float32Array | null } {
  const angle = (random.uniform(-1, 1) * settings.rotationDegrees * Math.PI) / 180;
  const scale = 1 + random.uniform(-1, 1) * settings.zoom;
  const flipX = random.next() < settings.flipProbability;
  const flipY = random.next() < settings.flipProbability;
  const warp = createWarpField(settings, random);
  const shifts = Array.from({ length: channels }, () => random.uniform(-1, 1) * settings.intensityShift);
  const shift = shifts[0]!;
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  const centreX = (width - 1) / 2;
  const centreY = (height - 1) / 2;
  const outImage = new Float32Array(height * width * channels);
  const outMask = mask ? new Float32Array(height * width) : null;
  for (let v = 0; v < height; v += 1) {
    for (let u = 0; u < width; u += 1) {
      const [dx, dy] = warp(u / Math.max(1, width - 1), v / Math.max(1, height - 1));
      const x0 = (flipX ? width - 1 - u : u) - centreX + dx;
      const y0 = (flipY ? height - 1 - v : v) - centreY + dy;
      const x = reflect(Math.round(cos * x0 - sin * y0 + centreX), width);
      const y = reflect(Math.round(sin * x0 + cos * y0 + centreY), height);
      const source = y * width + x;
      if (channels === 1) outImage[v * width + u] = image[source]! + shift;
      else for (let c = 0; c < channels; c += 1) outImage[(v * width + u) * channels + c] = image[source * channels + c]! + shifts[c]!;
      if (outMask && mask) outMask[v * width + u] = mask[source]!;
    }
  }
  return { image: outImage, mask: outMask };
}

/** Random displacements on a coarse grid, interpolated smoothly (cubic Hermite) over the image. */
function createWarpField(
  settings: AugmentationSettings,
  random: Random
): (s: number, t: number) => [number, number] {
  const n = settings.warpGrid;
  if (settings.warpSigma <= 0 || n < 2) return () => [0, 0];
  const grid = Array.from({ length: n * n }, () => [
    random.normal() * settings.warpSigma,
    random.normal() * settings.warpSigma
  ]);
  const smooth = (f: number) => f * f * (3 - 2 * f);
  return (s, t) => {
    const gx = s * (n - 1);
    const gy = t * (n - 1);
    const i = Math.min(Math.floor(gx), n - 2);
    const j = Math.min(Math.floor(gy), n - 2);
    const fx = smooth(gx - i);
    const fy = smooth(gy - j);
    const at = (a: number, b: number) => grid[b * n + a]!;
    const mix = (k: 0 | 1) =>
      (at(i, j)[k]! * (1 - fx) + at(i + 1, j)[k]! * fx) * (1 - fy) +
      (at(i, j + 1)[k]! * (1 - fx) + at(i + 1, j + 1)[k]! * fx) * fy;
    return [mix(0), mix(1)];
  };
}

function reflect(index: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  let folded = index % period;
  if (folded < 0) folded += period;
  return folded < size ? folded : period - folded;
}
