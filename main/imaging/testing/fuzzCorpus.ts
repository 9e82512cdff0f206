/**
 * Test helper: a seeded, reproducible corpus of broken files made from real ones: DICOM truncations, splices,
 * mutated element lengths and VRs, flipped header bytes, garbage after a valid header, lying image sizes; NIfTI headers
 * that lie about dimensions, datatype, voxel size, offset, scaling and affine, and cut files (plain and gzip).
 * The same seed always gives the same bytes, so a failure names a case that can be made again.
 */
import dicomParser from 'dicom-parser';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Random } from '../../common';
import { concatBytes } from './dicomElementBytes';

export interface FuzzCase {
  name: string;
  kind: 'dicom' | 'nifti';
  /** File name to write the bytes under (the extension matters for NIfTI). */
  fileName: string;
  bytes: Uint8Array;
}

export interface FuzzSource {
  name: string;
  bytes: Uint8Array;
}

const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random.next() * values.length)]!;
const integer = (random: Random, low: number, high: number): number => low + Math.floor(random.next() * (high - low));

interface ElementSite {
  tag: string;
  /** Where the element's header starts, its length field, and its size (2 or 4 bytes); VR offset when explicit. */
  headerOffset: number;
  lengthOffset: number;
  lengthSize: 2 | 4;
  vrOffset?: number;
}

/** Top-level elements before the pixel data, with where their length and VR bytes are. */
function findElementSites(bytes: Uint8Array): { sites: ElementSite[]; pixelOffset: number; little: boolean } {
  // dicom-parser inflates deflated files only from a Node Buffer.
  const dataSet = dicomParser.parseDicom(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), {
    untilTag: 'x7fe00010'
  });
  const syntax = dataSet.string('x00020010');
  const implicit = syntax === '1.2.840.10008.1.2';
  const little = syntax !== '1.2.840.10008.1.2.2';
  const deflated = syntax === '1.2.840.10008.1.2.1.99';
  const sites: ElementSite[] = [];
  for (const element of Object.values(dataSet.elements)) {
    const meta = element.tag.startsWith('x0002');
    if (deflated && !meta) continue;
    if (implicit && !meta) {
      sites.push({
        tag: element.tag,
        headerOffset: element.dataOffset - 8,
        lengthOffset: element.dataOffset - 4,
        lengthSize: 4
      });
      continue;
    }
    const long = ['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'OV'].includes(element.vr ?? '');
    const headerOffset = element.dataOffset - (long ? 12 : 8);
    sites.push({
      tag: element.tag,
      headerOffset,
      lengthOffset: element.dataOffset - (long ? 4 : 2),
      lengthSize: long ? 4 : 2,
      vrOffset: headerOffset + 4
    });
  }
  sites.sort((a, b) => a.headerOffset - b.headerOffset);
  const pixel = sites.find((site) => site.tag === 'x7fe00010');
  return { sites, pixelOffset: pixel?.headerOffset ?? bytes.length, little };
}

