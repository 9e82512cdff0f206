import type { z } from 'zod';

/** One call of the API: its input schema (validated in main) and its result type (a phantom, types only). */
export interface CallSpec<Input extends z.ZodType, Result> {
  readonly input: Input;
  readonly result?: Result;
}

/** One event main sends to every client: a phantom payload type. */
export interface EventSpec<Payload> {
  readonly payload?: Payload;
}

/** `defineCall<Result>()(inputSchema)`: curried so the input type is inferred while the result type is named. */
export function defineCall<Result>() {
  return <Input extends z.ZodType>(input: Input): CallSpec<Input, Result> => ({ input });
}

export function defineEvent<Payload>(): EventSpec<Payload> {
  return {};
}
