const storageKey = 'genseg.webHostToken';

/**
 * The web host's per-launch token arrives once in the address (`?token=`). It is kept for this tab in
 * sessionStorage (so a reload still connects) and removed from the address bar so it is not copied, bookmarked or
 * shown in screenshots.
 */
export function readWebHostToken(location: Location, storage: Storage, history: History): string | null {
  const url = new URL(location.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress) {
    storage.setItem(storageKey, fromAddress);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromAddress;
  }
  return storage.getItem(storageKey);
}
