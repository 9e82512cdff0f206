import { cache, type Types } from '@cornerstonejs/core';
import type { VolumeVoxels } from '../../../main/contract/types';
import { chooseRenderScale, isWorthResizing } from './chooseRenderScale';
import { computeAcquisitionOrientation, type ViewOrientation } from './computeAcquisitionOrientation';
import {
  clipLineToRectangle,
  distanceToPlane,
  intersectionDirection,
  intersectPlanes,
  middleVoxel,
  nearestVoxelAxis,
  projectOntoPlane,
  snapToVoxel,
  voxelCentre,
  type Point2,
  type ViewPlane
} from './crosshairGeometry';
import { CrosshairLines, type CrosshairLine } from './CrosshairLines';
import { createVolumeInCache } from './createVolumeInCache';
import { initializeCornerstone } from './initializeCornerstone';
import { getRenderScale, resetRenderScale, screenPixelRatio, setRenderScale } from './renderScale';
import { cameraAtSlice, sliceAtCamera } from './sliceNavigation';
import { computeInitialWindowRange, toScalarArray, type ViewerScalarArray } from './toScalarArray';
import { ViewerEvents } from './ViewerEvents';
import { ViewerViewports } from './ViewerViewports';
import {
  viewNames,
  type CrosshairState,
  type PlaneName,
  type ShownVolumeInfo,
  type SliceState,
  type ViewerElements,
  type ViewName,
  type WindowState
} from './viewerTypes';
import { add, placementFromAffine, dot, scale, type Vector3 } from './volumeGeometry';
import { VoxelProbe, type ProbedVolume } from './VoxelProbe';

export type {
  CrosshairState,
  PlaneName,
  ShownSequence,
  ShownVolumeInfo,
  SliceState,
  ViewName,
  WindowState
} from './viewerTypes';

/** How a volume is put on screen. */
export interface ShowVolumeOptions {
  /** The sequence of the case these voxels are (the volume's own id, the default, for its reference sequence). */
  sequenceId?: string;
  /**
   * Held as float32 whatever the voxel type, so that another sequence of the case (of any voxel type) can replace
   * the voxels in place (`showSequence`): for cases of several sequences.
   */
  replaceable?: boolean;
}

interface ShownVolume extends ProbedVolume {
  volumeId: string;
  /** The sequence whose voxels the main views show now (the volume's id for its reference sequence). */
  sequenceId: string;
  /** Millimetres between voxel centres along i, j and k. */
  spacing: Vector3;
  cacheId: string;
  sliceCount: number;
  initialWindow: Types.VOIRange;
  /** The standard plane nearest to the acquired one. */
  acquisitionPlane: PlaneName;
}

/**
 * One volume shown along its acquisition axis, with the navigation tools, and the sagittal and coronal planes of the
 * same volume beside it when the page has room for them (MPR, as in ITK-SNAP and Slicer): one crosshair point that
 * all three views cut, drawn in each as the lines of the other two planes, moved by a click with the crosshair (or
 * Ctrl + click) in any view and by scrolling any view; each view with its own wheel, the window shared; any view can
 * be the main one (arrow keys scroll it). One instance for the whole app (see services/createServices): the page
 * attaches its elements with `attach` and takes them back with `detach`. Vue reaches Cornerstone only through this
 * class and the segmentation service: methods to act, `onDid...` events that return an unsubscribe handle, `destroy()`.
 */
export class ViewerService extends ViewerEvents {
  private viewports: ViewerViewports | undefined;
  private probe: VoxelProbe | undefined;
  private shown: ShownVolume | undefined;
  private showRequest = 0;
  private showQueue: Promise<void> = Promise.resolve();
  private lastSlice: SliceState | undefined;
  /** The acquisition plane's camera directions for the volume on screen. */
  private orientation: ViewOrientation | undefined;
  private renderCount = 0;
  private lastZoom: number | undefined;
  private probes = new Map<ViewName, VoxelProbe>();
  /** The side-by-side view's probe: the value of its own sequence under the pointer. */
  private companionProbe: VoxelProbe | undefined;
  private crosshair: CrosshairState | undefined;
  /** True while the views are being moved onto the crosshair: their camera events do not move it. */
  private placingViews = false;
  private crosshairLines = new Map<ViewName, CrosshairLines>();
  private crosshairLinesVisible = true;
  /** Whether a plain left click or drag moves the crosshair (the crosshair tool); Ctrl + left always does. */
  private crosshairOnLeftButton = false;
  private crosshairDrag: { view: ViewName; pointerId: number } | undefined;
  private mainView: ViewName = 'acquisition';
  /** The last layout change whose views are still to be fitted to their new sizes. */
  private refitRequest = 0;
  /** The sequence in the side-by-side view: its own cached volume on the case's grid, replaced in place. */
  private companionVolume: { cacheId: string; sequenceId: string; scalarData: ViewerScalarArray } | undefined;
  /** Whether the side-by-side view is on screen: it follows the acquisition view's camera only then. */
  private companionActive = false;
  /** True while one of the acquisition and side-by-side views is being moved onto the other's camera. */
  private syncingCompanion = false;

