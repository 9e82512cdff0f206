import type { DecodedImage } from './decodePng';

export interface ImageStatistics {
  /** Distinct grey levels (the mean of R, G and B, rounded). */
  distinctGreyLevels: number;
  mean: number;
  standardDeviation: number;
  /** Share of pixels brighter than 10 of 255: how much of the viewport shows something. */
  nonBlackFraction: number;
  /**
   * Bounding box of the image content: the columns and rows in which more than 5% of the pixels are brighter than
   * 40 of 255 (so that neither the overlay's letters nor the dim slice bar count).
   */
  content: { left: number; top: number; right: number; bottom: number };
}

export function measureImage({ width, height, rgba }: DecodedImage): ImageStatistics {
  const levels = new Set<number>();
  let sum = 0;
  let sumOfSquares = 0;
  let nonBlack = 0;
  const brightInColumn = new Uint32Array(width);
  const brightInRow = new Uint32Array(height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const index = (y * width + x) * 4;
      const grey = Math.round((rgba[index] + rgba[index + 1] + rgba[index + 2]) / 3);
      levels.add(grey);
      sum += grey;
      sumOfSquares += grey * grey;
      if (grey > 10) nonBlack++;
      if (grey > 40) {
        brightInColumn[x]++;
        brightInRow[y]++;
      }
    }
  }
  const [left, right] = spanAbove(brightInColumn, height * 0.05);
  const [top, bottom] = spanAbove(brightInRow, width * 0.05);
  const content = { left, top, right, bottom };
  const count = width * height;
  const mean = sum / count;
  return {
    distinctGreyLevels: levels.size,
    mean,
    standardDeviation: Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean)),
    nonBlackFraction: nonBlack / count,
    content
  };
}

/** First and last index whose count exceeds `threshold`. */
function spanAbove(counts: Uint32Array, threshold: number): [number, number] {
  const indices = [...counts.keys()].filter((index) => counts[index] > threshold);
  return indices.length > 0 ? [indices[0], indices[indices.length - 1]] : [-1, -1];
}

export interface RegionCentroid {
  /** Pixels counted. */
  count: number;
  /** Centroid relative to the image centre, as a fraction of the half-size: -1 left/top, +1 right/bottom. */
  x: number;
  y: number;
  /** Pixels counted over the area of their bounding box: 1 for a filled rectangle aligned with the screen. */
  fillOfBoundingBox: number;
}

/**
 * Where the pixels with a grey level in [lowest, highest] lie, ignoring a margin along the edges (where the overlay
 * prints its text).
 */
export function locateGreyLevels(
  { width, height, rgba }: DecodedImage,
  lowest: number,
  highest: number,
  margin = 40
): RegionCentroid {
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  const box = { left: width, top: height, right: -1, bottom: -1 };
  for (let y = margin; y < height - margin; y++) {
    for (let x = margin; x < width - margin; x++) {
      const index = (y * width + x) * 4;
      const grey = (rgba[index] + rgba[index + 1] + rgba[index + 2]) / 3;
      if (grey < lowest || grey > highest) continue;
      count++;
      sumX += x;
      sumY += y;
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x);
      box.top = Math.min(box.top, y);
      box.bottom = Math.max(box.bottom, y);
    }
  }
  if (count === 0) return { count, x: 0, y: 0, fillOfBoundingBox: 0 };
  return {
    count,
    x: (sumX / count - width / 2) / (width / 2),
    y: (sumY / count - height / 2) / (height / 2),
    fillOfBoundingBox: count / ((box.right - box.left + 1) * (box.bottom - box.top + 1))
  };
}

/**
 * How far two screenshots of the same size differ, inside a margin along the edges (where overlay text differs):
 * the mean absolute grey difference and the share of pixels that differ by more than 16 of 255.
 */
export function compareImages(
  first: DecodedImage,
  second: DecodedImage,
  margin = 40
): { meanDifference: number; differingFraction: number } {
  if (first.width !== second.width || first.height !== second.height) throw new Error('the screenshots differ in size');
  let total = 0;
  let differing = 0;
  let count = 0;
  for (let y = margin; y < first.height - margin; y++) {
    for (let x = margin; x < first.width - margin; x++) {
      const index = (y * first.width + x) * 4;
      const greyFirst = (first.rgba[index] + first.rgba[index + 1] + first.rgba[index + 2]) / 3;
      const greySecond = (second.rgba[index] + second.rgba[index + 1] + second.rgba[index + 2]) / 3;
      const difference = Math.abs(greyFirst - greySecond);
      total += difference;
      if (difference > 16) differing++;
      count++;
    }
  }
  return { meanDifference: total / count, differingFraction: differing / count };
}
