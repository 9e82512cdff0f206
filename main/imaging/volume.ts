/**
 * The one in-memory model of an image volume, shared by every reader, writer, the store, the viewer stream and the
 * training slicer.
 *
 * Voxel order: i (column) fastest, then j (row), then k (slice) — the order of NIfTI files and of Cornerstone volumes.
 * Geometry: `voxelToPatient` is a 4x4 row-major affine mapping (i, j, k, 1) to patient coordinates in millimetres in
 * DICOM's LPS convention. It may be sheared (gantry tilt), so spacing and direction are derived from it, never stored
 * apart from it.
 */
export type ScalarArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export type ScalarTypeName = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

export type Vec3 = [number, number, number];

/** Row-major 4x4 matrix, 16 numbers. */
export type Matrix4 = number[];

export interface VolumeGeometry {
  /** [columns (i), rows (j), slices (k)] */
  dimensions: Vec3;
  /** LPS millimetres of voxel (i, j, k); last row is [0, 0, 0, 1]. */
  voxelToPatient: Matrix4;
  /**
   * How a NIfTI file written from this volume orders its voxels. DICOM series set it to dcm2niix's layout (rows
   * reversed; 3D acquisitions turned to the nearest orthogonal axes) so an exported mask overlays dcm2niix's image voxel
   * for voxel; the affine written compensates, so no voxel moves in patient space. Absent: the volume's own order.
   */
  niftiLayout?: NiftiLayout;
}

/** File axis n runs along volume axis `axes[n]`, reversed where `flips[n]`. */
export interface NiftiLayout {
  axes: [0 | 1 | 2, 0 | 1 | 2, 0 | 1 | 2];
  flips: [boolean, boolean, boolean];
}

export interface Volume {
  geometry: VolumeGeometry;
  scalars: ScalarArray;
}

export function scalarTypeNameOf(array: ScalarArray): ScalarTypeName {
  if (array instanceof Uint8Array) return 'uint8';
  if (array instanceof Int8Array) return 'int8';
  if (array instanceof Uint16Array) return 'uint16';
  if (array instanceof Int16Array) return 'int16';
  if (array instanceof Uint32Array) return 'uint32';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Float32Array) return 'float32';
  return 'float64';
}

export function createScalarArray(type: ScalarTypeName, buffer: ArrayBuffer | number): ScalarArray {
  const arg = buffer as ArrayBuffer;
  switch (type) {
    case 'uint8':
      return new Uint8Array(arg);
    case 'int8':
      return new Int8Array(arg);
    case 'uint16':
      return new Uint16Array(arg);
    case 'int16':
      return new Int16Array(arg);
    case 'uint32':
      return new Uint32Array(arg);
    case 'int32':
      return new Int32Array(arg);
    case 'float32':
      return new Float32Array(arg);
    case 'float64':
      return new Float64Array(arg);
  }
}