export function createDicomFuzzCases(sources: FuzzSource[], seed: number, perSource: number): FuzzCase[] {
  const random = new Random(seed);
  const cases: FuzzCase[] = [];
  // Node Buffers' slice() shares memory: work on plain copies so that no mutation leaks into the next case.
  sources = sources.map((source) => ({ name: source.name, bytes: new Uint8Array(source.bytes) }));
  sources.forEach((source, sourceIndex) => {
    const { sites, pixelOffset, little } = findElementSites(source.bytes);
    const mutations: [string, () => Uint8Array][] = [
      ['truncated', () => source.bytes.slice(0, integer(random, 0, source.bytes.length))],
      ['truncated-in-header', () => source.bytes.slice(0, integer(random, 0, pixelOffset + 12))],
      [
        'spliced',
        () => {
          const other = sources[(sourceIndex + 1 + integer(random, 0, sources.length - 1)) % sources.length]!.bytes;
          const cut = integer(random, 132, Math.min(source.bytes.length, pixelOffset + 64));
          return concatBytes([source.bytes.subarray(0, cut), other.subarray(integer(random, 0, other.length))]);
        }
      ],
      [
        'length',
        () => {
          const bytes = source.bytes.slice();
          const site = pick(random, sites);
          const view = new DataView(bytes.buffer);
          const current =
            site.lengthSize === 2
              ? view.getUint16(site.lengthOffset, little)
              : view.getUint32(site.lengthOffset, little);
          const value = pick(random, [
            0,
            1,
            3,
            current + 1,
            current + 2,
            current * 2,
            Math.max(0, current - 2),
            0xffffffff,
            0x7fffffff,
            bytes.length,
            integer(random, 0, 0xffffffff)
          ]);
          if (site.lengthSize === 2) view.setUint16(site.lengthOffset, value & 0xffff, little);
          else view.setUint32(site.lengthOffset, value >>> 0, little);
          return bytes;
        }
      ],
      [
        'vr',
        () => {
          const bytes = source.bytes.slice();
          const withVr = sites.filter((site) => site.vrOffset !== undefined);
          if (withVr.length === 0) return flipBytes(random, bytes, pixelOffset);
          const site = pick(random, withVr);
          const vr = pick(random, [
            'SQ',
            'OB',
            'UN',
            'UT',
            'US',
            'UL',
            'FD',
            'AT',
            'XX',
            '\0\0',
            String.fromCharCode(integer(random, 0, 256), integer(random, 0, 256))
          ]);
          bytes[site.vrOffset!] = vr.charCodeAt(0) & 0xff;
          bytes[site.vrOffset! + 1] = vr.charCodeAt(1) & 0xff;
          return bytes;
        }
      ],
      ['flipped', () => flipBytes(random, source.bytes.slice(), pixelOffset)],
      [
        'garbage-after-header',
        () => {
          const bytes = source.bytes.slice();
          for (let n = pixelOffset; n < bytes.length; n++) bytes[n] = integer(random, 0, 256);
          return bytes;
        }
      ],
      [
        'inserted',
        () => {
          const at = integer(random, 132, pixelOffset + 1);
          const junk = Uint8Array.from({ length: integer(random, 1, 64) }, () => integer(random, 0, 256));
          return concatBytes([source.bytes.subarray(0, at), junk, source.bytes.subarray(at)]);
        }
      ],
      [
        'lying-value',
        () => {
          // Rows, Columns, BitsAllocated, SamplesPerPixel... (US values) set to extremes.
          const bytes = source.bytes.slice();
          const view = new DataView(bytes.buffer);
          const us = sites.filter(
            (site) => /^x0028(0002|0010|0011|0100|0101|0102|0103|0006)$/.test(site.tag) && site.lengthSize === 2
          );
          if (us.length === 0) return flipBytes(random, bytes, pixelOffset);
          const site = pick(random, us);
          view.setUint16(
            site.lengthOffset + 2,
            pick(random, [0, 1, 2, 3, 7, 12, 15, 17, 24, 31, 32, 33, 64, 255, 4096, 65535]),
            little
          );
          return bytes;
        }
      ]
    ];
    for (let n = 0; n < perSource; n++) {
      const [label, mutate] = mutations[n % mutations.length]!;
      cases.push({ name: `${source.name}-${label}-${n}`, kind: 'dicom', fileName: 'image.dcm', bytes: mutate() });
    }
  });
  return cases;
}

function flipBytes(random: Random, bytes: Uint8Array, end: number): Uint8Array {
  const count = integer(random, 1, 17);
  for (let n = 0; n < count; n++) bytes[integer(random, 132, Math.max(133, end))] = integer(random, 0, 256);
  return bytes;
}

/** NIfTI-1 (348-byte header) and NIfTI-2 (540-byte) field offsets. */
const NIFTI_FIELDS = {
  1: {
    dim: 40,
    dimSize: 2,
    datatype: 70,
    bitpix: 72,
    pixdim: 76,
    pixdimSize: 4,
    voxOffset: 108,
    voxSize: 4,
    slope: 112,
    inter: 116,
    qformCode: 252,
    sformCode: 254,
    quatern: 256,
    srow: 280,
    floatSize: 4
  },
  2: {
    dim: 16,
    dimSize: 8,
    datatype: 12,
    bitpix: 14,
    pixdim: 104,
    pixdimSize: 8,
    voxOffset: 168,
    voxSize: 8,
    slope: 176,
    inter: 184,
    qformCode: 344,
    sformCode: 348,
    quatern: 352,
    srow: 400,
    floatSize: 8
  }
} as const;

