import { isApiErrorShape } from '../../../main/contract/errors';

/**
 * What the user reads when something fails: main's own message for expected failures (they are written for users),
 * a plain sentence otherwise. Unexpected errors are logged with their stack for developers, never shown.
 */
export function describeError(error: unknown, whatFailed: string): string {
  if (isApiErrorShape(error)) return error.message;
  console.error(`${whatFailed} failed unexpectedly`, error);
  return `${whatFailed} failed because of an unexpected problem in the app. Try again; if it keeps failing, restart the app.`;
}
