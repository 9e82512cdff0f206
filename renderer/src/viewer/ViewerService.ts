import { cache, type Types } from '@cornerstonejs/core';
import type { VolumeVoxels } from '../../../main/contract/types';
import { chooseRenderScale, isWorthResizing } from './chooseRenderScale';
import { computeAcquisitionOrientation, type ViewOrientation } from './computeAcquisitionOrientation';
import { createVolumeInCache } from './createVolumeInCache';
import { initializeCornerstone } from './initializeCornerstone';
import { getRenderScale, resetRenderScale, screenPixelRatio, setRenderScale } from './renderScale';
import { cameraAtSlice, sliceAtCamera } from './sliceNavigation';
import { computeInitialWindowRange, toScalarArray } from './toScalarArray';
import { ViewerEvents } from './ViewerEvents';
import { ViewerViewports } from './ViewerViewports';
import type { ShownVolumeInfo, SliceState, ViewerElements, WindowState } from './viewerTypes';
import { placementFromAffine, dot, type Vector3 } from './volumeGeometry';
import { VoxelProbe, type ProbedVolume } from './VoxelProbe';

export type { ShownVolumeInfo, SliceState, WindowState } from './viewerTypes';

interface ShownVolume extends ProbedVolume {
  volumeId: string;
  /** Millimetres between voxel centres along i, j and k. */
  spacing: Vector3;
  cacheId: string;
  sliceCount: number;
  initialWindow: Types.VOIRange;
}

