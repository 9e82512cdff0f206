/** Every expected failure crosses the API as `{ code, message }`; `message` is written for the user. */
export type ApiErrorCode =
  | 'invalid-input'
  | 'unknown-call'
  | 'unauthorized'
  | 'not-found'
  | 'conflict'
  | 'bad-file'
  | 'unsupported'
  | 'disk-full'
  | 'busy'
  | 'cancelled'
  | 'internal';

export interface ApiErrorShape {
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error implements ApiErrorShape {
  constructor(
    readonly code: ApiErrorCode,
    message: string
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message };
  }
}

export function isApiErrorShape(value: unknown): value is ApiErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorShape).code === 'string' &&
    typeof (value as ApiErrorShape).message === 'string'
  );
}
