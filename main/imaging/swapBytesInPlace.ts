/** Reverses the byte order of each `width`-byte value (big-endian files on little-endian machines). */
export function swapBytesInPlace(bytes: Uint8Array, width: number): void {
  for (let offset = 0; offset + width <= bytes.length; offset += width) {
    for (let low = offset, high = offset + width - 1; low < high; low++, high--) {
      const swap = bytes[low]!;
      bytes[low] = bytes[high]!;
      bytes[high] = swap;
    }
  }
}
