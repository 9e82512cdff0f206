/**
 * Expected failures of reading or writing images. `message` is written for a clinician (it names the file and says what
 * is wrong in plain words); `code` is stable for the API layer and the UI, which receive `{ code, message }`.
 */
export type ImagingErrorCode =
  | 'file-unreadable'
  | 'file-truncated'
  | 'not-dicom'
  | 'not-nifti'
  | 'no-pixel-data'
  | 'unsupported-transfer-syntax'
  | 'unsupported-datatype'
  | 'damaged-header'
  | 'decode-failed'
  | 'inconsistent-series'
  | 'empty-folder'
  | 'no-images-found'
  | 'duplicate-image'
  | 'invalid-request'
  | 'write-failed';

export class ImagingError extends Error {
  override readonly name = 'ImagingError';

  constructor(
    readonly code: ImagingErrorCode,
    message: string,
    /** The file (or folder) the failure is about, when there is one. */
    readonly path?: string,
    options?: { cause?: unknown }
  ) {
    super(message, options);
  }

  /** The shape that crosses the API boundary. */
  toJSON(): { code: ImagingErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isImagingError(error: unknown): error is ImagingError {
  return error instanceof ImagingError;
}

/** Node reports missing or unreadable files with errno codes; say what they mean for the user. */
export function describeFileSystemError(error: unknown, path: string): ImagingError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT')
    return new ImagingError('file-unreadable', `${path} does not exist (it may have been moved or deleted).`, path, {
      cause: error
    });
  if (code === 'EACCES' || code === 'EPERM')
    return new ImagingError('file-unreadable', `${path} cannot be opened: permission denied.`, path, { cause: error });
  if (code === 'EISDIR')
    return new ImagingError('file-unreadable', `${path} is a folder, not a file.`, path, { cause: error });
  const reason = error instanceof Error ? error.message : String(error);
  return new ImagingError('file-unreadable', `${path} could not be read (${reason}).`, path, { cause: error });
}
