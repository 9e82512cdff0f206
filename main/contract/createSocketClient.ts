/**
 * The web host's client: the API contract over one WebSocket. Free of DOM and Node types so that the renderer (with
 * the browser's WebSocket) and the tests (with the `ws` package) share it.
 */
import type { ApiClient, CallInput, CallName, CallResult, EventName, EventPayload } from './contract';
import { ApiError, isApiErrorShape, readApiErrorProblems, type ApiErrorCode } from './errors';
import { decodeMessage, encodeMessage, type ServerMessage } from './wireFormat';

export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface SocketClient extends ApiClient {
  close(): void;
}

const openState = 1;

export function createSocketClient(openSocket: () => SocketLike): SocketClient {
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let connection: Promise<SocketLike> | undefined;

  const failAll = (reason: string) => {
    for (const entry of pending.values()) entry.reject(new ApiError('internal', reason));
    pending.clear();
  };

  const connect = (): Promise<SocketLike> =>
    new Promise((resolve, reject) => {
      const socket = openSocket();
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => resolve(socket);
      // A refused handshake and an unreachable server look the same from a page: an error, then a close.
      socket.onerror = () => undefined;
      socket.onclose = (event) => {
        connection = undefined;
        reject(
          new ApiError(
            'unauthorized',
            "The app's server refused the connection or is not running. Open the address that `npm run serve` printed."
          )
        );
        failAll(`The connection to the app's server closed (${event.code}${event.reason ? `: ${event.reason}` : ''}).`);
      };
      socket.onmessage = (event) => handleMessage(event.data);
    });

  const handleMessage = (data: unknown) => {
    if (!(data instanceof ArrayBuffer)) return;
    const message = decodeMessage(new Uint8Array(data)) as ServerMessage;
    if (message.kind === 'event') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
      return;
    }
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    if (message.kind === 'result') entry.resolve(message.result);
    else entry.reject(toApiError(message.error));
  };

  const socketReady = async (): Promise<SocketLike> => {
    connection ??= connect();
    const socket = await connection;
    if (socket.readyState !== openState) {
      connection = connect();
      return connection;
    }
    return socket;
  };

  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
      const socket = await socketReady();
      const id = nextId++;
      return new Promise<CallResult<N>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        socket.send(encodeMessage({ kind: 'call', id, name, input }));
      });
    },
    on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
      void socketReady().catch(() => undefined);
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    close(): void {
      void connection?.then((socket) => socket.close(1000, 'client closed')).catch(() => undefined);
      connection = undefined;
    }
  };
}

function toApiError(error: unknown): ApiError {
  if (isApiErrorShape(error))
    return new ApiError(error.code as ApiErrorCode, error.message, readApiErrorProblems(error));
  return new ApiError('internal', 'The server sent an error the app does not understand.');
}