  /** Draws in `elements` from now on (replacing any earlier ones); nothing is shown until `showVolume`. */
  attach(elements: ViewerElements): void {
    this.detach();
    initializeCornerstone();
    const viewports = new ViewerViewports(elements, {
      handleCameraModified: this.handleCameraModified,
      handleWindowModified: this.handleWindowModified,
      handleRendered: this.handleRendered,
      handleViewRendered: this.handleViewRendered,
      handleActorsChanged: this.handleActorsChanged,
      handleResize: () => this.handleResize()
    });
    this.viewports = viewports;
    for (const view of viewNames) {
      const element = viewports.element(view);
      if (!element) continue;
      const probe = new VoxelProbe(
        element,
        () => viewports.viewport(view)!,
        () => (this.isShowing(view) ? this.shown : undefined)
      );
      probe.onDidHoverVoxel((voxel) => this.hoverEmitter.fire(voxel));
      this.probes.set(view, probe);
      const lines = new CrosshairLines(element);
      lines.setVisible(this.crosshairLinesVisible);
      this.crosshairLines.set(view, lines);
      element.addEventListener('pointerdown', this.handlePointerDown);
      element.addEventListener('pointermove', this.handlePointerMove);
      element.addEventListener('pointerup', this.handlePointerUp);
      element.addEventListener('pointercancel', this.handlePointerUp);
    }
    this.probe = this.probes.get('acquisition');
    const companionElement = elements.companion;
    if (companionElement) {
      this.companionProbe = new VoxelProbe(companionElement, () => viewports.companion!, () => this.probedCompanion());
      this.companionProbe.onDidHoverVoxel((voxel) => this.companionHoverEmitter.fire(voxel));
    }
    this.attachEmitter.fire({
      element: elements.acquisition,
      elements: viewports.allElements,
      toolGroupId: viewports.toolGroupId
    });
  }

  /** Releases the volume shown and everything Cornerstone put in the page's elements. */
  detach(): void {
    const viewports = this.viewports;
    if (!viewports) return;
    this.clear();
    this.detachEmitter.fire({
      element: viewports.elements.acquisition,
      elements: viewports.allElements,
      toolGroupId: viewports.toolGroupId
    });
    for (const probe of this.probes.values()) probe.dispose();
    this.probes.clear();
    this.companionProbe?.dispose();
    this.companionProbe = undefined;
    this.probe = undefined;
    for (const lines of this.crosshairLines.values()) lines.dispose();
    this.crosshairLines.clear();
    for (const element of viewports.allElements) {
      element.removeEventListener('pointerdown', this.handlePointerDown);
      element.removeEventListener('pointermove', this.handlePointerMove);
      element.removeEventListener('pointerup', this.handlePointerUp);
      element.removeEventListener('pointercancel', this.handlePointerUp);
    }
    this.crosshairDrag = undefined;
    this.viewports = undefined;
    viewports.dispose();
  }

  /**
   * Shows the volume's middle acquired slice, in the standard radiological orientation, with `window` (the one the
   * project stored: the DICOM file's, or the tissue's robust range), or a robust window of the voxels when none is
   * given. The sagittal and coronal planes follow after the first frame. Calls run one after the other; one
   * overtaken by a later call (or by `clear`) before it starts does nothing.
   */
  showVolume(voxels: VolumeVoxels, window?: WindowState, options: ShowVolumeOptions = {}): Promise<void> {
    const request = ++this.showRequest;
    const run = this.showQueue.then(() =>
      request === this.showRequest ? this.replaceVolume(voxels, request, window, options) : undefined
    );
    this.showQueue = run.catch(() => undefined);
    return run;
  }

  private async replaceVolume(
    voxels: VolumeVoxels,
    request: number,
    window: WindowState | undefined,
    options: ShowVolumeOptions
  ): Promise<void> {
    const viewports = this.viewports;
    if (!viewports) throw new Error('the viewer is not attached to the page');
    const placement = placementFromAffine(voxels.geometry.voxelToPatient);
    const scalarData = toViewerScalars(voxels, options.replaceable ?? false);
    // No ':' in the id: Cornerstone would read a loader scheme from it and try to load the slices it already has.
    const cacheId = `genseg-volume-${voxels.volumeId}-${request}`;
    createVolumeInCache(cacheId, voxels, placement, scalarData);
    const previous = this.release(viewports);
    // The acquisition view alone first: its first frame does not wait for the sagittal and coronal planes.
    await viewports.acquisition.setVolumes([{ volumeId: cacheId }]);
    if (previous) cache.removeVolumeLoadObject(previous.cacheId);
    if (request !== this.showRequest || viewports !== this.viewports) {
      // Cleared or detached while loading: show nothing rather than a volume nobody asked for any more.
      if (viewports === this.viewports) viewports.acquisition.removeAllActors();
      cache.removeVolumeLoadObject(cacheId);
      return;
    }
    this.shown = {
      acquisitionPlane: nearestPlane(computeAcquisitionOrientation(placement).viewPlaneNormal),
      volumeId: voxels.volumeId,
      sequenceId: options.sequenceId ?? voxels.volumeId,
      cacheId,
      spacing: placement.spacing,
      voxelToPatient: voxels.geometry.voxelToPatient,
      dimensions: voxels.geometry.dimensions,
      scalarData,
      sliceCount: voxels.geometry.dimensions[2],
      initialWindow: toVoiRange(window) ?? computeInitialWindowRange(scalarData)
    };
    this.orientation = computeAcquisitionOrientation(placement);
    viewports.acquisition.setOrientation(this.orientation);
    this.fitCanvases();
    viewports.acquisition.setProperties({ voiRange: this.shown.initialWindow });
    // The crosshair starts on the middle voxel: the middle acquired slice, and the middle of the other two planes.
    this.moveCrosshair(voxelCentre(this.shown.voxelToPatient, middleVoxel(this.shown)));
    this.windowEmitter.fire(this.getWindow());
    this.showEmitter.fire(this.getShownVolume()!);
    void this.showReferenceViews(viewports, request);
  }

