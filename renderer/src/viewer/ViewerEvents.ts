import type { ViewOrientation } from './computeAcquisitionOrientation';
import { Emitter } from './Emitter';
import type {
  AttachedViewer,
  CrosshairState,
  ShownSequence,
  ShownVolumeInfo,
  SliceState,
  ViewName,
  WindowState
} from './viewerTypes';
import type { HoveredVoxel } from './VoxelProbe';

/** The viewer service's events: each `onDid...` subscribes and returns the handle that unsubscribes. */
export abstract class ViewerEvents {
  protected readonly sliceEmitter = new Emitter<SliceState>();
  protected readonly windowEmitter = new Emitter<WindowState>();
  protected readonly orientationEmitter = new Emitter<ViewOrientation>();
  protected readonly renderEmitter = new Emitter<number>();
  protected readonly zoomEmitter = new Emitter<number>();
  protected readonly hoverEmitter = new Emitter<HoveredVoxel | null>();
  protected readonly willClearEmitter = new Emitter<ShownVolumeInfo>();
  protected readonly attachEmitter = new Emitter<AttachedViewer>();
  protected readonly detachEmitter = new Emitter<AttachedViewer>();
  protected readonly referencesEmitter = new Emitter<string[]>();
  protected readonly showEmitter = new Emitter<ShownVolumeInfo>();
  protected readonly crosshairEmitter = new Emitter<CrosshairState>();
  protected readonly mainViewEmitter = new Emitter<ViewName>();
  protected readonly sequenceEmitter = new Emitter<ShownSequence>();
  protected readonly companionEmitter = new Emitter<ShownSequence | undefined>();
  protected readonly companionWindowEmitter = new Emitter<WindowState>();
  protected readonly companionHoverEmitter = new Emitter<HoveredVoxel | null>();
  private readonly emitters = [
    this.companionHoverEmitter,
    this.sequenceEmitter,
    this.companionEmitter,
    this.companionWindowEmitter,
    this.crosshairEmitter,
    this.mainViewEmitter,
    this.showEmitter,
    this.sliceEmitter,
    this.windowEmitter,
    this.orientationEmitter,
    this.renderEmitter,
    this.zoomEmitter,
    this.hoverEmitter,
    this.willClearEmitter,
    this.attachEmitter,
    this.detachEmitter,
    this.referencesEmitter
  ];

  readonly onDidChangeSlice = this.sliceEmitter.event;
  readonly onDidChangeWindow = this.windowEmitter.event;
  readonly onDidChangeOrientation = this.orientationEmitter.event;
  /** The zoom factor relative to the whole volume fitting the viewport (1). */
  readonly onDidChangeZoom = this.zoomEmitter.event;
  /** The voxel under the mouse pointer, or null when the pointer is off the volume. */
  readonly onDidHoverVoxel = this.hoverEmitter.event;
  /** Fires after each frame the acquisition view draws, with the number of frames drawn so far. */
  readonly onDidRender = this.renderEmitter.event;
  /** Fires before the volume on screen is released (replaced, cleared, detached): layers on it go first. */
  readonly onWillClearVolume = this.willClearEmitter.event;
  /** The page gave the viewer its elements: tools and listeners of other services go there. */
  readonly onDidAttach = this.attachEmitter.event;
  /** The page is taking its elements back: what other services put there goes first. */
  readonly onWillDetach = this.detachEmitter.event;
  /** A volume is on screen (its first frame is on its way): a new window, a new slice count, its own mask. */
  readonly onDidShowVolume = this.showEmitter.event;
  /** The reference planes now show the volume on screen (after its first frame): their viewport ids. */
  readonly onDidShowReferenceViews = this.referencesEmitter.event;
  /** The crosshair moved (a click with the crosshair, a slice scrolled in any view, a new volume). */
  readonly onDidChangeCrosshair = this.crosshairEmitter.event;
  /** Another view became the big one (the layout switch); arrow keys scroll it. */
  readonly onDidChangeMainView = this.mainViewEmitter.event;
  /** Another sequence of the case is on screen in place of the one before (same grid: slice, mask and zoom stay). */
  readonly onDidShowSequence = this.sequenceEmitter.event;
  /** The side-by-side view shows a sequence (its viewport id with it), or nothing (undefined). */
  readonly onDidChangeCompanion = this.companionEmitter.event;
  /** The user changed the side-by-side view's own window (a drag in it). */
  readonly onDidChangeCompanionWindow = this.companionWindowEmitter.event;
  /** The voxel under the pointer in the side-by-side view and its value in that view's sequence, or null. */
  readonly onDidHoverCompanionVoxel = this.companionHoverEmitter.event;

  protected disposeEvents(): void {
    for (const emitter of this.emitters) emitter.dispose();
  }
}
