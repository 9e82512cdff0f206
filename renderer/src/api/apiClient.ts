import type { ApiClient } from '../../../main/contract/contract';

let installed: ApiClient | undefined;

/** Set once at startup (main.ts); tests of components may install a fake. */
export function installApiClient(client: ApiClient): void {
  installed = client;
}

export function useApiClient(): ApiClient {
  if (!installed) throw new Error('The API client is used before main.ts installed it.');
  return installed;
}
