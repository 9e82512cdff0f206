/**
 * The desktop client: the API contract over the preload bridge (`window.api`). Errors cannot cross Electron's context
 * bridge with their fields, so the bridge resolves every call to an outcome and this client rebuilds the ApiError.
 */
import type { ApiClient, CallInput, CallName, CallResult, EventName, EventPayload } from './contract';
import { ApiError, isApiErrorShape, readApiErrorProblems, type ApiErrorShape } from './errors';

export type BridgeOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorShape };

/** Exactly what the preload exposes as `window.api`. */
export interface ApiBridge {
  call(name: string, input: unknown): Promise<BridgeOutcome>;
  on(name: string, listener: (payload: unknown) => void): () => void;
}

export function createBridgeClient(bridge: ApiBridge): ApiClient {
  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
      const outcome = await bridge.call(name, input);
      if (outcome.ok) return outcome.result as CallResult<N>;
      const error: ApiErrorShape = isApiErrorShape(outcome.error)
        ? outcome.error
        : { code: 'internal', message: 'Unknown error' };
      throw new ApiError(error.code, error.message, readApiErrorProblems(error));
    },
    on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
      return bridge.on(name, listener as (payload: unknown) => void);
    }
  };
}
