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

/** One file a folder import refused, and why (in the user's words; the reason names the file). */
export interface RefusedFile {
  path: string;
  code: string;
  reason: string;
}

export class ImagingError extends Error {
  override readonly name = 'ImagingError';
  /** For a folder that yielded nothing: every file refused and why (the first 1,000), so the user can act on it. */
  readonly files?: RefusedFile[];

  constructor(
    readonly code: ImagingErrorCode,
    message: string,
    /** The file (or folder) the failure is about, when there is one. */
    readonly path?: string,
    options?: { cause?: unknown; files?: RefusedFile[] }
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.files) this.files = options.files;
  }

  /** The shape that crosses the API boundary. */
  toJSON(): { code: ImagingErrorCode; message: string; files?: RefusedFile[] } {
    return { code: this.code, message: this.message, ...(this.files ? { files: this.files } : {}) };
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
  if (code === 'EIO')
    return new ImagingError('file-unreadable', `${path} could not be read: the disk reported a read error.`, path, {
      cause: error
    });
  if (code === 'EMFILE' || code === 'ENFILE')
    return new ImagingError(
      'file-unreadable',
      `${path} could not be opened: too many files are open at once. Try again.`,
      path,
      { cause: error }
    );
  // Never show the system's own error text: name the file and give the error code for support.
  const detail = typeof code === 'string' ? ` (system error ${code})` : '';
  return new ImagingError('file-unreadable', `${path} could not be read${detail}.`, path, { cause: error });
}
