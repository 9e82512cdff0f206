import type { SocketLike } from '../../../main/contract/createSocketClient';

/**
 * The browser's WebSocket as the contract's `SocketLike`. The DOM types its handlers with `this: WebSocket` and DOM
 * event types, which TypeScript does not accept in place of SocketLike's plainer handlers, so they are forwarded.
 */
export function adaptBrowserSocket(socket: WebSocket): SocketLike {
  const adapter: SocketLike = {
    get binaryType(): string {
      return socket.binaryType;
    },
    set binaryType(value: string) {
      socket.binaryType = value === 'blob' ? 'blob' : 'arraybuffer';
    },
    get readyState(): number {
      return socket.readyState;
    },
    send: (data) => socket.send(data as Uint8Array<ArrayBuffer>),
    close: (code, reason) => socket.close(code, reason),
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null
  };
  socket.onopen = (event) => adapter.onopen?.(event);
  socket.onmessage = (event: MessageEvent<unknown>) => adapter.onmessage?.({ data: event.data });
  socket.onclose = (event) => adapter.onclose?.({ code: event.code, reason: event.reason });
  socket.onerror = (event) => adapter.onerror?.(event);
  return adapter;
}
