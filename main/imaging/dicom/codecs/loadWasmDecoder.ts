/**
 * The Cornerstone codec packages (CharLS for JPEG-LS, OpenJPEG for JPEG 2000, libjpeg-turbo for 8-bit JPEG) are
 * Emscripten builds that ship their WebAssembly; in Node the .wasm is read from the package and handed over as bytes,
 * so nothing is fetched. Each module is instantiated once per thread and its decoder object reused.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The part of the codecs' embind decoder API used here (the same across the three packages). */
export interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  getInterleaveMode?(): number;
}

type DecoderClassName = 'JpegLSDecoder' | 'J2KDecoder' | 'JPEGDecoder';
type CodecModule = Record<DecoderClassName, new () => WasmFrameDecoder>;
type CodecFactory = (options: {
  wasmBinary: Uint8Array;
  print: (text: string) => void;
  printErr: (text: string) => void;
}) => Promise<CodecModule>;

const require = createRequire(import.meta.url);
const decoders = new Map<string, Promise<WasmFrameDecoder>>();

export function loadWasmDecoder(packageName: string, className: DecoderClassName): Promise<WasmFrameDecoder> {
  let decoder = decoders.get(packageName);
  if (!decoder) {
    decoder = instantiate(packageName, className);
    decoders.set(packageName, decoder);
    decoder.catch(() => decoders.delete(packageName));
  }
  return decoder;
}

async function instantiate(packageName: string, className: DecoderClassName): Promise<WasmFrameDecoder> {
  const imported = require(`${packageName}/decodewasmjs`) as CodecFactory | { default: CodecFactory };
  const factory = typeof imported === 'function' ? imported : imported.default;
  const wasmBinary = readFileSync(require.resolve(`${packageName}/decodewasm`));
  // OpenJPEG narrates every decode on stdout; the application reports problems itself.
  const codec = await factory({ wasmBinary, print: () => undefined, printErr: () => undefined });
  return new codec[className]();
}

/** Runs one decode and copies the pixels out of WebAssembly memory (the next decode reuses that memory). */
export function decodeWithWasm(
  decoder: WasmFrameDecoder,
  compressed: Uint8Array
): { bytes: Uint8Array; info: ReturnType<WasmFrameDecoder['getFrameInfo']>; interleaveMode: number } {
  decoder.getEncodedBuffer(compressed.length).set(compressed);
  decoder.decode();
  const info = decoder.getFrameInfo();
  const decoded = decoder.getDecodedBuffer();
  const bytes = new Uint8Array(decoded.length);
  bytes.set(decoded);
  return { bytes, info, interleaveMode: decoder.getInterleaveMode?.() ?? 2 };
}
