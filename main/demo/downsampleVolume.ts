import { createScalarArray, scalarTypeNameOf, type Vec3, type Volume } from '../imaging';

/**
 * Block-averages a volume by integer factors along i, j, k, keeping its scalar type. The affine's columns grow by the
 * factors and the origin moves to the centre of the first block, so the smaller volume lies exactly where the large
 * one did in patient space.
 */
export function downsampleVolume(volume: Volume, factors: Vec3): Volume {
  const [ni, nj, nk] = volume.geometry.dimensions;
  const [fi, fj, fk] = factors;
  const dimensions: Vec3 = [Math.floor(ni / fi), Math.floor(nj / fj), Math.floor(nk / fk)];
  const scalars = createScalarArray(scalarTypeNameOf(volume.scalars), dimensions[0] * dimensions[1] * dimensions[2]);
  const integer = !(scalars instanceof Float32Array || scalars instanceof Float64Array);
  for (let k = 0; k < dimensions[2]; k += 1) {
    for (let j = 0; j < dimensions[1]; j += 1) {
      for (let i = 0; i < dimensions[0]; i += 1) {
        let sum = 0;
        for (let c = 0; c < fk; c += 1) {
          for (let b = 0; b < fj; b += 1) {
            const row = ((k * fk + c) * nj + (j * fj + b)) * ni + i * fi;
            for (let a = 0; a < fi; a += 1) sum += volume.scalars[row + a]!;
          }
        }
        const mean = sum / (fi * fj * fk);
        scalars[(k * dimensions[1] + j) * dimensions[0] + i] = integer ? Math.round(mean) : mean;
      }
    }
  }
  const m = volume.geometry.voxelToPatient;
  const affine = [...m];
  for (let row = 0; row < 3; row += 1) {
    affine[row * 4 + 3] = m[row * 4 + 3]! + m[row * 4]! * (fi - 1) / 2 + m[row * 4 + 1]! * (fj - 1) / 2 + m[row * 4 + 2]! * (fk - 1) / 2;
    affine[row * 4] = m[row * 4]! * fi;
    affine[row * 4 + 1] = m[row * 4 + 1]! * fj;
    affine[row * 4 + 2] = m[row * 4 + 2]! * fk;
  }
  return { geometry: { dimensions, voxelToPatient: affine }, scalars };
}
