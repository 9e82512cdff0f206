/**
 * A WebSocket client written on a bare TCP socket, for tests that must send what a well-behaved client never would:
 * unmasked frames, reserved opcodes and bits, lengths that lie. Talks to 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface FrameSpec {
  opcode: number;
  payload: Uint8Array;
  fin?: boolean;
  /** The three RSV bits, 0 to 7. */
  rsv?: number;
  masked?: boolean;
  /** The length written in the frame header when it should differ from the payload's. */
  declaredLength?: number;
}

export function buildFrame({
  opcode,
  payload,
  fin = true,
  rsv = 0,
  masked = true,
  declaredLength
}: FrameSpec): Uint8Array {
  const length = declaredLength ?? payload.byteLength;
  const header: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127);
    const big = BigInt(length);
    for (let shift = 56n; shift >= 0n; shift -= 8n) header.push(Number((big >> shift) & 0xffn));
  }
  const mask = masked ? randomBytes(4) : undefined;
  const body = new Uint8Array(payload);
  if (mask) for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(header), mask ?? Buffer.alloc(0), body]);
}

export interface RawConnection {
  socket: Socket;
  /** Resolves when the server has closed the connection (or it failed). */
  closed: Promise<void>;
  /** Bytes the server sent after the handshake. */
  received(): Buffer;
}

/** Opens `/api` with the given query and resolves once the server answered the handshake with 101. */
export function openRawWebSocket(port: number, query: string, timeoutMilliseconds = 5000): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('handshake timed out'));
    }, timeoutMilliseconds);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      if (!upgraded) reject(new Error(`handshake refused: ${buffered.toString('latin1').split('\r\n')[0] ?? ''}`));
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (upgraded) return;
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const statusLine = buffered.subarray(0, buffered.indexOf('\r\n')).toString('latin1');
      if (!statusLine.includes(' 101 ')) return;
      upgraded = true;
      clearTimeout(timer);
      buffered = buffered.subarray(end + 4);
      resolve({ socket, closed, received: () => buffered });
    });
    socket.write(
      [
        `GET /api${query} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        ''
      ].join('\r\n')
    );
  });
}

/** Parses the server's unfragmented frames (it never masks or fragments what it sends). */
export function parseServerFrames(bytes: Buffer): { opcode: number; payload: Buffer }[] {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const opcode = bytes[offset]! & 0x0f;
    let length = bytes[offset + 1]! & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (start + 2 > bytes.length) break;
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > bytes.length) break;
    frames.push({ opcode, payload: bytes.subarray(start, start + length) });
    offset = start + length;
  }
  return frames;
}

/** The close code in a close frame the server sent, if it sent one. */
export function closeCodeOf(bytes: Buffer): number | undefined {
  const close = parseServerFrames(bytes).find((frame) => frame.opcode === 8);
  return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined;
}
