import { describe, expect, it } from 'vitest';
import { SequenceVoxelCache } from './SequenceVoxelCache';

const voxels = (size: number) => ({ bytes: new Uint8Array(size) });

describe('the voxels of the sequences on screen, kept for flipping back', () => {
  it('gives back what was kept, by case and sequence', () => {
    const cache = new SequenceVoxelCache(100);
    const t1 = voxels(30);
    cache.put('case', 'T1', t1);
    expect(cache.get('case', 'T1')).toBe(t1);
    expect(cache.get('case', 'FLAIR')).toBeUndefined();
    expect(cache.get('other', 'T1')).toBeUndefined();
  });

  it('lets the least recently used go beyond the budget, and never keeps one larger than it', () => {
    const cache = new SequenceVoxelCache(100);
    cache.put('case', 'T1', voxels(40));
    cache.put('case', 'T1c', voxels(40));
    cache.get('case', 'T1');
    cache.put('case', 'T2', voxels(40));
    expect(cache.get('case', 'T1c')).toBeUndefined();
    expect(cache.get('case', 'T1')).toBeDefined();
    expect(cache.bytes).toBe(80);
    cache.put('case', 'FLAIR', voxels(101));
    expect(cache.get('case', 'FLAIR')).toBeUndefined();
    expect(cache.bytes).toBe(80);
    // Replacing one counts it once.
    cache.put('case', 'T2', voxels(10));
    expect(cache.bytes).toBe(50);
  });

  it('forgets the other cases when one is opened', () => {
    const cache = new SequenceVoxelCache(1000);
    cache.put('a', 'T1', voxels(10));
    cache.put('b', 'T1', voxels(20));
    cache.keepOnly('b');
    expect(cache.get('a', 'T1')).toBeUndefined();
    expect([cache.count, cache.bytes]).toEqual([1, 20]);
    cache.keepOnly(null);
    expect([cache.count, cache.bytes]).toEqual([0, 0]);
  });
});
