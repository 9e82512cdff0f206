/**
 * Shape-based interpolation between two drawn slices (as Slicer's "Fill between slices" and ITK-SNAP's interpolation):
 * each drawn slice becomes a signed distance map (positive inside), the maps are blended linearly along k, and a
 * slice in between is tumour where the blend is positive. Returns the labels of each slice strictly between.
 */
export function interpolateSlices(
  lower: Uint8Array,
  upper: Uint8Array,
  gap: number,
  columns: number,
  rows: number
): Uint8Array[] {
  const lowerDistance = computeSignedDistance(lower, columns, rows);
  const upperDistance = computeSignedDistance(upper, columns, rows);
  const slices: Uint8Array[] = [];
  for (let step = 1; step < gap; step++) {
    const t = step / gap;
    const labels = new Uint8Array(lower.length);
    for (let index = 0; index < labels.length; index++) {
      if ((1 - t) * lowerDistance[index]! + t * upperDistance[index]! > 0) labels[index] = 1;
    }
    slices.push(labels);
  }
  return slices;
}

/** Distance to the boundary in voxels (two-pass chamfer, 3-4 weights), positive inside the labels, negative outside. */
export function computeSignedDistance(labels: Uint8Array, columns: number, rows: number): Float32Array {
  const inside = chamferDistance(labels, columns, rows, 1);
  const outside = chamferDistance(labels, columns, rows, 0);
  const signed = new Float32Array(labels.length);
  for (let index = 0; index < labels.length; index++) {
    signed[index] = labels[index] ? inside[index]! - 0.5 : -(outside[index]! - 0.5);
  }
  return signed;
}

/** Distance from each voxel whose label is `of` (as 0/non-0) to the nearest voxel that is not. */
function chamferDistance(labels: Uint8Array, columns: number, rows: number, of: 0 | 1): Float32Array {
  const far = columns + rows;
  const distance = new Float32Array(labels.length);
  for (let index = 0; index < labels.length; index++) distance[index] = (labels[index] ? 1 : 0) === of ? far : 0;
  const relax = (index: number, neighbour: number, cost: number) => {
    const candidate = distance[neighbour]! + cost;
    if (candidate < distance[index]!) distance[index] = candidate;
  };
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < columns; i++) {
      const index = j * columns + i;
      if (i > 0) relax(index, index - 1, 1);
      if (j > 0) {
        relax(index, index - columns, 1);
        if (i > 0) relax(index, index - columns - 1, 4 / 3);
        if (i < columns - 1) relax(index, index - columns + 1, 4 / 3);
      }
    }
  }
  for (let j = rows - 1; j >= 0; j--) {
    for (let i = columns - 1; i >= 0; i--) {
      const index = j * columns + i;
      if (i < columns - 1) relax(index, index + 1, 1);
      if (j < rows - 1) {
        relax(index, index + columns, 1);
        if (i < columns - 1) relax(index, index + columns + 1, 4 / 3);
        if (i > 0) relax(index, index + columns - 1, 4 / 3);
      }
    }
  }
  return distance;
}
