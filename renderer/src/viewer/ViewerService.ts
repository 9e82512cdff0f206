import { cache, Enums, RenderingEngine, type Types } from '@cornerstonejs/core';
import { ReferenceLinesTool, ToolGroupManager } from '@cornerstonejs/tools';
import type { VolumeVoxels } from '../../../main/contract/types';
import { computeAcquisitionOrientation, type ViewOrientation } from './computeAcquisitionOrientation';
import { createNavigationToolGroup } from './createNavigationToolGroup';
import { createVolumeInCache } from './createVolumeInCache';
import { Emitter } from './Emitter';
import { initializeCornerstone } from './initializeCornerstone';
import { computeInitialWindowRange, toScalarArray } from './toScalarArray';
import { VoxelProbe, type ProbedVolume } from './VoxelProbe';
import { add, axisStep, dot, patientToVoxel, placementFromAffine, scale, type Vector3 } from './volumeGeometry';

export interface SliceState {
  /** Zero-based index along the acquisition (k) axis. */
  index: number;
  count: number;
  /** How the index changes for one wheel notch towards the user (towards the feet in an axial view): 1 or -1. */
  stepTowardsUser: 1 | -1;
}

export interface WindowState {
  width: number;
  center: number;
}

/** What other services of this viewer (segmentation) need to know about the volume on screen. */
export interface ShownVolumeInfo {
  volumeId: string;
  /** The Cornerstone cache id of the volume. */
  cacheId: string;
  dimensions: [number, number, number];
}

interface ShownVolume extends ProbedVolume {
  volumeId: string;
  cacheId: string;
  sliceCount: number;
  initialWindow: Types.VOIRange;
}

let nextServiceNumber = 1;

/** The two reference planes shown beside the acquisition view (MPR), as in 3D Slicer's and OHIF's MPR layouts. */
export interface ReferenceElements {
  sagittal: HTMLDivElement;
  coronal: HTMLDivElement;
}

const referencePlanes = [
  { name: 'sagittal', orientation: Enums.OrientationAxis.SAGITTAL },
  { name: 'coronal', orientation: Enums.OrientationAxis.CORONAL }
] as const;

/**
 * One viewport showing one volume along its acquisition axis, with the navigation tools, and optionally the sagittal
 * and coronal planes of the same volume beside it (each with its own wheel, window/level shared, a line showing where
 * the acquisition slice cuts it). Vue reaches Cornerstone only through this class: methods to act, `onDid...` events
 * that return an unsubscribe handle, and `destroy()`.
 */
export class ViewerService {
  private readonly renderingEngine: RenderingEngine;
  readonly viewportId: string;
  readonly toolGroupId: string;
  private readonly resizeObserver: ResizeObserver;
  private shown: ShownVolume | undefined;
  private showRequest = 0;
  private showQueue: Promise<void> = Promise.resolve();
  private lastSlice: SliceState | undefined;
  /** The acquisition plane's camera directions for the volume on screen. */
  private orientation: ViewOrientation | undefined;
  private renderCount = 0;
  /** Viewport ids of the reference planes (empty without reference elements). */
  private readonly referenceViewportIds: string[] = [];
  private readonly referenceToolGroupId: string;

  private readonly sliceEmitter = new Emitter<SliceState>();
  private readonly windowEmitter = new Emitter<WindowState>();
  private readonly orientationEmitter = new Emitter<ViewOrientation>();
  private readonly renderEmitter = new Emitter<number>();
  private readonly zoomEmitter = new Emitter<number>();
  private readonly willClearEmitter = new Emitter<ShownVolumeInfo>();
  /** Fires before the volume on screen is released (replaced, cleared, destroyed): layers on it go first. */
  readonly onWillClearVolume = this.willClearEmitter.event;
  private lastZoom: number | undefined;
  readonly onDidChangeSlice = this.sliceEmitter.event;
  readonly onDidChangeWindow = this.windowEmitter.event;
  readonly onDidChangeOrientation = this.orientationEmitter.event;
  /** The zoom factor relative to the whole volume fitting the viewport (1). */
  readonly onDidChangeZoom = this.zoomEmitter.event;
  /** The voxel under the mouse pointer, or null when the pointer is off the volume. */
  readonly onDidHoverVoxel: VoxelProbe['onDidHoverVoxel'];
  private readonly probe: VoxelProbe;
  /** Fires after each frame drawn, with the number of frames drawn so far. */
  readonly onDidRender = this.renderEmitter.event;

