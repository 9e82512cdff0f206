/**
 * Web host message framing: one binary WebSocket frame per message, `[u32 LE header length][UTF-8 JSON header]
 * [payload]`. Every Uint8Array in the message travels in the payload and is replaced in the JSON by
 * `{"$bytes":[offset,length]}`, so voxels and masks never become JSON numbers.
 */
const bytesMarker = '$bytes';

export function encodeMessage(message: unknown): Uint8Array {
  const chunks: Uint8Array[] = [];
  let payloadLength = 0;
  const header = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      chunks.push(value);
      payloadLength += value.byteLength;
      return { [bytesMarker]: [payloadLength - value.byteLength, value.byteLength] };
    }
    return value;
  });
  const headerBytes = new TextEncoder().encode(header);
  const frame = new Uint8Array(4 + headerBytes.byteLength + payloadLength);
  new DataView(frame.buffer).setUint32(0, headerBytes.byteLength, true);
  frame.set(headerBytes, 4);
  let offset = 4 + headerBytes.byteLength;
  for (const chunk of chunks) {
    frame.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return frame;
}

export function decodeMessage(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new Error('frame too short');
  const headerLength = new DataView(frame.buffer, frame.byteOffset, 4).getUint32(0, true);
  if (4 + headerLength > frame.byteLength) throw new Error('frame header length out of range');
  const header = new TextDecoder().decode(frame.subarray(4, 4 + headerLength));
  const payload = frame.subarray(4 + headerLength);
  return JSON.parse(header, (_key, value: unknown) => {
    if (isBytesReference(value)) {
      const [offset, length] = value[bytesMarker];
      if (offset + length > payload.byteLength) throw new Error('frame payload reference out of range');
      return payload.slice(offset, offset + length);
    }
    return value;
  });
}

function isBytesReference(value: unknown): value is { [bytesMarker]: [number, number] } {
  if (typeof value !== 'object' || value === null) return false;
  const reference = (value as Record<string, unknown>)[bytesMarker];
  return (
    Array.isArray(reference) &&
    reference.length === 2 &&
    Number.isInteger(reference[0]) &&
    Number.isInteger(reference[1]) &&
    Object.keys(value).length === 1
  );
}

/** Messages of the web host protocol. */
export type ClientMessage = { kind: 'call'; id: number; name: string; input: unknown };
export type ServerMessage =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: { code: string; message: string } }
  | { kind: 'event'; name: string; payload: unknown };