  /** Takes the volume on screen out of every view (the acquisition view keeps its image until replaced). */
  private release(viewports: ViewerViewports): ShownVolume | undefined {
    const previous = this.shown;
    this.shown = undefined;
    this.lastSlice = undefined;
    this.crosshair = undefined;
    this.crosshairDrag = undefined;
    for (const lines of this.crosshairLines.values()) lines.draw(undefined, []);
    if (previous) this.willClearEmitter.fire(previous);
    viewports.emptyReferences();
    this.emptyCompanion(viewports);
    return previous;
  }

  /**
   * Puts another sequence of the case on screen in place of the one shown, in every view: it is on the same grid, so
   * the slice, zoom, pan, crosshair, mask and proposal all stay (only the voxels and the window change), as switching
   * series in a hanging protocol does. The volume must have been shown `replaceable`. `window` is the one to show it
   * with (the one last used for this sequence, or its stored one). Runs after any `showVolume` before it; a later
   * `showVolume` or `clear` makes it do nothing.
   */
  showSequence(voxels: VolumeVoxels, sequenceId: string, window?: WindowState): Promise<void> {
    const request = this.showRequest;
    const run = this.showQueue.then(() => {
      if (request === this.showRequest) this.replaceSequence(voxels, sequenceId, window);
    });
    this.showQueue = run.catch(() => undefined);
    return run;
  }

  private replaceSequence(voxels: VolumeVoxels, sequenceId: string, window: WindowState | undefined): void {
    const shown = this.shown;
    const viewports = this.viewports;
    if (!shown || !viewports) return;
    requireSameGrid(shown, voxels);
    writeScalars(shown.cacheId, shown.scalarData, toScalarArray(voxels.bytes, voxels.scalarType));
    // Before the window is announced: whoever remembers windows per sequence reads which sequence it belongs to.
    shown.sequenceId = sequenceId;
    shown.initialWindow = toVoiRange(window) ?? computeInitialWindowRange(shown.scalarData);
    this.applyWindowEverywhere(shown.initialWindow);
    for (const viewport of viewports.showing) viewport.render();
    for (const probe of this.probes.values()) probe.refresh();
    this.sequenceEmitter.fire({ volumeId: shown.volumeId, sequenceId, viewportId: viewports.acquisitionId });
  }

  /**
   * Shows a sequence of the case on screen in the side-by-side view (the page's `companion` element): the acquired
   * plane on the same slice, zoom and pan as the acquisition view, scrolled together with it, with its own window;
   * the mask and the proposal are drawn over it too. Another call replaces its voxels in place.
   */
  showCompanion(voxels: VolumeVoxels, sequenceId: string, window?: WindowState): Promise<void> {
    const request = this.showRequest;
    const run = this.showQueue.then(() =>
      request === this.showRequest ? this.replaceCompanion(voxels, sequenceId, window) : undefined
    );
    this.showQueue = run.catch(() => undefined);
    return run;
  }

  private async replaceCompanion(voxels: VolumeVoxels, sequenceId: string, window: WindowState | undefined): Promise<void> {
    const shown = this.shown;
    const viewports = this.viewports;
    const viewport = viewports?.companion;
    if (!shown || !viewports || !viewport) return;
    requireSameGrid(shown, voxels);
    const scalarData = toViewerScalars(voxels, true);
    const range = toVoiRange(window) ?? computeInitialWindowRange(scalarData);
    if (this.companionVolume) {
      writeScalars(this.companionVolume.cacheId, this.companionVolume.scalarData, scalarData);
      this.companionVolume.sequenceId = sequenceId;
    } else {
      const cacheId = `${shown.cacheId}-companion`;
      createVolumeInCache(cacheId, voxels, placementFromAffine(voxels.geometry.voxelToPatient), scalarData);
      await viewport.setVolumes([{ volumeId: cacheId }]);
      if (shown !== this.shown || viewports !== this.viewports) {
        if (viewports === this.viewports) viewport.removeAllActors();
        cache.removeVolumeLoadObject(cacheId);
        return;
      }
      this.companionVolume = { cacheId, sequenceId, scalarData };
    }
    this.companionActive = true;
    this.companionProbe?.refresh();
    viewport.setProperties({ voiRange: range });
    this.syncCompanion();
    viewport.render();
    this.companionEmitter.fire({ volumeId: shown.volumeId, sequenceId, viewportId: viewports.companionId! });
  }

