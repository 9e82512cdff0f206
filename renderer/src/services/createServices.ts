import { markRaw } from 'vue';
import type { ApiClient } from '../../../main/contract/contract';
import { SegmentationService } from '../viewer/SegmentationService';
import { ViewerService } from '../viewer/ViewerService';
import { MaskSyncService } from './MaskSyncService';

/**
 * The renderer's services, one of each for the whole app (as OHIF's service manager holds them): created once in
 * main.ts, provided to every component (`useServices`), destroyed when the app goes. Each has methods to act,
 * `onDid...` events returning an unsubscribe handle, and `destroy()`; Cornerstone stays behind the viewer and
 * segmentation services.
 */
export interface Services {
  /** The views of the volume on screen: the page attaches its elements, the service draws in them. */
  viewer: ViewerService;
  /** The user's mask and a model's proposal on that volume, and the tools that draw the mask. */
  segmentation: SegmentationService;
  /** The mask on screen kept the same as main's: loaded, saved stroke by stroke, changes from main applied. */
  masks: MaskSyncService;
  destroy(): void;
}

export function createServices(api: ApiClient): Services {
  // Never made reactive: they hold Cornerstone objects, which Vue's proxies would slow down and break.
  const viewer = markRaw(new ViewerService());
  const segmentation = markRaw(new SegmentationService(viewer));
  const masks = markRaw(new MaskSyncService(api, segmentation));
  // Main announces every change of a mask (an accepted proposal, a save from another window).
  const unsubscribeMaskChanges = api.on('onDidChangeMask', (change) => masks.handleMaskChange(change));
  return {
    viewer,
    segmentation,
    masks,
    destroy() {
      unsubscribeMaskChanges();
      masks.destroy();
      segmentation.destroy();
      viewer.destroy();
    }
  };
}
