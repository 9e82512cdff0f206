/**
 * Fitting a scan's slice into the model's fixed input (height x width) with its physical aspect kept: the slice is
 * scaled uniformly in millimetres and centred, the rest padded. The same mapping, inverted, takes a predicted
 * probability map back to the slice's own voxel grid, so proposals land exactly on the source voxels.
 */
export interface SliceFit {
  /** Source slice size in voxels. */
  columns: number;
  rows: number;
  /** Model input size. */
  height: number;
  width: number;
  /** Source voxels per output pixel, along columns (x) and rows (y). */
  stepX: number;
  stepY: number;
  /** Output pixel where source voxel (0, 0)'s centre lands, minus half a step: output (u, v) samples source (offset + u*step). */
  sourceOriginX: number;
  sourceOriginY: number;
}

export function computeSliceFit(
  columns: number,
  rows: number,
  spacingX: number,
  spacingY: number,
  height: number,
  width: number
): SliceFit {
  const extentX = columns * spacingX;
  const extentY = rows * spacingY;
  // Millimetres per output pixel: the larger of the two so that the whole slice fits.
  const millimetresPerPixel = Math.max(extentX / width, extentY / height);
  const stepX = millimetresPerPixel / spacingX;
  const stepY = millimetresPerPixel / spacingY;
  // Centre: output centre maps to source centre.
  const sourceOriginX = (columns - width * stepX) / 2;
  const sourceOriginY = (rows - height * stepY) / 2;
  return { columns, rows, height, width, stepX, stepY, sourceOriginX, sourceOriginY };
}

/** Resamples a source slice (rows x columns, column fastest) into the model input with bilinear interpolation. */
export function fitSlice(source: Float32Array, fit: SliceFit, background: number): Float32Array {
  const output = new Float32Array(fit.height * fit.width);
  for (let v = 0; v < fit.height; v += 1) {
    const y = fit.sourceOriginY + (v + 0.5) * fit.stepY - 0.5;
    for (let u = 0; u < fit.width; u += 1) {
      const x = fit.sourceOriginX + (u + 0.5) * fit.stepX - 0.5;
      output[v * fit.width + u] = sampleBilinear(source, fit.columns, fit.rows, x, y, background);
    }
  }
  return output;
}

/** Nearest-neighbour version for label maps. */
export function fitMask(source: Uint8Array, fit: SliceFit): Float32Array {
  const output = new Float32Array(fit.height * fit.width);
  for (let v = 0; v < fit.height; v += 1) {
    const y = Math.floor(fit.sourceOriginY + (v + 0.5) * fit.stepY);
    for (let u = 0; u < fit.width; u += 1) {
      const x = Math.floor(fit.sourceOriginX + (u + 0.5) * fit.stepX);
      const inside = x >= 0 && y >= 0 && x < fit.columns && y < fit.rows;
      output[v * fit.width + u] = inside && source[y * fit.columns + x]! > 0 ? 1 : 0;
    }
  }
  return output;
}

/** Takes a model-space map (height x width) back to the source slice grid (rows x columns) with bilinear sampling. */
export function unfitSlice(modelMap: Float32Array, fit: SliceFit): Float32Array {
  const output = new Float32Array(fit.rows * fit.columns);
  for (let y = 0; y < fit.rows; y += 1) {
    const v = (y + 0.5 - fit.sourceOriginY) / fit.stepY - 0.5;
    for (let x = 0; x < fit.columns; x += 1) {
      const u = (x + 0.5 - fit.sourceOriginX) / fit.stepX - 0.5;
      output[y * fit.columns + x] = sampleBilinear(modelMap, fit.width, fit.height, u, v, 0);
    }
  }
  return output;
}

export function sampleBilinear(
  image: Float32Array,
  columns: number,
  rows: number,
  x: number,
  y: number,
  background: number
): number {
  if (x < -0.5 || y < -0.5 || x > columns - 0.5 || y > rows - 0.5) return background;
  const cx = Math.min(Math.max(x, 0), columns - 1);
  const cy = Math.min(Math.max(y, 0), rows - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, columns - 1);
  const y1 = Math.min(y0 + 1, rows - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const top = image[y0 * columns + x0]! * (1 - fx) + image[y0 * columns + x1]! * fx;
  const bottom = image[y1 * columns + x0]! * (1 - fx) + image[y1 * columns + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}
