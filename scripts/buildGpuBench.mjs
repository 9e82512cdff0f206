/**
 * Bundles bench/gpu.ts into one ES module for scripts/gpu-bench.sh: node scripts/buildGpuBench.mjs OUT_FILE.
 * The CommonJS builds of tfjs are taken (`main`), so that every package shares one tfjs-core, as under plain Node.
 * `webgpu` stays a package (its index.js finds dawn.node beside itself); the wasm and native TensorFlow backends are
 * left out (the bench runs WebGPU only; selectBackend loads them on demand).
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = process.argv[2];
if (!outfile) {
  console.error('usage: node scripts/buildGpuBench.mjs OUT_FILE');
  process.exit(2);
}
await build({
  stdin: {
    contents: "import run from './bench/gpu.ts';\nawait run(process.argv.slice(2));\nprocess.exit(process.exitCode ?? 0);\n",
    resolveDir: root,
    sourcefile: 'gpu-bench-entry.ts',
    loader: 'ts'
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  mainFields: ['main'],
  external: ['webgpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  // CommonJS code inside an ES module bundle still calls require() for Node's own modules.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning'
});