  constructor(
    private readonly element: HTMLDivElement,
    private readonly references?: ReferenceElements
  ) {
    initializeCornerstone();
    const serviceNumber = nextServiceNumber++;
    this.viewportId = `genseg-viewport-${serviceNumber}`;
    this.toolGroupId = `genseg-navigation-${serviceNumber}`;
    this.renderingEngine = new RenderingEngine(`genseg-engine-${serviceNumber}`);
    this.renderingEngine.enableElement({
      viewportId: this.viewportId,
      type: Enums.ViewportType.ORTHOGRAPHIC,
      element,
      defaultOptions: { background: [0, 0, 0], orientation: Enums.OrientationAxis.AXIAL }
    });
    createNavigationToolGroup(this.toolGroupId, this.viewportId, this.renderingEngine.id);
    this.referenceToolGroupId = `${this.toolGroupId}-references`;
    if (references) this.enableReferenceViews(references);
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, this.handleCameraModified);
    element.addEventListener(Enums.Events.VOI_MODIFIED, this.handleWindowModified);
    element.addEventListener(Enums.Events.IMAGE_RENDERED, this.handleRendered);
    element.addEventListener(Enums.Events.ACTORS_CHANGED, this.handleActorsChanged);
    this.probe = new VoxelProbe(
      element,
      () => this.viewport,
      () => this.shown
    );
    this.onDidHoverVoxel = this.probe.onDidHoverVoxel;
    this.resizeObserver = new ResizeObserver(() => this.renderingEngine.resize(true, true));
    this.resizeObserver.observe(element);
  }

  private get viewport(): Types.IVolumeViewport {
    return this.renderingEngine.getViewport(this.viewportId) as Types.IVolumeViewport;
  }

  private get referenceViewports(): Types.IVolumeViewport[] {
    return this.referenceViewportIds.map((id) => this.renderingEngine.getViewport(id) as Types.IVolumeViewport);
  }

  private enableReferenceViews(references: ReferenceElements): void {
    for (const plane of referencePlanes) {
      const viewportId = `${this.viewportId}-${plane.name}`;
      const element = references[plane.name];
      this.renderingEngine.enableElement({
        viewportId,
        type: Enums.ViewportType.ORTHOGRAPHIC,
        element,
        defaultOptions: { background: [0, 0, 0], orientation: plane.orientation }
      });
      element.addEventListener(Enums.Events.VOI_MODIFIED, this.handleWindowModified);
      this.referenceViewportIds.push(viewportId);
    }
    const toolGroup = createNavigationToolGroup(
      this.referenceToolGroupId,
      this.referenceViewportIds,
      this.renderingEngine.id
    );
    toolGroup.addTool(ReferenceLinesTool.toolName, { sourceViewportId: this.viewportId });
    toolGroup.setToolEnabled(ReferenceLinesTool.toolName);
  }

  /**
   * Shows the volume's middle acquired slice, in the standard radiological orientation, with `window` (the one the
   * project stored: the DICOM file's, or the tissue's robust range), or a robust window of the voxels when none is
   * given. Calls run one after the other; one overtaken by a later call (or by `clear`) before it starts does nothing.
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
    const placement = placementFromAffine(voxels.geometry.voxelToPatient);
    const scalarData = toScalarArray(voxels.bytes, voxels.scalarType);
    // No ':' in the id: Cornerstone would read a loader scheme from it and try to load the slices it already has.
    const cacheId = `genseg-volume-${voxels.volumeId}-${request}`;
    createVolumeInCache(cacheId, voxels, placement, scalarData);
    await Promise.all(
      [this.viewport, ...this.referenceViewports].map((viewport) => viewport.setVolumes([{ volumeId: cacheId }]))
    );
    if (request !== this.showRequest) {
      // Cleared while loading: show nothing rather than a volume nobody asked for any more.
      for (const viewport of [this.viewport, ...this.referenceViewports]) viewport.removeAllActors();
      cache.removeVolumeLoadObject(cacheId);
      return;
    }
    const previous = this.shown;
    this.shown = {
      volumeId: voxels.volumeId,
      cacheId,
      voxelToPatient: voxels.geometry.voxelToPatient,
      dimensions: voxels.geometry.dimensions,
      scalarData,
      sliceCount: voxels.geometry.dimensions[2],
      initialWindow:
        window && window.width > 0
          ? { lower: window.center - window.width / 2, upper: window.center + window.width / 2 }
          : computeInitialWindowRange(scalarData)
    };
    if (previous) {
      this.willClearEmitter.fire(previous);
      cache.removeVolumeLoadObject(previous.cacheId);
    }
    this.lastSlice = undefined;
    this.orientation = computeAcquisitionOrientation(placement);
    this.viewport.setOrientation(this.orientation);
    this.viewport.setProperties({ voiRange: this.shown.initialWindow });
    for (const viewport of this.referenceViewports) {
      viewport.resetCamera();
      viewport.setProperties({ voiRange: this.shown.initialWindow });
      viewport.render();
    }
    this.setSlice(Math.floor((this.shown.sliceCount - 1) / 2));
    this.windowEmitter.fire(this.getWindow());
  }

  /** Shows nothing and releases the volume shown (when the user closes the project or the volume goes away). */
  clear(): void {
    this.showRequest++;
    const shown = this.shown;
    if (!shown) return;
    this.willClearEmitter.fire(shown);
    this.shown = undefined;
    this.lastSlice = undefined;
    for (const viewport of [this.viewport, ...this.referenceViewports]) {
      viewport.removeAllActors();
      viewport.render();
    }
    cache.removeVolumeLoadObject(shown.cacheId);
  }

  /** Every viewport showing the volume: the acquisition view first, then the reference planes. */
  get viewportIds(): string[] {
    return [this.viewportId, ...this.referenceViewportIds];
  }

  /** Whether the sagittal and coronal planes are shown beside the acquisition view. */
  get hasReferenceViews(): boolean {
    return this.referenceViewportIds.length > 0;
  }

  getShownVolume(): ShownVolumeInfo | undefined {
    const shown = this.shown;
    return shown ? { volumeId: shown.volumeId, cacheId: shown.cacheId, dimensions: shown.dimensions } : undefined;
  }

  render(): void {
    this.viewport.render();
  }

  getSlice(): SliceState | undefined {
    return this.lastSlice;
  }

  /** Moves to acquired slice `index` (zero-based), keeping zoom and pan. */
  setSlice(index: number): void {
    const shown = this.shown;
    if (!shown) return;
    const target = Math.min(shown.sliceCount - 1, Math.max(0, Math.round(index)));
    const camera = this.viewport.getCamera();
    const focalPoint = camera.focalPoint as Vector3;
    const current = patientToVoxel(shown.voxelToPatient, focalPoint)[2];
    const normal = camera.viewPlaneNormal as Vector3;
    const distance = dot(scale(axisStep(shown.voxelToPatient, 2), target - current), normal);
    const shift = scale(normal, distance);
    this.viewport.setCamera({
      focalPoint: add(focalPoint, shift),
      position: add(camera.position as Vector3, shift)
    });
    this.viewport.render();
  }

  /**
   * Moves `delta` slices the way the wheel does (Cornerstone's scroll, as in OHIF): positive towards the feet in an
   * axial view, whichever way the volume's k axis runs.
   */
  scrollSlices(delta: number): void {
    if (!this.shown) return;
    this.viewport.scroll(delta);
  }

  getWindow(): WindowState {
    const range = this.viewport.getProperties()?.voiRange ?? this.shown?.initialWindow ?? { lower: 0, upper: 1 };
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
    for (const viewport of [this.viewport, ...this.referenceViewports]) {
      viewport.setProperties({ voiRange: range });
      viewport.render();
    }
    this.windowEmitter.fire(toWindowState(range));
  }

  /** Zoom, pan and window back to how the volume first appeared; the slice stays. */
  resetView(): void {
    const shown = this.shown;
    if (!shown) return;
    const slice = this.lastSlice?.index;
    this.viewport.resetCamera();
    for (const viewport of this.referenceViewports) viewport.resetCamera();
    this.applyWindowEverywhere(shown.initialWindow);
    if (slice !== undefined) this.setSlice(slice);
    this.viewport.render();
  }

  destroy(): void {
    this.showRequest++;
    this.resizeObserver.disconnect();
    this.probe.dispose();
    this.element.removeEventListener(Enums.Events.CAMERA_MODIFIED, this.handleCameraModified);
    this.element.removeEventListener(Enums.Events.VOI_MODIFIED, this.handleWindowModified);
    this.element.removeEventListener(Enums.Events.IMAGE_RENDERED, this.handleRendered);
    this.element.removeEventListener(Enums.Events.ACTORS_CHANGED, this.handleActorsChanged);
    if (this.references) {
      for (const plane of referencePlanes)
        this.references[plane.name].removeEventListener(Enums.Events.VOI_MODIFIED, this.handleWindowModified);
      ToolGroupManager.destroyToolGroup(this.referenceToolGroupId);
    }
    if (this.shown) this.willClearEmitter.fire(this.shown);
    ToolGroupManager.destroyToolGroup(this.toolGroupId);
    this.renderingEngine.destroy();
    if (this.shown) cache.removeVolumeLoadObject(this.shown.cacheId);
    this.shown = undefined;
    const emitters = [
      this.sliceEmitter,
      this.windowEmitter,
      this.orientationEmitter,
      this.renderEmitter,
      this.zoomEmitter,
      this.willClearEmitter
    ];
    for (const emitter of emitters) {
      emitter.dispose();
    }
  }

  private readonly handleCameraModified = (event: Event): void => {
    const shown = this.shown;
    if (!shown) return;
    const { camera } = (event as Types.EventTypes.CameraModifiedEvent).detail;
    if (!camera.focalPoint || !camera.viewPlaneNormal || !camera.viewUp) return;
    this.orientationEmitter.fire({
      viewPlaneNormal: camera.viewPlaneNormal as Vector3,
      viewUp: camera.viewUp as Vector3
    });
    this.probe.refresh();
    const zoom = this.viewport.getZoom();
    if (zoom !== this.lastZoom) {
      this.lastZoom = zoom;
      this.zoomEmitter.fire(zoom);
    }
    const k = patientToVoxel(shown.voxelToPatient, camera.focalPoint)[2];
    const index = Math.min(shown.sliceCount - 1, Math.max(0, Math.round(k)));
    if (index === this.lastSlice?.index) return;
    const stepTowardsUser = dot(camera.viewPlaneNormal, axisStep(shown.voxelToPatient, 2)) >= 0 ? 1 : -1;
    this.lastSlice = { index, count: shown.sliceCount, stepTowardsUser };
    this.sliceEmitter.fire(this.lastSlice);
  };

  /** A window/level drag in any of the views sets the same window in the others (one window per volume, as in Slicer). */
  private readonly handleWindowModified = (event: Event): void => {
    const { range, viewportId } = (event as Types.EventTypes.VoiModifiedEvent).detail;
    if (!range) return;
    if (viewportId !== this.viewportId && !this.referenceViewportIds.includes(viewportId)) return;
    for (const viewport of [this.viewport, ...this.referenceViewports]) {
      if (viewport.id === viewportId) continue;
      const current = viewport.getProperties()?.voiRange;
      if (current && current.lower === range.lower && current.upper === range.upper) continue;
      viewport.setProperties({ voiRange: range });
      viewport.render();
    }
    this.windowEmitter.fire(toWindowState(range));
  };

  /**
   * Adding a layer (a labelmap) resets the camera and restores only the plane and zoom, not which way is up: the
   * acquisition view's up direction is put back, so sagittal and coronal scans stay head up.
   */
  private readonly handleActorsChanged = (event: Event): void => {
    const { addedActors } = (event as CustomEvent<{ addedActors?: unknown[] }>).detail;
    const orientation = this.orientation;
    if (!this.shown || !orientation || !addedActors?.length) return;
    const camera = this.viewport.getCamera();
    if (!camera.viewUp || !camera.viewPlaneNormal) return;
    if (dot(camera.viewPlaneNormal as Vector3, orientation.viewPlaneNormal) < 0.999) return;
    if (dot(camera.viewUp as Vector3, orientation.viewUp) > 0.999) return;
    this.viewport.setCamera({ viewUp: orientation.viewUp });
    this.viewport.render();
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
