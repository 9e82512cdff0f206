import { onBeforeUnmount, type Ref } from 'vue';
import { findShortcut } from '../keyboard/shortcuts';
import { useServices } from '../services/useServices';
import type { SliceState } from '../viewer/viewerTypes';
import { isTypingTarget } from './isTypingTarget';

const sliceKeys = ['slices.next', 'slices.previous', 'slices.pageNext', 'slices.pagePrevious', 'slices.first', 'slices.last'] as const;

/** How far Page Up / Page Down move: ten slices, as in Slicer and most PACS viewers. */
export const pageSlices = 10;

/**
 * Slice keys from anywhere on the page but a text field or the scan list (which uses ↑ ↓ for scans): ↑ ↓ one slice,
 * Page Up / Page Down ten, Home / End slice 1 and the last. So the arrows scroll as soon as a scan is chosen, without
 * clicking into the image first. Down moves like the wheel turned towards the user (OHIF's convention).
 */
export function useSliceKeys(slice: Ref<SliceState | null>): void {
  const { viewer } = useServices();

  function handleKey(event: KeyboardEvent): void {
    // Not gated on defaultPrevented: Cornerstone's own key listener on the viewport element prevents the arrows' default.
    if (isTypingTarget(event.target) || !slice.value) return;
    const id = findShortcut(event, sliceKeys);
    if (!id) return;
    event.preventDefault();
    const { count } = slice.value;
    if (id === 'slices.next') viewer.scrollSlices(1);
    else if (id === 'slices.previous') viewer.scrollSlices(-1);
    else if (id === 'slices.pageNext') viewer.scrollSlices(pageSlices);
    else if (id === 'slices.pagePrevious') viewer.scrollSlices(-pageSlices);
    // By number, as the slice readout counts them ("Slice 1 / 155"), whichever end the view puts on top.
    else if (id === 'slices.first') viewer.setSlice(0);
    else viewer.setSlice(count - 1);
  }

  window.addEventListener('keydown', handleKey);
  onBeforeUnmount(() => window.removeEventListener('keydown', handleKey));
}
