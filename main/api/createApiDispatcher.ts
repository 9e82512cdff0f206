import { z } from 'zod';
import { ApiError, apiCalls, isCallName, type ApiErrorShape } from '../contract';
import type { Logger } from '../common';
import type { ApiHandlers, CallContext } from './createApiHandlers';

export type DispatchOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorShape };

/**
 * The one entry point both hosts use: refuse unknown names, validate the input against the contract's schema, run
 * the handler, and turn every failure into `{ code, message }`. Unexpected errors are logged with their stack and
 * reach the user as a generic message.
 */
export function createApiDispatcher(handlers: ApiHandlers, logger: Logger) {
  return async function dispatch(name: unknown, input: unknown, context: CallContext): Promise<DispatchOutcome> {
    if (!isCallName(name)) {
      return { ok: false, error: { code: 'unknown-call', message: `There is no call named ${describeName(name)}.` } };
    }
    const parsed = apiCalls[name].input.safeParse(input ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid-input', message: describeInvalidInput(name, parsed.error) } };
    }
    try {
      const handler = handlers[name] as (input: unknown, context: CallContext) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data, context) };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toJSON() };
      logger.error(`call ${name} failed unexpectedly`, error);
      return { ok: false, error: { code: 'internal', message: 'Something went wrong inside the app. The details are in the log.' } };
    }
  };
}

export type ApiDispatcher = ReturnType<typeof createApiDispatcher>;

/** A name from the wire can be anything, even an object whose toString throws: only a string is ever shown. */
function describeName(name: unknown): string {
  return typeof name === 'string' ? name.slice(0, 64) : `of type ${typeof name}`;
}

function describeInvalidInput(name: string, error: z.ZodError): string {
  const first = error.issues[0];
  const where = first?.path.length ? ` (${first.path.join('.')})` : '';
  return `The request ${name} was not valid${where}: ${first?.message ?? 'unknown problem'}.`;
}
