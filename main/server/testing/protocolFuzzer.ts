/**
 * A seeded WebSocket protocol fuzzer for the web host: each case is the bytes one connection sends after its
 * handshake, made from well-formed calls that are then mutated, random payloads, and frames that break the WebSocket
 * protocol on purpose (reserved bits and opcodes, unmasked frames, lengths past the limit, bad UTF-8, fragments in
 * the wrong order). Talks to 127.0.0.1 only, bounded by a frame count and a time budget.
 */
import { Random } from '../../common';
import { callNames } from '../../contract';
import { buildFrame, openRawWebSocket } from './rawWebSocket';

const binary = 2;
const text = 1;
const continuation = 0;
const close = 8;
const ping = 9;

export interface FuzzCase {
  kind: string;
  frames: Uint8Array[];
}

export interface FuzzReport {
  cases: number;
  frames: number;
  connections: number;
  refusedHandshakes: number;
  byKind: Record<string, number>;
  elapsedMilliseconds: number;
}

function randomBytesFrom(random: Random, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random.integer(256);
  return bytes;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.integer(items.length)]!;
}

/** `[u32 LE header length][header][payload]` with a header length that may lie. */
function envelope(header: string, payload: Uint8Array = new Uint8Array(0), declaredHeaderLength?: number): Uint8Array {
  const headerBytes = new TextEncoder().encode(header);
  const frame = new Uint8Array(4 + headerBytes.length + payload.length);
  new DataView(frame.buffer).setUint32(0, declaredHeaderLength ?? headerBytes.length, true);
  frame.set(headerBytes, 4);
  frame.set(payload, 4 + headerBytes.length);
  return frame;
}

function randomJsonValue(random: Random, depth = 0): unknown {
  const choice = random.integer(depth > 2 ? 6 : 9);
  switch (choice) {
    case 0:
      return null;
    case 1:
      return random.integer(2) === 1;
    case 2:
      return pick(random, [0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, 4294967296]);
    case 3:
      return pick(random, ['', 'x', '../../etc', '/etc/passwd.nii', 'a'.repeat(70), '\u0000', '\ud800', 'getAppInfo']);
    case 4:
      return { toString: 1 };
    case 5:
      return { $bytes: [random.integer(10), random.integer(10)] };
    case 6:
      return Array.from({ length: random.integer(4) }, () => randomJsonValue(random, depth + 1));
    default: {
      const keys = ['projectId', 'volumeId', 'name', 'toString', 'valueOf', '__proto__', 'constructor', 'state', 'x'];
      const value: Record<string, unknown> = {};
      for (let i = random.integer(4); i > 0; i--) value[pick(random, keys)] = randomJsonValue(random, depth + 1);
      return value;
    }
  }
}

/** Headers a careless or hostile client might send: wrong types everywhere the envelope has a field. */
function envelopeHeader(random: Random): string {
  const name = random.integer(3) === 0 ? randomJsonValue(random) : pick(random, callNames);
  const variants = [
    () => ({ kind: 'call', id: random.integer(1000), name, input: randomJsonValue(random) }),
    () => ({ kind: 'call', id: random.integer(1000), name: 'getAppInfo', input: {} }),
    () => ({ kind: 'call', id: randomJsonValue(random), name, input: {} }),
    () => ({ kind: randomJsonValue(random), id: 1, name: 'getAppInfo', input: {} }),
    () => ({ kind: 'call', id: 1, name: { toString: 1 }, input: {} }),
    () => ({ kind: 'call', id: 1, name: { toString: null, valueOf: null }, input: {} }),
    () => ({ kind: 'call', id: 1, name: { $bytes: [0, 0] }, input: {} }),
    () => randomJsonValue(random),
    () => null,
    () => ({ kind: 'event', name: 'onDidChangeProjects', payload: {} })
  ];
  let header = JSON.stringify(pick(random, variants)()) ?? 'null';
  if (random.integer(4) === 0) header = mutateText(random, header);
  if (random.integer(40) === 0) header = '['.repeat(5000) + ']'.repeat(5000);
  return header;
}

function mutateText(random: Random, value: string): string {
  const characters = [...value];
  for (let n = 1 + random.integer(3); n > 0; n--) {
    const at = random.integer(characters.length + 1);
    const operation = random.integer(3);
    if (operation === 0) characters.splice(at, 1);
    else if (operation === 1)
      characters.splice(at, 0, pick(random, ['{', '}', '"', ':', ',', '\\', '\u0000', 'null', '9e999']));
    else characters[at] = String.fromCharCode(random.integer(128));
  }
  return characters.join('');
}

function mutateBytes(random: Random, bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  for (let n = 1 + random.integer(4); n > 0 && copy.length > 0; n--)
    copy[random.integer(copy.length)] = random.integer(256);
  return random.integer(3) === 0 ? copy.subarray(0, random.integer(copy.length + 1)) : copy;
}

