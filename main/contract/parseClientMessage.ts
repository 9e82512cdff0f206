import { z } from 'zod';
import { decodeMessage, type ClientMessage } from './wireFormat';

/**
 * The only envelope a client of the web host may send: a call with a numeric id and a string name. Anything else
 * (a `null` header, a name that is an object, extra fields) is refused here, before the dispatcher sees it.
 */
const clientMessageSchema = z
  .object({
    kind: z.literal('call'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    name: z.string().max(64),
    input: z.unknown().optional()
  })
  .strict();

/** Decodes and checks one binary frame; undefined when it is not a well-formed call. */
export function parseClientMessage(frame: Uint8Array): ClientMessage | undefined {
  let decoded: unknown;
  try {
    decoded = decodeMessage(frame);
  } catch {
    return undefined;
  }
  const parsed = clientMessageSchema.safeParse(decoded);
  return parsed.success
    ? { kind: 'call', id: parsed.data.id, name: parsed.data.name, input: parsed.data.input }
    : undefined;
}