  /** The side-by-side view is off screen: it stops following (it keeps its voxels until the volume goes). */
  hideCompanion(): void {
    if (!this.companionActive) return;
    this.companionActive = false;
    this.companionEmitter.fire(undefined);
  }

  /** The sequence the side-by-side view shows, while it is on screen. */
  getCompanionSequenceId(): string | undefined {
    return this.companionActive ? this.companionVolume?.sequenceId : undefined;
  }

  /** The acquired slice (k) the side-by-side view's camera is on, while it is on screen: the same as the main one's. */
  getCompanionSlice(): number | undefined {
    const shown = this.shown;
    const camera = this.companionActive && this.companionVolume ? this.viewports?.companion?.getCamera() : undefined;
    const { focalPoint, position, viewPlaneNormal } = camera ?? {};
    if (!shown || !focalPoint || !position || !viewPlaneNormal) return undefined;
    return sliceAtCamera(shown, { focalPoint, position, viewPlaneNormal }).index;
  }

  /** The side-by-side view's window, while it is on screen. */
  getCompanionWindow(): WindowState | undefined {
    const range = this.companionActive ? this.viewports?.companion?.getProperties()?.voiRange : undefined;
    return range ? toWindowState(range) : undefined;
  }

  private emptyCompanion(viewports: ViewerViewports): void {
    const companion = this.companionVolume;
    this.companionVolume = undefined;
    if (this.companionActive) this.companionEmitter.fire(undefined);
    this.companionActive = false;
    if (!companion) return;
    viewports.companion?.removeAllActors();
    viewports.companion?.render();
    cache.removeVolumeLoadObject(companion.cacheId);
  }

  /** What the side-by-side view's probe reads: the case's grid, that view's voxels. */
  private probedCompanion(): ProbedVolume | undefined {
    const shown = this.shown;
    const companion = this.companionActive ? this.companionVolume : undefined;
    return shown && companion
      ? { voxelToPatient: shown.voxelToPatient, dimensions: shown.dimensions, scalarData: companion.scalarData }
      : undefined;
  }

  /** The side-by-side view onto the acquisition view's camera: the same slice, zoom and pan. */
  private syncCompanion(): void {
    const viewports = this.viewports;
    const companion = viewports?.companion;
    if (!viewports || !companion || !this.companionActive || !this.companionVolume || this.syncingCompanion) return;
    const { focalPoint, position, viewPlaneNormal, viewUp, parallelScale } = viewports.acquisition.getCamera();
    this.syncingCompanion = true;
    try {
      companion.setCamera({ focalPoint, position, viewPlaneNormal, viewUp, parallelScale });
      companion.render();
    } finally {
      this.syncingCompanion = false;
    }
    this.companionProbe?.refresh();
  }

  /** The user scrolled, zoomed or panned the side-by-side view: the acquisition view (and all that follows it) too. */
  private followCompanion(camera: Types.ICamera): void {
    const viewport = this.viewports?.acquisition;
    if (!viewport || !this.companionActive || this.syncingCompanion || !this.shown) return;
    const { focalPoint, position, viewPlaneNormal, viewUp, parallelScale } = camera;
    this.syncingCompanion = true;
    try {
      viewport.setCamera({ focalPoint, position, viewPlaneNormal, viewUp, parallelScale });
      viewport.render();
    } finally {
      this.syncingCompanion = false;
    }
  }

  /** Puts the volume on screen in the sagittal and coronal planes once the acquisition view has drawn it. */
  private async showReferenceViews(viewports: ViewerViewports, request: number): Promise<void> {
    if (viewports.referenceIds.length === 0 || !(await this.nextFrame())) return;
    const shown = this.shown;
    const isWanted = () => request === this.showRequest && viewports === this.viewports && shown === this.shown;
    if (!shown || !isWanted()) return;
    // The window the user has by now (a preset may have been chosen since the first frame).
    const voiRange = viewports.acquisition.getProperties()?.voiRange ?? shown.initialWindow;
    if (!(await viewports.fillReferences(shown.cacheId, voiRange, isWanted))) return;
    // The reference planes go through the crosshair (which the user may have moved in the meantime).
    if (this.crosshair) {
      this.placeViewsOnCrosshair(this.crosshair.point);
      this.crosshair = this.describeCrosshair(this.crosshair.point);
      this.crosshairEmitter.fire(this.crosshair);
    }
    this.referencesEmitter.fire([...viewports.referenceIds]);
    this.drawAllCrosshairLines();
  }

  /** True after the acquisition view's next frame of the volume on screen; false if the volume goes first. */
  private nextFrame(): Promise<boolean> {
    return new Promise((resolve) => {
      const unsubscribes = [this.onDidRender(() => done(true)), this.onWillClearVolume(() => done(false))];
      function done(drawn: boolean): void {
        for (const unsubscribe of unsubscribes) unsubscribe();
        resolve(drawn);
      }
    });
  }

