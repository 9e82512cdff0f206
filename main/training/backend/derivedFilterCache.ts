/**
 * Filters derived from a layer's kernel (flipped, channel-swapped, split into stride phases) for the input-gradient
 * kernel, kept while the kernel's own buffer lives. A kernel is used by several passes per step, and wasm packs a
 * convolution operator per filter buffer, so reusing the derived buffer lets it reuse the packed operator too.
 * Entries whose source buffer is gone are freed at the next lookup, or by clearDerivedFilters().
 */
import type { DataId, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

interface Entry {
  backend: KernelBackend;
  /** What the filters were derived for (stride, padding), so a different use rebuilds them. */
  tag: string;
  filters: TensorInfo[];
}

const cache = new Map<DataId, Entry>();

export function getDerivedFilters(backend: KernelBackend, source: DataId, tag: string, build: () => TensorInfo[]): TensorInfo[] {
  sweepDerivedFilters(backend);
  const found = cache.get(source);
  if (found && found.backend === backend && found.tag === tag) return found.filters;
  if (found) for (const filter of found.filters) found.backend.disposeData(filter.dataId);
  const filters = build();
  cache.set(source, { backend, tag, filters });
  return filters;
}

/** Frees every cached filter (call when training stops, or before counting buffers). */
export function clearDerivedFilters(): void {
  for (const entry of cache.values()) for (const filter of entry.filters) entry.backend.disposeData(filter.dataId);
  cache.clear();
}

function sweepDerivedFilters(backend: KernelBackend): void {
  const storage = (backend as unknown as { dataIdMap?: { has(dataId: DataId): boolean } }).dataIdMap;
  if (!storage) return;
  for (const [source, entry] of cache) {
    if (entry.backend !== backend || storage.has(source)) continue;
    for (const filter of entry.filters) backend.disposeData(filter.dataId);
    cache.delete(source);
  }
}
