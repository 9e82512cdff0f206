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
  const warp = createWarpField(settings, random, height, width);
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
      const at = v * width + u;
      const x0 = (flipX ? width - 1 - u : u) - centreX + warp.dx[at]!;
      const y0 = (flipY ? height - 1 - v : v) - centreY + warp.dy[at]!;
      const x = reflect(Math.round(cos * x0 - sin * y0 + centreX), width);
      const y = reflect(Math.round(sin * x0 + cos * y0 + centreY), height);
      const source = y * width + x;
      if (channels === 1) outImage[at] = image[source]! + shift;
      else for (let c = 0; c < channels; c += 1) outImage[at * channels + c] = image[source * channels + c]! + shifts[c]!;
      if (outMask && mask) outMask[at] = mask[source]!;
    }
  }
  return { image: outImage, mask: outMask };
}

/**
 * Random displacements on a coarse grid, interpolated smoothly (cubic Hermite) over the image: one displacement per
 * pixel (x and y), all zero when the warp is off. The control points are drawn x then y, point after point, as the
 * first implementation drew them (data.test.ts pins what seeds draw).
 */
function createWarpField(
  settings: AugmentationSettings,
  random: Random,
  height: number,
  width: number
): { dx: Float64Array; dy: Float64Array } {
  const dx = new Float64Array(height * width);
  const dy = new Float64Array(height * width);
  const n = settings.warpGrid;
  if (settings.warpSigma <= 0 || n < 2) return { dx, dy };
  // Control point (a, b) holds its x displacement at 2 (b n + a) and its y displacement just after.
  const grid = new Float64Array(2 * n * n);
  for (let point = 0; point < n * n; point += 1) {
    grid[2 * point] = random.normal() * settings.warpSigma;
    grid[2 * point + 1] = random.normal() * settings.warpSigma;
  }
  // Cell and Hermite weight of each column and each row: the field is separable in where it reads, not in its values.
  const cells = (count: number) => {
    const cell = new Int32Array(count);
    const weight = new Float64Array(count);
    for (let k = 0; k < count; k += 1) {
      const g = (k / Math.max(1, count - 1)) * (n - 1);
      cell[k] = Math.min(Math.floor(g), n - 2);
      const f = g - cell[k]!;
      weight[k] = f * f * (3 - 2 * f);
    }
    return { cell, weight };
  };
  const columns = cells(width);
  const rows = cells(height);
  for (let v = 0; v < height; v += 1) {
    const j = rows.cell[v]!;
    const fy = rows.weight[v]!;
    for (let u = 0; u < width; u += 1) {
      const i = columns.cell[u]!;
      const fx = columns.weight[u]!;
      const p00 = 2 * (j * n + i);
      const p10 = p00 + 2;
      const p01 = p00 + 2 * n;
      const p11 = p01 + 2;
      const at = v * width + u;
      dx[at] = (grid[p00]! * (1 - fx) + grid[p10]! * fx) * (1 - fy) + (grid[p01]! * (1 - fx) + grid[p11]! * fx) * fy;
      dy[at] =
        (grid[p00 + 1]! * (1 - fx) + grid[p10 + 1]! * fx) * (1 - fy) + (grid[p01 + 1]! * (1 - fx) + grid[p11 + 1]! * fx) * fy;
    }
  }
  return { dx, dy };
}

function reflect(index: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  let folded = index % period;
  if (folded < 0) folded += period;
  return folded < size ? folded : period - folded;
}
