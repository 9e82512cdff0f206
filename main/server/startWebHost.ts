import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeMessage, maximumMessageBytes, parseClientMessage, type ServerMessage } from '../contract';
import type { AppCore } from '../app';
import { serveStaticFile } from './serveStaticFile';

export interface WebHostOptions {
  core: AppCore;
  /** The built renderer (out/renderer). */
  rendererFolder: string;
  /** 0 picks a free port. */
  port?: number;
  /** Given in tests; otherwise random per launch. */
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * The browser host: HTTP for the built renderer and one WebSocket (`/api`) carrying the API contract, bound to
 * 127.0.0.1 only. The page must present the per-launch token; the Host and Origin headers must name this server
 * (which defeats DNS rebinding from other sites).
 */
export async function startWebHost({ core, rendererFolder, port = 0, token = randomBytes(24).toString('base64url') }: WebHostOptions): Promise<WebHost> {
  let actualPort = 0;
  const allowedHosts = () => [`127.0.0.1:${actualPort}`, `localhost:${actualPort}`];
  const server = createServer((request, response) => {
    if (!allowedHosts().includes(request.headers.host ?? '')) {
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden host');
      return;
    }
    serveStaticFile(rendererFolder, request, response).catch((error: unknown) => {
      core.logger.error('static file failed', error);
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  // A server-level failure (out of file descriptors on accept, say) is logged; it must not end the process.
  server.on('error', (error) => core.logger.error('web host server error', error));
  // The contract's largest message bounds what ws buffers for one client; larger frames are refused with 1009.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maximumMessageBytes });
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (!isAuthorisedUpgrade(request, token, allowedHosts())) {
      refuseUpgrade(socket);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => serveApiSocket(core, webSocket));
  });
  const unsubscribe = core.events.subscribe((name, payload) => {
    const frame = encodeMessage({ kind: 'event', name, payload } satisfies ServerMessage);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(frame);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}/?token=${token}`,
    port: actualPort,
    token,
    close: async () => {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}

/** Answers 401 and destroys the socket once the answer is written: a refused client keeps nothing open. */
function refuseUpgrade(socket: Duplex): void {
  socket.once('finish', () => socket.destroy());
  socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  // A client that never reads could hold the answer in our buffer: give it a moment, then cut it off.
  setTimeout(() => socket.destroy(), 2000).unref();
}

function isAuthorisedUpgrade(request: IncomingMessage, token: string, allowedHosts: string[]): boolean {
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://localhost');
  } catch {
    return false;
  }
  if (url.pathname !== '/api') return false;
  if (!allowedHosts.includes(request.headers.host ?? '')) return false;
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.map((host) => `http://${host}`).includes(origin)) return false;
  const presented = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function serveApiSocket(core: AppCore, socket: WebSocket): void {
  // Protocol errors (bad frames, oversize messages, invalid UTF-8) arrive here; ws has already closed the connection
  // with the matching code. Without this listener each of them would be an unhandled 'error' that ends the process.
  socket.on('error', (error: Error & { code?: string }) => {
    core.logger.info(`closed a web client after a protocol error (${error.code ?? error.name})`);
  });
  socket.on('message', (data, isBinary) => {
    answerMessage(core, socket, isBinary ? toBytes(data) : undefined).catch((error: unknown) => {
      core.logger.error('answering a web client failed', error);
      socket.terminate();
    });
  });
}

async function answerMessage(core: AppCore, socket: WebSocket, frame: Uint8Array | undefined): Promise<void> {
  const message = frame ? parseClientMessage(frame) : undefined;
  if (!message) {
    socket.close(1003, 'malformed message');
    return;
  }
  const outcome = await core.dispatch(message.name, message.input, { host: 'web' });
  const reply: ServerMessage = outcome.ok
    ? { kind: 'result', id: message.id, result: outcome.result }
    : { kind: 'error', id: message.id, error: outcome.error };
  if (socket.readyState === socket.OPEN) socket.send(encodeMessage(reply));
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
