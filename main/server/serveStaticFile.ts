import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2'
};

/**
 * The page's Content-Security-Policy: scripts and workers from this host only (wasm needs 'wasm-unsafe-eval'),
 * connections only back to this host's WebSocket.
 */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://${host} blob: data:`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'"
  ].join('; ');
}

/** Serves the built renderer. Files are served as they are (no Content-Encoding), and never from outside `root`. */
export async function serveStaticFile(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const relative = relativePathOf(request.url);
  if (relative === undefined) {
    response.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad request');
    return;
  }
  const path = normalize(join(root, relative));
  if (!path.startsWith(normalize(root) + sep)) {
    response.writeHead(403).end();
    return;
  }
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': contentTypes[extname(path)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Content-Security-Policy': contentSecurityPolicy(request.headers.host ?? ''),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': extname(path) === '.html' ? 'no-store' : 'max-age=3600'
  });
  // pipeline, not pipe: a read error (the file removed after stat) rejects instead of being an unhandled 'error'.
  await pipeline(createReadStream(path), response);
}

/** The decoded path of a request URL, or undefined when the URL or one of its percent-escapes is malformed. */
function relativePathOf(requestUrl: string | undefined): string | undefined {
  try {
    const url = new URL(requestUrl ?? '/', 'http://localhost');
    return decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return undefined;
  }
}