  /** Shows nothing and releases the volume shown (when the user closes the project or the volume goes away). */
  clear(): void {
    this.showRequest++;
    const viewports = this.viewports;
    if (!this.shown || !viewports) return;
    const shown = this.release(viewports);
    viewports.acquisition.removeAllActors();
    viewports.acquisition.render();
    if (shown) cache.removeVolumeLoadObject(shown.cacheId);
  }

  /**
   * Every viewport showing the volume on screen: the acquisition view first, then the reference planes once shown,
   * and the side-by-side view once it has shown a sequence.
   */
  get viewportIds(): string[] {
    if (!this.shown || !this.viewports) return [];
    const companionId = this.companionVolume ? this.viewports.companionId : undefined;
    return [...this.viewports.showingIds, ...(companionId ? [companionId] : [])];
  }

  getShownVolume(): ShownVolumeInfo | undefined {
    const shown = this.shown;
    return shown
      ? {
          volumeId: shown.volumeId,
          sequenceId: shown.sequenceId,
          cacheId: shown.cacheId,
          dimensions: shown.dimensions,
          acquisitionPlane: shown.acquisitionPlane
        }
      : undefined;
  }

  /** The standard plane each view shows: the acquired plane's nearest one, sagittal, coronal. */
  planeOf(view: ViewName): PlaneName | undefined {
    if (view !== 'acquisition') return view;
    return this.shown?.acquisitionPlane;
  }

  getCrosshair(): CrosshairState | undefined {
    return this.crosshair;
  }

  /**
   * Moves the crosshair to the voxel nearest `point` (LPS millimetres, kept inside the volume) and every view onto it,
   * keeping each view's zoom and pan: the view the user clicked in stays where it is, the other two follow.
   */
  moveCrosshair(point: readonly number[]): void {
    const shown = this.shown;
    if (!shown) return;
    const snapped = snapToVoxel(shown, point);
    this.crosshair = this.describeCrosshair(snapped.point);
    this.placeViewsOnCrosshair(snapped.point);
    this.crosshairEmitter.fire(this.crosshair);
    this.drawAllCrosshairLines();
  }

  /** Moves the crosshair to the point under (x, y), in pixels from the top-left corner of the view `view`. */
  moveCrosshairToScreenPoint(view: ViewName, x: number, y: number): void {
    const viewport = this.viewports?.viewport(view);
    if (!viewport || !this.isShowing(view)) return;
    this.moveCrosshair(viewport.canvasToWorld([x, y]));
  }

  /** A plain left click or drag moves the crosshair (the crosshair tool), or only Ctrl + left (any other tool). */
  setCrosshairOnLeftButton(enabled: boolean): void {
    this.crosshairOnLeftButton = enabled;
  }

  /** Shows or hides the crosshair lines in every view (the crosshair itself stays where it is). */
  setCrosshairLinesVisible(visible: boolean): void {
    this.crosshairLinesVisible = visible;
    for (const lines of this.crosshairLines.values()) lines.setVisible(visible);
  }

  /** The view arrow keys (and `scrollSlices`) act on: the big one of the layout. */
  setMainView(view: ViewName): void {
    if (view === this.mainView) return;
    this.mainView = view;
    this.mainViewEmitter.fire(view);
    this.refitLayout();
  }

