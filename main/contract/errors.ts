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

/** One file behind a failure (an import that found nothing usable lists every file it refused, and why). */
export interface ApiErrorProblem {
  file: string;
  code: string;
  message: string;
}

export interface ApiErrorShape {
  code: ApiErrorCode;
  message: string;
  /** Per-file reasons, when the failure is about several files. */
  problems?: ApiErrorProblem[];
}

export class ApiError extends Error implements ApiErrorShape {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly problems?: ApiErrorProblem[]
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message, ...(this.problems ? { problems: this.problems } : {}) };
  }
}

/** The problems list of an error shape that came over a wire, kept only when well formed. */
export function readApiErrorProblems(value: ApiErrorShape): ApiErrorProblem[] | undefined {
  if (!Array.isArray(value.problems)) return undefined;
  return value.problems.filter(
    (problem): problem is ApiErrorProblem =>
      typeof problem === 'object' &&
      problem !== null &&
      typeof problem.file === 'string' &&
      typeof problem.code === 'string' &&
      typeof problem.message === 'string'
  );
}

export function isApiErrorShape(value: unknown): value is ApiErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorShape).code === 'string' &&
    typeof (value as ApiErrorShape).message === 'string'
  );
}
