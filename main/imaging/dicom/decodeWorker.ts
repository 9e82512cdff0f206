/**
 * Worker-thread entry of the DICOM decode pool: reads one file, decodes its slices and sends them back with their
 * buffers transferred (not copied). Expected failures travel as `{ code, message, path }`.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { describeFileSystemError, ImagingError } from '../ImagingError';
import type { ScalarTypeName } from '../volume';
import { decodeFileSlices, type SliceJob } from './decodeFileSlices';

export interface DecodeRequest {
  id: number;
  path: string;
  slices: SliceJob[];
  scalarType: ScalarTypeName;
}

export type DecodeResponse =
  | { id: number; slices: { sliceIndex: number; buffer: ArrayBuffer }[] }
  | { id: number; error: { code: ImagingError['code']; message: string; path?: string } };

parentPort?.on('message', (request: DecodeRequest) => {
  void handleRequest(request).then(
    (response) =>
      parentPort!.postMessage(response, 'slices' in response ? response.slices.map((slice) => slice.buffer) : []),
    (error: unknown) => parentPort!.postMessage(describeFailure(request, error))
  );
});

async function handleRequest(request: DecodeRequest): Promise<DecodeResponse> {
  const bytes = await readFile(request.path).catch((error: unknown) => {
    throw describeFileSystemError(error, request.path);
  });
  const decoded = await decodeFileSlices(bytes, request.path, request.slices, request.scalarType);
  return {
    id: request.id,
    slices: decoded.map(({ sliceIndex, scalars }) => ({ sliceIndex, buffer: scalars.buffer as ArrayBuffer }))
  };
}

function describeFailure(request: DecodeRequest, error: unknown): DecodeResponse {
  if (error instanceof ImagingError)
    return { id: request.id, error: { code: error.code, message: error.message, path: error.path ?? request.path } };
  // A programming error's text is for the log, never for the user.
  return {
    id: request.id,
    error: {
      code: 'decode-failed',
      message: `${request.path}: the image could not be decoded; the file may be damaged.`,
      path: request.path
    }
  };
}