  /**
   * The page changed the views' sizes (the main view, side by side on or off): once it has laid them out again (two
   * frames: the page's update, then its layout), each view is fitted to its new size; a view that was small would
   * otherwise keep its small zoom in a big place (and the other way round).
   */
  refitLayout(): void {
    const request = ++this.refitRequest;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (request !== this.refitRequest || !this.shown) return;
        this.fitCanvases();
        this.fitViewsAroundCrosshair();
        this.syncCompanion();
      })
    );
  }

  /** The camera directions of the view `view` (for its orientation letters), once it shows the volume. */
  getViewOrientation(view: ViewName): ViewOrientation | undefined {
    const viewport = this.viewports?.viewport(view);
    if (!viewport || !this.isShowing(view)) return undefined;
    const { viewPlaneNormal, viewUp } = viewport.getCamera();
    return viewPlaneNormal && viewUp ? { viewPlaneNormal, viewUp } : undefined;
  }

  getMainView(): ViewName {
    return this.mainView;
  }

  /** Whether the view `view` shows the volume on screen now (the reference planes come after the first frame). */
  isShowing(view: ViewName): boolean {
    const viewports = this.viewports;
    const id = viewports?.viewportIdOf(view);
    return !!this.shown && !!id && viewports!.showingIds.includes(id);
  }

  /** Puts every view showing the volume on the plane through `point`, along its own normal (zoom and pan stay). */
  private placeViewsOnCrosshair(point: Vector3): void {
    const viewports = this.viewports;
    if (!viewports) return;
    this.placingViews = true;
    try {
      for (const viewport of viewports.showing) {
        const { focalPoint, position, viewPlaneNormal } = viewport.getCamera();
        if (!focalPoint || !position || !viewPlaneNormal) continue;
        const distance = distanceToPlane({ point: focalPoint, normal: viewPlaneNormal }, point);
        if (Math.abs(distance) < 1e-6) continue;
        const shift = scale(viewPlaneNormal, distance);
        viewport.setCamera({ focalPoint: add(focalPoint, shift), position: add(position, shift) });
        viewport.render();
      }
    } finally {
      this.placingViews = false;
    }
  }

  /** The plane the view `view` shows now. */
  private viewPlane(view: ViewName): ViewPlane | undefined {
    const viewport = this.viewports?.viewport(view);
    if (!viewport || !this.isShowing(view)) return undefined;
    const { focalPoint, viewPlaneNormal } = viewport.getCamera();
    return focalPoint && viewPlaneNormal ? { point: focalPoint, normal: viewPlaneNormal } : undefined;
  }

  /**
   * A view moved off the crosshair (its slice scrolled): the crosshair goes to where the three planes meet now, or
   * straight onto the moved plane while the acquisition view is alone.
   */
  private followView(view: ViewName): void {
    const shown = this.shown;
    const crosshair = this.crosshair;
    const plane = this.viewPlane(view);
    if (!shown || !crosshair || !plane || this.placingViews) return;
    if (Math.abs(distanceToPlane(plane, crosshair.point)) < 1e-3) return;
    const planes = viewNames.map((name) => this.viewPlane(name)).filter((found) => found !== undefined);
    const point =
      (planes.length === 3 ? intersectPlanes(planes as [ViewPlane, ViewPlane, ViewPlane]) : undefined) ??
      projectOntoPlane(plane, crosshair.point);
    this.crosshair = this.describeCrosshair(point);
    this.crosshairEmitter.fire(this.crosshair);
    this.drawAllCrosshairLines();
  }

  private describeCrosshair(point: Vector3): CrosshairState {
    const shown = this.shown!;
    const voxel = snapToVoxel(shown, point).voxel;
    const slices: CrosshairState['slices'] = {};
    for (const view of viewNames) {
      const plane = this.viewPlane(view);
      if (!plane) continue;
      const axis = nearestVoxelAxis(shown.voxelToPatient, plane.normal);
      slices[view] = { index: voxel[axis], count: shown.dimensions[axis] };
    }
    return { point, voxel, slices };
  }

  private drawAllCrosshairLines(): void {
    for (const view of viewNames) this.drawCrosshairLines(view);
  }

  /** The lines where the other views' planes cut the view `view`, through the crosshair point. */
  private drawCrosshairLines(view: ViewName): void {
    const lines = this.crosshairLines.get(view);
    const viewports = this.viewports;
    const crosshair = this.crosshair;
    if (!lines) return;
    const viewport = viewports?.viewport(view);
    const element = viewports?.element(view);
    const normal = viewport?.getCamera().viewPlaneNormal;
    if (!viewport || !element || !normal || !crosshair || !this.isShowing(view)) {
      lines.draw(undefined, []);
      return;
    }
    const centre = viewport.worldToCanvas(crosshair.point) as Point2;
    const drawn: CrosshairLine[] = [];
    for (const other of viewNames) {
      if (other === view || !this.isShowing(other)) continue;
      const otherNormal = viewports!.viewport(other)?.getCamera().viewPlaneNormal;
      const direction = otherNormal && intersectionDirection(normal, otherNormal);
      if (!direction) continue;
      const far = viewport.worldToCanvas(add(crosshair.point, scale(direction, 10)));
      const ends = clipLineToRectangle(
        centre,
        [far[0] - centre[0], far[1] - centre[1]],
        element.clientWidth,
        element.clientHeight
      );
      if (ends) drawn.push({ plane: other, from: ends[0], to: ends[1] });
    }
    lines.draw(centre, drawn);
  }

  render(): void {
    this.viewports?.acquisition.render();
  }

  getSlice(): SliceState | undefined {
    return this.lastSlice;
  }

  /** Moves to acquired slice `index` (zero-based), keeping zoom and pan. */
  setSlice(index: number): void {
    const shown = this.shown;
    const viewport = this.viewports?.acquisition;
    if (!shown || !viewport) return;
    const { focalPoint, position, viewPlaneNormal } = viewport.getCamera();
    if (!focalPoint || !position || !viewPlaneNormal) return;
    viewport.setCamera(cameraAtSlice(shown, { focalPoint, position, viewPlaneNormal }, index));
    viewport.render();
  }

  /**
   * Moves `delta` slices the way the wheel does (Cornerstone's scroll, as in OHIF): positive towards the feet in an
   * axial view, whichever way the volume's k axis runs.
   */
  scrollSlices(delta: number): void {
    const view = this.isShowing(this.mainView) ? this.mainView : 'acquisition';
    if (this.shown) this.viewports?.viewport(view)?.scroll(delta);
  }

  getWindow(): WindowState {
    const range = this.viewports?.acquisition.getProperties()?.voiRange ??
      this.shown?.initialWindow ?? { lower: 0, upper: 1 };
    return toWindowState(range);
  }

  setWindow({ width, center }: WindowState): void {
    this.applyWindowEverywhere({ lower: center - width / 2, upper: center + width / 2 });
  }

  /** The window the volume opened with (its robust intensity range): the brain MR preset. */
  resetWindow(): void {
    if (this.shown) this.applyWindowEverywhere(this.shown.initialWindow);
  }

  private applyWindowEverywhere(range: Types.VOIRange): void {
    if (!this.shown) return;
    this.viewports?.applyWindow(range);
    this.windowEmitter.fire(toWindowState(range));
  }

  /** Zoom, pan and window back to how the volume first appeared; the slice stays. */
  resetView(): void {
    const shown = this.shown;
    if (!shown) return;
    this.applyWindowEverywhere(shown.initialWindow);
    // Each view back on the crosshair: the slices stay.
    this.fitViewsAroundCrosshair();
  }

  destroy(): void {
    this.detach();
    this.disposeEvents();
    resetRenderScale();
  }

  /**
   * Sizes the canvases for one canvas pixel per voxel of the acquisition view at its present zoom (see
   * chooseRenderScale: software WebGL pays for every pixel), and fits them to their elements.
   */
  private fitCanvases(): void {
    const wanted = this.wantedRenderScale();
    if (wanted !== undefined && wanted !== getRenderScale()) setRenderScale(wanted);
    this.viewports?.resize();
  }

  private resizeFrame: number | undefined;

  /**
   * After the frame Cornerstone may have pending: while one is, its resize keeps the canvases at their old size and
   * the image is stretched to the new shape (pointer and pixels then disagree).
   */
  private handleResize(): void {
    if (this.resizeFrame !== undefined) return;
    this.resizeFrame = requestAnimationFrame(() => {
      this.resizeFrame = undefined;
      if (this.viewports) this.fitCanvases();
    });
  }

  /** Every view shows the whole volume again (zoom and pan reset), on the crosshair's planes; the window stays. */
  private fitViewsAroundCrosshair(): void {
    const crosshair = this.crosshair;
    const showing = this.viewports?.showing ?? [];
    this.placingViews = true;
    try {
      for (const viewport of showing) viewport.resetCamera();
    } finally {
      this.placingViews = false;
    }
    if (crosshair) this.placeViewsOnCrosshair(crosshair.point);
    for (const viewport of showing) viewport.render();
    this.drawAllCrosshairLines();
  }

  private isRenderScaleStale(): boolean {
    const wanted = this.wantedRenderScale();
    return wanted !== undefined && isWorthResizing(getRenderScale(), wanted);
  }

  private wantedRenderScale(): number | undefined {
    const shown = this.shown;
    const viewports = this.viewports;
    if (!shown || !viewports) return undefined;
    // The main view decides: it is the one read at full size.
    const view = this.isShowing(this.mainView) ? this.mainView : 'acquisition';
    const { parallelScale } = viewports.viewport(view)!.getCamera();
    return chooseRenderScale({
      screenRatio: screenPixelRatio(),
      viewHeight: viewports.element(view)!.clientHeight,
      viewHeightMillimetres: 2 * (parallelScale ?? 0),
      finestSpacing: Math.min(shown.spacing[0], shown.spacing[1])
    });
  }

  private readonly handleCameraModified = (event: Event): void => {
    const shown = this.shown;
    const viewports = this.viewports;
    const viewport = viewports?.acquisition;
    if (!shown || !viewport) return;
    const { camera, viewportId } = (event as Types.EventTypes.CameraModifiedEvent).detail;
    if (viewportId === viewports.companionId) {
      this.followCompanion(camera);
      return;
    }
    const view = viewports.nameOf(viewportId);
    if (!view) return;
    this.followView(view);
    if (view !== 'acquisition') {
      this.probes.get(view)?.refresh();
      return;
    }
    this.syncCompanion();
    const { focalPoint, position, viewPlaneNormal, viewUp } = camera;
    if (!focalPoint || !viewPlaneNormal || !viewUp || !position) return;
    this.orientationEmitter.fire({ viewPlaneNormal, viewUp });
    this.probe?.refresh();
    const zoom = viewport.getZoom();
    if (zoom !== this.lastZoom) {
      this.lastZoom = zoom;
      this.zoomEmitter.fire(zoom);
      // Not inside Cornerstone's camera event (the resize sets the camera again), and after the frame the zoom asked
      // for: Cornerstone leaves the canvases at their old size while a frame is pending.
      if (this.isRenderScaleStale()) requestAnimationFrame(() => this.fitCanvases());
    }
    const slice = sliceAtCamera(shown, { focalPoint, position, viewPlaneNormal });
    if (slice.index === this.lastSlice?.index) return;
    this.lastSlice = slice;
    this.sliceEmitter.fire(slice);
  };

  /** A window/level drag in any of the views sets the same window in the others (one window per volume, as in Slicer). */
  private readonly handleWindowModified = (event: Event): void => {
    const { range, viewportId } = (event as Types.EventTypes.VoiModifiedEvent).detail;
    const viewports = this.viewports;
    // The side-by-side view keeps its own window (its sequence's).
    if (viewportId === viewports?.companionId) {
      if (range && this.companionActive) this.companionWindowEmitter.fire(toWindowState(range));
      return;
    }
    // Views being filled announce the volume's default window: not the user's.
    if (!range || !this.shown || !viewports?.showingIds.includes(viewportId)) return;
    viewports.applyWindow(range, viewportId);
    this.windowEmitter.fire(toWindowState(range));
  };

  /**
   * Adding a layer (a labelmap) resets the camera and restores only the plane and zoom, not which way is up: the
   * acquisition view's up direction is put back, so sagittal and coronal scans stay head up.
   */
  private readonly handleActorsChanged = (event: Event): void => {
    const { addedActors } = (event as CustomEvent<{ addedActors?: unknown[] }>).detail;
    const orientation = this.orientation;
    const viewport = this.viewports?.acquisition;
    if (!this.shown || !orientation || !viewport || !addedActors?.length) return;
    const camera = viewport.getCamera();
    if (!camera.viewUp || !camera.viewPlaneNormal) return;
    if (dot(camera.viewPlaneNormal as Vector3, orientation.viewPlaneNormal) < 0.999) return;
    if (dot(camera.viewUp as Vector3, orientation.viewUp) > 0.999) return;
    viewport.setCamera({ viewUp: orientation.viewUp });
    viewport.render();
  };

  private readonly handleRendered = (): void => {
    if (!this.shown) return;
    this.renderCount++;
    this.renderEmitter.fire(this.renderCount);
  };

  /** Every frame of every view: its crosshair lines follow its zoom and pan. */
  private readonly handleViewRendered = (event: Event): void => {
    const { viewportId } = (event as Types.EventTypes.ImageRenderedEvent).detail;
    const view = this.viewports?.nameOf(viewportId);
    if (view) this.drawCrosshairLines(view);
  };

  /** Left button with the crosshair tool, or Ctrl (⌘) + left with any tool: the crosshair follows the pointer. */
  private readonly handlePointerDown = (event: PointerEvent): void => {
    if (event.button !== 0 || !this.shown) return;
    if (!(event.ctrlKey || event.metaKey || (this.crosshairOnLeftButton && !event.shiftKey && !event.altKey))) return;
    const element = event.currentTarget as HTMLDivElement;
    const view = viewNames.find((name) => this.viewports?.element(name) === element);
    if (!view || !this.isShowing(view)) return;
    this.crosshairDrag = { view, pointerId: event.pointerId };
    element.setPointerCapture?.(event.pointerId);
    this.followPointer(view, element, event);
  };

  private readonly handlePointerMove = (event: PointerEvent): void => {
    const drag = this.crosshairDrag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    const element = this.viewports?.element(drag.view);
    if (element) this.followPointer(drag.view, element, event);
  };

  private readonly handlePointerUp = (event: PointerEvent): void => {
    if (this.crosshairDrag?.pointerId !== event.pointerId) return;
    this.crosshairDrag = undefined;
    const element = event.currentTarget as HTMLDivElement;
    if (element.hasPointerCapture?.(event.pointerId)) element.releasePointerCapture(event.pointerId);
  };

  private followPointer(view: ViewName, element: HTMLDivElement, event: PointerEvent): void {
    const box = element.getBoundingClientRect();
    this.moveCrosshairToScreenPoint(view, event.clientX - box.left, event.clientY - box.top);
  }
}

