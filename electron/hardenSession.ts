/**
 * What the desktop app allows its pages, whatever they are: no permission (camera, notifications, clipboard...) is
 * granted when asked or when Chromium checks, every response carries the content security policy, and no web contents
 * may attach a webview, open a window or navigate away from the renderer.
 */
import type { Session, WebContents } from 'electron';
import { contentSecurityPolicy } from './contentSecurityPolicy';

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
}

/** For every web contents the app creates (the main window sets its own, narrower handlers after this). */
export function guardWebContents(contents: WebContents, isTrustedUrl: (url: string) => boolean): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
}