export function createNiftiFuzzCases(sources: FuzzSource[], seed: number, perSource: number): FuzzCase[] {
  const random = new Random(seed);
  const cases: FuzzCase[] = [];
  for (const source of sources) {
    const raw = new Uint8Array(isGzip(source.bytes) ? gunzipSync(source.bytes) : source.bytes);
    const view0 = new DataView(raw.buffer);
    const little = view0.getInt32(0, true) === 348 || view0.getInt32(0, true) === 540;
    const version = (little ? view0.getInt32(0, true) : view0.getInt32(0, false)) === 540 ? 2 : 1;
    const f = NIFTI_FIELDS[version];
    const setInt = (view: DataView, offset: number, size: number, value: number): void => {
      if (size === 2) view.setInt16(offset, value, little);
      else if (size === 4) view.setInt32(offset, value, little);
      else view.setBigInt64(offset, BigInt(Math.trunc(value)), little);
    };
    const setFloat = (view: DataView, offset: number, size: number, value: number): void =>
      size === 4 ? view.setFloat32(offset, value, little) : view.setFloat64(offset, value, little);
    const strange = [NaN, Infinity, -Infinity, 0, -1, 1e-30, 1e30, 0.5, 3];
    const mutations: [string, (bytes: Uint8Array, view: DataView) => Uint8Array][] = [
      [
        'dims',
        (bytes, view) => {
          const axis = integer(random, 0, 8);
          setInt(
            view,
            f.dim + axis * f.dimSize,
            f.dimSize,
            pick(random, [0, -1, 1, 2, 5, 7, 8, 9, 100, 400, 32767, -32768])
          );
          return bytes;
        }
      ],
      [
        'more-data-than-held',
        (bytes, view) => {
          setInt(view, f.dim, f.dimSize, 4);
          setInt(view, f.dim + 4 * f.dimSize, f.dimSize, pick(random, [2, 3, 10]));
          return bytes;
        }
      ],
      [
        'datatype',
        (bytes, view) => {
          view.setInt16(
            f.datatype,
            pick(random, [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2304, 9999, -1]),
            little
          );
          if (random.next() < 0.5) view.setInt16(f.bitpix, pick(random, [0, 1, 8, 16, 13, 64, -8]), little);
          return bytes;
        }
      ],
      [
        'pixdim',
        (bytes, view) => {
          setFloat(view, f.pixdim + integer(random, 0, 8) * f.pixdimSize, f.pixdimSize, pick(random, strange));
          return bytes;
        }
      ],
      [
        'vox-offset',
        (bytes, view) => {
          const value = pick(random, [
            0,
            1,
            347,
            348,
            352,
            353,
            541,
            544,
            raw.length,
            raw.length + 1000,
            2 ** 30,
            -4,
            NaN
          ]);
          if (f.voxSize === 4) view.setFloat32(f.voxOffset, value, little);
          else view.setBigInt64(f.voxOffset, BigInt(Number.isNaN(value) ? -1 : value), little);
          return bytes;
        }
      ],
      [
        'scaling',
        (bytes, view) => {
          setFloat(view, random.next() < 0.5 ? f.slope : f.inter, f.floatSize, pick(random, strange));
          return bytes;
        }
      ],
      [
        'affine',
        (bytes, view) => {
          view.setInt16(f.qformCode, pick(random, [0, 1, 2, 5, -1, 300]), little);
          view.setInt16(f.sformCode, pick(random, [0, 1, 2, 5, -1, 300]), little);
          const target =
            random.next() < 0.5
              ? f.srow + integer(random, 0, 12) * f.floatSize
              : f.quatern + integer(random, 0, 6) * f.floatSize;
          setFloat(view, target, f.floatSize, pick(random, strange));
          return bytes;
        }
      ],
      [
        'header-bytes',
        (bytes) => {
          const count = integer(random, 1, 9);
          for (let n = 0; n < count; n++)
            bytes[integer(random, 0, version === 1 ? 352 : 544)] = integer(random, 0, 256);
          return bytes;
        }
      ],
      ['truncated', (bytes) => bytes.slice(0, integer(random, 0, bytes.length))]
    ];
    for (let n = 0; n < perSource; n++) {
      const [label, mutate] = mutations[n % mutations.length]!;
      const bytes = raw.slice();
      let result = mutate(bytes, new DataView(bytes.buffer));
      const compressed = n % 2 === 1;
      if (compressed) {
        result = new Uint8Array(gzipSync(result, { level: 1 }));
        // Some gzip files are cut too, after compression.
        if (label === 'truncated') result = result.slice(0, integer(random, 0, result.length));
      }
      cases.push({
        name: `${source.name}-${label}-${n}`,
        kind: 'nifti',
        fileName: compressed ? 'image.nii.gz' : 'image.nii',
        bytes: result
      });
    }
  }
  return cases;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}