/**
 * One volume shown along its acquisition axis, with the navigation tools, and the sagittal and coronal planes of the
 * same volume beside it when the page has room for them (each with its own wheel, the window shared, a line showing
 * where the acquisition slice cuts it). One instance for the whole app (see services/createServices): the page
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

  /** Draws in `elements` from now on (replacing any earlier ones); nothing is shown until `showVolume`. */
  attach(elements: ViewerElements): void {
    this.detach();
    initializeCornerstone();
    const viewports = new ViewerViewports(elements, {
      handleCameraModified: this.handleCameraModified,
      handleWindowModified: this.handleWindowModified,
      handleRendered: this.handleRendered,
      handleActorsChanged: this.handleActorsChanged,
      handleResize: () => this.fitCanvases()
    });
    this.viewports = viewports;
    this.probe = new VoxelProbe(
      elements.acquisition,
      () => viewports.acquisition,
      () => this.shown
    );
    this.probe.onDidHoverVoxel((voxel) => this.hoverEmitter.fire(voxel));
    this.attachEmitter.fire({ element: elements.acquisition, toolGroupId: viewports.toolGroupId });
  }

  /** Releases the volume shown and everything Cornerstone put in the page's elements. */
  detach(): void {
    const viewports = this.viewports;
    if (!viewports) return;
    this.clear();
    this.detachEmitter.fire({ element: viewports.elements.acquisition, toolGroupId: viewports.toolGroupId });
    this.probe?.dispose();
    this.probe = undefined;
    this.viewports = undefined;
    viewports.dispose();
  }

  /**
   * Shows the volume's middle acquired slice, in the standard radiological orientation, with `window` (the one the
   * project stored: the DICOM file's, or the tissue's robust range), or a robust window of the voxels when none is
   * given. The sagittal and coronal planes follow after the first frame. Calls run one after the other; one
   * overtaken by a later call (or by `clear`) before it starts does nothing.
   */
  showVolume(voxels: VolumeVoxels, window?: WindowState): Promise<void> {
    const request = ++this.showRequest;
    const run = this.showQueue.then(() =>
      request === this.showRequest ? this.replaceVolume(voxels, request, window) : undefined
    );
    this.showQueue = run.catch(() => undefined);
    return run;
  }

  private async replaceVolume(voxels: VolumeVoxels, request: number, window?: WindowState): Promise<void> {
    const viewports = this.viewports;
    if (!viewports) throw new Error('the viewer is not attached to the page');
    const placement = placementFromAffine(voxels.geometry.voxelToPatient);
    const scalarData = toScalarArray(voxels.bytes, voxels.scalarType);
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
      volumeId: voxels.volumeId,
      cacheId,
      spacing: placement.spacing,
      voxelToPatient: voxels.geometry.voxelToPatient,
      dimensions: voxels.geometry.dimensions,
      scalarData,
      sliceCount: voxels.geometry.dimensions[2],
      initialWindow:
        window && window.width > 0
          ? { lower: window.center - window.width / 2, upper: window.center + window.width / 2 }
          : computeInitialWindowRange(scalarData)
    };
    this.orientation = computeAcquisitionOrientation(placement);
    viewports.acquisition.setOrientation(this.orientation);
    this.fitCanvases();
    viewports.acquisition.setProperties({ voiRange: this.shown.initialWindow });
    this.setSlice(Math.floor((this.shown.sliceCount - 1) / 2));
    this.windowEmitter.fire(this.getWindow());
    this.showEmitter.fire(this.getShownVolume()!);
    void this.showReferenceViews(viewports, request);
  }

  /** Takes the volume on screen out of every view (the acquisition view keeps its image until replaced). */
  private release(viewports: ViewerViewports): ShownVolume | undefined {
    const previous = this.shown;
    this.shown = undefined;
    this.lastSlice = undefined;
    if (previous) this.willClearEmitter.fire(previous);
    viewports.emptyReferences();
    return previous;
  }

  /** Puts the volume on screen in the sagittal and coronal planes once the acquisition view has drawn it. */
  private async showReferenceViews(viewports: ViewerViewports, request: number): Promise<void> {
    if (viewports.referenceIds.length === 0 || !(await this.nextFrame())) return;
    const shown = this.shown;
    const isWanted = () => request === this.showRequest && viewports === this.viewports && shown === this.shown;
    if (!shown || !isWanted()) return;
    // The window the user has by now (a preset may have been chosen since the first frame).
    const voiRange = viewports.acquisition.getProperties()?.voiRange ?? shown.initialWindow;
    if (await viewports.fillReferences(shown.cacheId, voiRange, isWanted))
      this.referencesEmitter.fire([...viewports.referenceIds]);
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

  /** Every viewport showing the volume on screen: the acquisition view first, then the reference planes once shown. */
  get viewportIds(): string[] {
    return this.shown ? (this.viewports?.showingIds ?? []) : [];
  }

  getShownVolume(): ShownVolumeInfo | undefined {
    const shown = this.shown;
    return shown ? { volumeId: shown.volumeId, cacheId: shown.cacheId, dimensions: shown.dimensions } : undefined;
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
    if (this.shown) this.viewports?.acquisition.scroll(delta);
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
    const slice = this.lastSlice?.index;
    for (const viewport of this.viewports?.showing ?? []) viewport.resetCamera();
    this.applyWindowEverywhere(shown.initialWindow);
    if (slice !== undefined) this.setSlice(slice);
    this.render();
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

  private isRenderScaleStale(): boolean {
    const wanted = this.wantedRenderScale();
    return wanted !== undefined && isWorthResizing(getRenderScale(), wanted);
  }

  private wantedRenderScale(): number | undefined {
    const shown = this.shown;
    const viewports = this.viewports;
    if (!shown || !viewports) return undefined;
    const { parallelScale } = viewports.acquisition.getCamera();
    return chooseRenderScale({
      screenRatio: screenPixelRatio(),
      viewHeight: viewports.elements.acquisition.clientHeight,
      viewHeightMillimetres: 2 * (parallelScale ?? 0),
      finestSpacing: Math.min(shown.spacing[0], shown.spacing[1])
    });
  }

  private readonly handleCameraModified = (event: Event): void => {
    const shown = this.shown;
    const viewport = this.viewports?.acquisition;
    if (!shown || !viewport) return;
    const { focalPoint, position, viewPlaneNormal, viewUp } = (event as Types.EventTypes.CameraModifiedEvent).detail
      .camera;
    if (!focalPoint || !viewPlaneNormal || !viewUp || !position) return;
    this.orientationEmitter.fire({ viewPlaneNormal, viewUp });
    this.probe?.refresh();
    const zoom = viewport.getZoom();
    if (zoom !== this.lastZoom) {
      this.lastZoom = zoom;
      this.zoomEmitter.fire(zoom);
      // Not inside Cornerstone's camera event: the resize sets the camera again.
      if (this.isRenderScaleStale()) queueMicrotask(() => this.fitCanvases());
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
}

function toWindowState({ lower, upper }: Types.VOIRange): WindowState {
  return { width: upper - lower, center: (upper + lower) / 2 };
}
