/**
 * Issue 15, finding 1: nothing a client sends may kill the web host. The host runs in its own process (as `npm run
 * serve` runs it), so a crash shows as an exited process rather than as a broken test runner.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSocketClient, maximumMessageBytes, type SocketLike } from '../contract';
import { fuzzWebHost } from './testing/protocolFuzzer';
import { buildFrame, closeCodeOf, openRawWebSocket, type RawConnection } from './testing/rawWebSocket';
import { startHostProcess, type HostProcess } from './testing/startHostProcess';

let folder: string;
let host: HostProcess;

// One host for the whole file: each test first checks it is still alive, and the fuzzer runs last.
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-host-fuzz-'));
  host = await startHostProcess(folder);
});

afterAll(async () => {
  await host.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function askAppInfo(): Promise<string> {
  const client = createSocketClient(
    () =>
      new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${encodeURIComponent(host.token)}`) as unknown as SocketLike
  );
  try {
    const info = await Promise.race([
      client.call('getAppInfo', {}),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('getAppInfo timed out')), 5000))
    ]);
    return info.host;
  } finally {
    client.close();
  }
}

function binaryCall(header: string): Uint8Array {
  const headerBytes = new TextEncoder().encode(header);
  const payload = new Uint8Array(4 + headerBytes.length);
  new DataView(payload.buffer).setUint32(0, headerBytes.length, true);
  payload.set(headerBytes, 4);
  return buildFrame({ opcode: 2, payload });
}

/** Sends frames on a fresh connection; `closed` is true once the server closed it or sent its close frame. */
async function sendAndWaitForClose(
  frames: Uint8Array[],
  milliseconds = 3000
): Promise<{ closed: boolean; code: number | undefined }> {
  const connection: RawConnection = await openRawWebSocket(host.port, `?token=${encodeURIComponent(host.token)}`);
  for (const frame of frames) connection.socket.write(frame);
  const deadline = Date.now() + milliseconds;
  let closed = false;
  connection.closed.then(
    () => (closed = true),
    () => undefined
  );
  while (!closed && closeCodeOf(connection.received()) === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  connection.socket.destroy();
  const code = closeCodeOf(connection.received());
  return { closed: closed || code !== undefined, code };
}

describe('web host robustness', () => {
  it('closes a malformed envelope (a null header, a name whose toString is not a function) and lives on', async () => {
    for (const header of ['null', '{"kind":"call","id":1,"name":{"toString":1},"input":{}}', '[]', '{"kind":"call"}']) {
      const outcome = await sendAndWaitForClose([binaryCall(header)]);
      expect(outcome, header).toEqual({ closed: true, code: 1003 });
      expect(host.alive(), host.stderr()).toBe(true);
    }
    expect(await askAppInfo()).toBe('web');
  });

  it('closes a connection that breaks the WebSocket protocol and lives on', async () => {
    const envelope = new Uint8Array([2, 0, 0, 0, 0x7b, 0x7d]);
    const cases: [string, Uint8Array, number][] = [
      ['an unmasked frame', buildFrame({ opcode: 2, masked: false, payload: envelope }), 1002],
      ['a reserved opcode', buildFrame({ opcode: 3, payload: envelope }), 1002],
      ['RSV bits', buildFrame({ opcode: 2, rsv: 4, payload: envelope }), 1002],
      ['invalid UTF-8 in a text frame', buildFrame({ opcode: 1, payload: new Uint8Array([0xc3, 0x28]) }), 1007]
    ];
    for (const [what, frame, code] of cases) {
      expect(await sendAndWaitForClose([frame]), what).toEqual({ closed: true, code });
      expect(host.alive(), `${what}: ${host.stderr()}`).toBe(true);
    }
    expect(await askAppInfo()).toBe('web');
  });

  it("refuses a frame larger than the contract's largest message at once, without buffering it", async () => {
    const announced = buildFrame({ opcode: 2, payload: new Uint8Array(8), declaredLength: maximumMessageBytes + 1 });
    const outcome = await sendAndWaitForClose([announced.subarray(0, announced.length - 8)], 3000);
    expect(outcome).toEqual({ closed: true, code: 1009 });
    expect(host.alive(), host.stderr()).toBe(true);
  });

  it('refuses an upgrade whose URL cannot be parsed and lives on', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: host.port });
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(received));
      socket.write(
        `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${Buffer.alloc(16, 1).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`
      );
    });
    expect(answer.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(host.alive(), host.stderr()).toBe(true);
  });

  it('destroys rejected upgrades instead of leaving them half-open', async () => {
    const attempts = 50;
    const stayedOpen = await Promise.all(
      Array.from({ length: attempts }, () => {
        return new Promise<boolean>((resolve) => {
          // allowHalfOpen: the client does not close its side when the server ends, as a hostile client would not.
          const socket = connect({ host: '127.0.0.1', port: host.port, allowHalfOpen: true });
          const timer = setTimeout(() => {
            socket.destroy();
            resolve(true);
          }, 3000);
          socket.on('error', () => undefined);
          socket.resume();
          socket.once('close', () => {
            clearTimeout(timer);
            resolve(false);
          });
          // After the server's answer and end, more bytes must meet a closed socket (RST), not a half-open one.
          socket.once('end', () => {
            socket.write('more bytes');
            setTimeout(() => socket.writable && socket.write('and more'), 100);
          });
          socket.write(
            `GET /api?token=wrong HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              `Sec-WebSocket-Key: ${Buffer.alloc(16, 1).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`
          );
        });
      })
    );
    const open = stayedOpen.filter(Boolean).length;
    console.info(`rejected upgrades: ${attempts} sent, ${open} stayed half-open`);
    expect(open).toBe(0);
  });
  it('survives a seeded protocol fuzzer and still answers getAppInfo to a second client', async () => {
    const report = await fuzzWebHost({
      port: host.port,
      token: host.token,
      seed: 15,
      maximumFrames: 3000,
      maximumMilliseconds: 20_000,
      maximumPayload: maximumMessageBytes
    });
    console.info(
      `protocol fuzzer: ${report.frames} frames in ${report.cases} cases over ${report.connections} connections in ` +
        `${report.elapsedMilliseconds} ms; host alive: ${host.alive()}; by kind: ${JSON.stringify(report.byKind)}`
    );
    expect(host.alive(), host.stderr()).toBe(true);
    expect(report.refusedHandshakes).toBe(0);
    expect(report.frames).toBeGreaterThanOrEqual(1000);
    expect(await askAppInfo()).toBe('web');
  }, 60_000);
});
