/** NIfTI datatype codes and the scalar arrays that hold them. */
import type { ScalarTypeName } from '../volume';

export interface NiftiDatatype {
  code: number;
  bytesPerVoxel: number;
  /** How the voxels are held in memory; 64-bit integers become float64 (exact up to 2^53). */
  scalarType: ScalarTypeName;
  name: string;
  /** How to read one voxel from the file; absent when the file layout equals `scalarType` after byte swapping. */
  isInt64?: 'signed' | 'unsigned';
}

const DATATYPES: NiftiDatatype[] = [
  { code: 2, bytesPerVoxel: 1, scalarType: 'uint8', name: 'unsigned 8-bit' },
  { code: 4, bytesPerVoxel: 2, scalarType: 'int16', name: 'signed 16-bit' },
  { code: 8, bytesPerVoxel: 4, scalarType: 'int32', name: 'signed 32-bit' },
  { code: 16, bytesPerVoxel: 4, scalarType: 'float32', name: '32-bit float' },
  { code: 64, bytesPerVoxel: 8, scalarType: 'float64', name: '64-bit float' },
  { code: 256, bytesPerVoxel: 1, scalarType: 'int8', name: 'signed 8-bit' },
  { code: 512, bytesPerVoxel: 2, scalarType: 'uint16', name: 'unsigned 16-bit' },
  { code: 768, bytesPerVoxel: 4, scalarType: 'uint32', name: 'unsigned 32-bit' },
  { code: 1024, bytesPerVoxel: 8, scalarType: 'float64', name: 'signed 64-bit', isInt64: 'signed' },
  { code: 1280, bytesPerVoxel: 8, scalarType: 'float64', name: 'unsigned 64-bit', isInt64: 'unsigned' }
];

/** Codes that exist in the standard but hold no single grey value per voxel. */
const UNSUPPORTED_NAMES: Record<number, string> = {
  1: '1-bit binary',
  32: 'complex',
  128: 'RGB colour',
  1536: '128-bit float',
  1792: 'complex',
  2048: 'complex',
  2304: 'RGBA colour'
};

export function findNiftiDatatype(code: number): NiftiDatatype | undefined {
  return DATATYPES.find((datatype) => datatype.code === code);
}

export function describeUnsupportedDatatype(code: number): string {
  return UNSUPPORTED_NAMES[code] ?? `unknown (code ${code})`;
}

export function findNiftiDatatypeForScalarType(scalarType: ScalarTypeName): NiftiDatatype {
  return DATATYPES.find((datatype) => datatype.scalarType === scalarType && !datatype.isInt64)!;
}
