/**
 * The only places a link in the app may open in the user's browser: https pages of these hosts (the method's paper).
 * Anything else a page asks to open is refused; add a host here when the renderer links to it.
 */
export const externalLinkHosts: readonly string[] = ['arxiv.org', 'doi.org'];

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.username === '' &&
      parsed.password === '' &&
      externalLinkHosts.includes(parsed.hostname)
    );
  } catch {
    return false;
  }
}
