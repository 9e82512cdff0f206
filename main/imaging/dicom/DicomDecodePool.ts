/**
 * A small pool of worker threads that read and decode DICOM files, so decoding (JPEG 2000 can take a second per frame)
 * never blocks the event loop of the process hosting the core. Files go to whichever worker is free; decoded slices
 * come back as transferred buffers.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../common';
import { ImagingError } from '../ImagingError';
import { createScalarArray, type ScalarTypeName } from '../volume';
import type { DecodedSlice, SliceJob } from './decodeFileSlices';
import type { DecodeRequest, DecodeResponse } from './decodeWorker';

/** The workers could not run here (for example a bundle without the worker file); decode on this thread instead. */
export class WorkerUnavailableError extends Error {}

interface PendingJob {
  request: DecodeRequest;
  resolve: (slices: DecodedSlice[]) => void;
  reject: (error: Error) => void;
}

export function getDefaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export class DicomDecodePool {
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, PendingJob>();
  private readonly queue: PendingJob[] = [];
  private nextId = 0;
  private failure?: Error;

  constructor(size: number) {
    for (let n = 0; n < size; n++) this.idle.push(this.startWorker());
  }

  decode(path: string, slices: SliceJob[], scalarType: ScalarTypeName): Promise<DecodedSlice[]> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.queue.push({ request: { id: this.nextId++, path, slices, scalarType }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...this.running.keys()];
    this.fail(new Error('decode pool closed'));
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private startWorker(): Worker {
    const worker = createDecodeWorker();
    worker.on('message', (response: DecodeResponse) => this.finish(worker, response));
    worker.on('error', (error) =>
      this.fail(new WorkerUnavailableError(`DICOM decode worker failed: ${error.message}`))
    );
    worker.on('exit', (code) => {
      if (code !== 0 && !this.failure)
        this.fail(new WorkerUnavailableError(`DICOM decode worker exited with code ${code}`));
    });
    return worker;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.postMessage(job.request);
    }
  }

  private finish(worker: Worker, response: DecodeResponse): void {
    const job = this.running.get(worker);
    this.running.delete(worker);
    this.idle.push(worker);
    if (job) {
      if ('error' in response)
        job.reject(new ImagingError(response.error.code, response.error.message, response.error.path));
      else
        job.resolve(
          response.slices.map(({ sliceIndex, buffer }) => ({
            sliceIndex,
            scalars: createScalarArray(job.request.scalarType, buffer)
          }))
        );
    }
    this.dispatch();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const job of [...this.running.values(), ...this.queue.splice(0)]) job.reject(this.failure);
    this.running.clear();
  }
}

function createDecodeWorker(): Worker {
  return startModuleWorker(import.meta.url, 'decodeWorker');
}
