/**
 * The renderer is served from `app://renderer/`, a standard and secure scheme of the app's own, rather than from
 * `file://`: a page on file:// may read any file the user can (and gets file:// privileges besides), a page on
 * app://renderer/ only what this handler serves, which is the built renderer folder and nothing else.
 */
import { net, protocol } from 'electron';
import { relative, resolve, sep, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from './contentSecurityPolicy';

export const appScheme = 'app';
export const appHost = 'renderer';
export const appRendererUrl = `${appScheme}://${appHost}/index.html`;

/** Must run before the app is ready: Chromium learns the scheme's privileges at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: appScheme,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true }
    }
  ]);
}

/** The file an app:// URL names inside `rendererFolder`, or undefined for another host, a bad escape or a way out. */
export function resolveAppRequest(url: string, rendererFolder: string): string | undefined {
  let parsed: URL;
  let pathname: string;
  try {
    parsed = new URL(url);
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost) return undefined;
  const root = resolve(rendererFolder);
  const path = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  const inside = relative(root, path);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
  return path;
}

/** Serves app://renderer/ from the built renderer, each response with the content security policy. */
export function serveRendererOverAppProtocol(rendererFolder: string): void {
  protocol.handle(appScheme, async (request) => {
    const path = resolveAppRequest(request.url, rendererFolder);
    if (!path) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(path).toString()).catch(() => undefined);
    if (!response?.ok) return new Response('Not found', { status: 404 });
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