/** The standard plane whose normal is nearest to `normal` (LPS): x sagittal, y coronal, z axial. */
function nearestPlane(normal: readonly number[]): PlaneName {
  const axis = [0, 1, 2].reduce((best, index) => (Math.abs(normal[index]) > Math.abs(normal[best]) ? index : best));
  return (['sagittal', 'coronal', 'axial'] as const)[axis];
}

function toWindowState({ lower, upper }: Types.VOIRange): WindowState {
  return { width: upper - lower, center: (upper + lower) / 2 };
}

function toVoiRange(window: WindowState | undefined): Types.VOIRange | undefined {
  return window && window.width > 0
    ? { lower: window.center - window.width / 2, upper: window.center + window.width / 2 }
    : undefined;
}

/**
 * Main's voxels for Cornerstone; when another sequence may replace them in place, as float32 and never a view on
 * `voxels.bytes` (the caller may keep those: the sequences' voxels are cached for flipping back).
 */
function toViewerScalars(voxels: VolumeVoxels, replaceable: boolean): ViewerScalarArray {
  const scalars = toScalarArray(voxels.bytes, voxels.scalarType);
  if (!replaceable) return scalars;
  return scalars instanceof Float32Array && scalars.buffer !== voxels.bytes.buffer ? scalars : new Float32Array(scalars);
}

/** A sequence of the case shown in place of another must be on the case's grid (main puts every one there). */
function requireSameGrid(shown: ShownVolume, voxels: VolumeVoxels): void {
  const sameCase = voxels.volumeId === shown.volumeId;
  const sameDimensions = voxels.geometry.dimensions.every((size, axis) => size === shown.dimensions[axis]);
  if (!sameCase || !sameDimensions) throw new Error('the sequence is not on the grid of the case on screen');
}

/** Replaces a cached volume's voxels in place, and has the views upload them again. */
function writeScalars(cacheId: string, target: ViewerScalarArray, source: ViewerScalarArray): void {
  if (target instanceof Uint8Array && !(source instanceof Uint8Array))
    throw new Error('the volume on screen was not shown replaceable');
  target.set(source);
  cache.getVolume(cacheId)?.invalidate();
}
