import { randomBytes } from 'node:crypto';

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * 12 random letters and digits (about 71 bits). Never a leading '-': ids are typed on command lines, where
 * `--project -x…` would read as an option.
 */
export function createId(): string {
  const bytes = randomBytes(12);
  let id = '';
  // 248 is the largest multiple of 62 below 256: rejecting larger bytes keeps every character equally likely.
  for (let index = 0; id.length < 12; index += 1) {
    const byte = index < bytes.length ? bytes[index]! : randomBytes(1)[0]!;
    if (byte < 248) id += idAlphabet[byte % 62];
  }
  return id;
}
