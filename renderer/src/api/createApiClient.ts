import type { ApiClient } from '../../../main/contract/contract';
import { createBridgeClient } from '../../../main/contract/createBridgeClient';
import { ApiError } from '../../../main/contract/errors';
import { createSocketClient } from '../../../main/contract/createSocketClient';
import { adaptBrowserSocket } from './adaptBrowserSocket';
import { readWebHostToken } from './readWebHostToken';

/**
 * The one place that decides how the renderer reaches main: through the Electron preload (`window.api`) when it is
 * there, otherwise through the web host's WebSocket on the page's own host.
 */
export function createApiClient(): ApiClient {
  if (window.api) return createBridgeClient(window.api);
  const token = readWebHostToken(window.location, window.sessionStorage, window.history);
  if (!token) return createRefusingClient();
  const url = `ws://${window.location.host}/api?token=${encodeURIComponent(token)}`;
  return createSocketClient(() => adaptBrowserSocket(new WebSocket(url)));
}

/** Without a token every call fails with a message that tells the user what to do. */
function createRefusingClient(): ApiClient {
  const refusal = new ApiError(
    'unauthorized',
    'This page was opened without its access key. Open the full address that `npm run serve` printed.'
  );
  return {
    call: () => Promise.reject(refusal),
    on: () => () => undefined
  };
}