const generators: Record<string, (random: Random, maximumPayload: number) => Uint8Array[]> = {
  envelope: (random) => {
    const payload = random.integer(3) === 0 ? randomBytesFrom(random, random.integer(64)) : new Uint8Array(0);
    const lie =
      random.integer(5) === 0 ? pick(random, [0, 1, 3, 2 ** 31, 2 ** 32 - 1, random.integer(100)]) : undefined;
    return [buildFrame({ opcode: binary, payload: envelope(envelopeHeader(random), payload, lie) })];
  },
  mutatedEnvelope: (random) => [
    buildFrame({ opcode: binary, payload: mutateBytes(random, envelope(envelopeHeader(random))) })
  ],
  randomPayload: (random) => [buildFrame({ opcode: binary, payload: randomBytesFrom(random, random.integer(300)) })],
  textFrame: (random) => [buildFrame({ opcode: text, payload: randomBytesFrom(random, random.integer(64)) })],
  reservedBits: (random) => [
    buildFrame({ opcode: binary, rsv: 1 + random.integer(7), payload: envelope(envelopeHeader(random)) })
  ],
  reservedOpcode: (random) => [
    buildFrame({
      opcode: pick(random, [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]),
      payload: randomBytesFrom(random, random.integer(20))
    })
  ],
  unmasked: (random) => [buildFrame({ opcode: binary, masked: false, payload: envelope(envelopeHeader(random)) })],
  overLimit: (random, maximumPayload) => [
    buildFrame({
      opcode: binary,
      payload: randomBytesFrom(random, random.integer(16)),
      declaredLength: pick(random, [maximumPayload + 1, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2])
    })
  ],
  badControl: (random) => [
    pick(random, [
      () => buildFrame({ opcode: ping, payload: randomBytesFrom(random, 126 + random.integer(50)) }),
      () => buildFrame({ opcode: ping, fin: false, payload: new Uint8Array(1) }),
      () => buildFrame({ opcode: close, payload: new Uint8Array([0x03]) }),
      () => buildFrame({ opcode: close, payload: new Uint8Array([0x03, 0xed]) }),
      () => buildFrame({ opcode: close, payload: new Uint8Array([0x03, 0xe8, 0xff, 0xfe]) }),
      () => buildFrame({ opcode: close, payload: randomBytesFrom(random, 2 + random.integer(10)) })
    ])()
  ],
  badFragments: (random) =>
    pick(random, [
      () => [buildFrame({ opcode: continuation, payload: randomBytesFrom(random, 8) })],
      () => [
        buildFrame({ opcode: binary, fin: false, payload: randomBytesFrom(random, 8) }),
        buildFrame({ opcode: binary, payload: randomBytesFrom(random, 8) })
      ],
      () => [
        buildFrame({ opcode: binary, fin: false, payload: envelope('{"kind":"call","id":1,') }),
        buildFrame({ opcode: continuation, payload: new TextEncoder().encode('"name":null}') })
      ]
    ])(),
  rawGarbage: (random) => [randomBytesFrom(random, 1 + random.integer(200))]
};

export const fuzzCaseKinds = Object.keys(generators);

export function generateFuzzCase(random: Random, maximumPayload: number): FuzzCase {
  const kind = pick(random, fuzzCaseKinds);
  const frames: Uint8Array[] = [];
  // Several frames per connection: a well-formed call first sometimes, so the bad frame arrives mid-conversation.
  if (random.integer(2) === 0) frames.push(...generators.envelope!(random, maximumPayload));
  frames.push(...generators[kind]!(random, maximumPayload));
  return { kind, frames };
}

/** Sends one case on its own connection and waits until the server closes it or a short time passes. */
async function sendCase(
  port: number,
  query: string,
  fuzzCase: FuzzCase,
  random: Random,
  lingerMilliseconds: number
): Promise<boolean> {
  let connection;
  try {
    connection = await openRawWebSocket(port, query);
  } catch {
    return false;
  }
  const bytes = Buffer.concat(fuzzCase.frames);
  // Split at random points so the server's parser also meets frames cut across TCP reads.
  let offset = 0;
  while (offset < bytes.length) {
    const size = random.integer(3) === 0 ? 1 + random.integer(8) : bytes.length;
    connection.socket.write(bytes.subarray(offset, offset + size));
    offset += size;
  }
  await Promise.race([connection.closed, new Promise((resolve) => setTimeout(resolve, lingerMilliseconds))]);
  connection.socket.destroy();
  return true;
}

export interface FuzzOptions {
  port: number;
  token: string;
  seed: number;
  maximumFrames: number;
  maximumMilliseconds: number;
  maximumPayload: number;
  concurrency?: number;
  lingerMilliseconds?: number;
}

export async function fuzzWebHost(options: FuzzOptions): Promise<FuzzReport> {
  const random = new Random(options.seed);
  const query = `?token=${encodeURIComponent(options.token)}`;
  const started = Date.now();
  const report: FuzzReport = {
    cases: 0,
    frames: 0,
    connections: 0,
    refusedHandshakes: 0,
    byKind: {},
    elapsedMilliseconds: 0
  };
  const withinBudget = () =>
    report.frames < options.maximumFrames && Date.now() - started < options.maximumMilliseconds;
  const lane = async () => {
    while (withinBudget()) {
      const fuzzCase = generateFuzzCase(random, options.maximumPayload);
      report.cases += 1;
      report.frames += fuzzCase.frames.length;
      report.byKind[fuzzCase.kind] = (report.byKind[fuzzCase.kind] ?? 0) + 1;
      const connected = await sendCase(options.port, query, fuzzCase, random, options.lingerMilliseconds ?? 30);
      if (connected) report.connections += 1;
      else {
        report.refusedHandshakes += 1;
        // A host that no longer accepts connections has died: stop rather than spin.
        if (report.refusedHandshakes >= 3) return;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, lane));
  report.elapsedMilliseconds = Date.now() - started;
  return report;
}
