import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

/**
 * One build for the three Electron bundles. The renderer bundle is also what the web host serves (out/renderer).
 * Cornerstone3D needs: the `events` package (xmlbuilder2 in vtk.js extends EventEmitter), ES workers, and in dev mode
 * the optimizeDeps exclusion below (pre-bundled, two copies of @cornerstonejs/metadata lose the pixel data).
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main.ts'),
          // The training process runs as its own entry (utilityProcess.fork(out/main/jobWorker.js)).
          jobWorker: resolve(import.meta.dirname, 'main/app/jobWorker.ts'),
          // DICOM decoding in worker threads; without it compressed series decode on the main thread.
          decodeWorker: resolve(import.meta.dirname, 'main/imaging/dicom/decodeWorker.ts'),
          // Data-parallel training replicas, one worker thread each (main/training/parallel).
          replicaWorker: resolve(import.meta.dirname, 'main/training/parallel/replicaWorker.ts')
        },
        // Chunks beside the entries: modules find their workers as `./<entry>.js` (main/common/moduleWorker.ts).
        output: { chunkFileNames: '[name]-[hash].js' },
        // Native and wasm-carrying packages stay outside the bundle and are unpacked from the asar. `webgpu` finds its
        // dawn.node next to its own index.js, so it must stay a package too.
        external: ['sqlite3', 'webgpu', /^@tensorflow\//]
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    // Relative asset URLs: the same build loads from the web host and from Electron's file or app protocol.
    base: './',
    plugins: [vue()],
    resolve: { alias: { '@renderer': resolve(import.meta.dirname, 'renderer/src') } },
    worker: { format: 'es' },
    optimizeDeps: { exclude: ['@cornerstonejs/dicom-image-loader', '@cornerstonejs/metadata'] },
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      chunkSizeWarningLimit: 8000,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } }
    }
  }
});
