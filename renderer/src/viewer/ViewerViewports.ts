import { Enums, RenderingEngine, type Types } from '@cornerstonejs/core';
import { ToolGroupManager } from '@cornerstonejs/tools';
import { createNavigationToolGroup } from './createNavigationToolGroup';
import type { ViewerElements, ViewName } from './viewerTypes';

/** The viewer's handlers of what Cornerstone announces on the elements. */
export interface ViewportListeners {
  /** Camera moved in any view (slice, zoom, pan, orientation); the event names the viewport. */
  handleCameraModified(event: Event): void;
  /** Window/level changed in any view. */
  handleWindowModified(event: Event): void;
  /** The acquisition view drew a frame. */
  handleRendered(event: Event): void;
  /** Any view drew a frame; the event names the viewport. */
  handleViewRendered(event: Event): void;
  /** A layer was added to or removed from the acquisition view. */
  handleActorsChanged(event: Event): void;
  /** The acquisition view's element changed size. */
  handleResize(): void;
}

const referencePlanes = [
  { name: 'sagittal', orientation: Enums.OrientationAxis.SAGITTAL },
  { name: 'coronal', orientation: Enums.OrientationAxis.CORONAL }
] as const;

let nextViewportsNumber = 1;

/**
 * Cornerstone's side of the page's elements while the viewer is attached to them: one rendering engine, the
 * acquisition viewport, optionally the sagittal and coronal viewports, one tool group for all of them (navigation and
 * mask tools act alike in every view), the element listeners and a resize observer. `dispose()` takes all of it down
 * again.
 */
export class ViewerViewports {
  readonly renderingEngine: RenderingEngine;
  readonly acquisitionId: string;
  readonly referenceIds: string[] = [];
  readonly toolGroupId: string;
  /** The side-by-side view's viewport id, when the page gave its element. */
  readonly companionId: string | undefined;
  private readonly resizeObserver: ResizeObserver;
  /** Whether the reference planes show the volume that the acquisition view shows. */
  private referencesFilled = false;

  constructor(
    readonly elements: ViewerElements,
    private readonly listeners: ViewportListeners
  ) {
    const number = nextViewportsNumber++;
    this.acquisitionId = `genseg-viewport-${number}`;
    this.toolGroupId = `genseg-navigation-${number}`;
    this.renderingEngine = new RenderingEngine(`genseg-engine-${number}`);
    this.renderingEngine.enableElement({
      viewportId: this.acquisitionId,
      type: Enums.ViewportType.ORTHOGRAPHIC,
      element: elements.acquisition,
      defaultOptions: { background: [0, 0, 0], orientation: Enums.OrientationAxis.AXIAL }
    });
    if (elements.references) this.enableReferenceViews(elements.references);
    if (elements.companion) {
      this.companionId = `${this.acquisitionId}-companion`;
      this.renderingEngine.enableElement({
        viewportId: this.companionId,
        type: Enums.ViewportType.ORTHOGRAPHIC,
        element: elements.companion,
        defaultOptions: { background: [0, 0, 0], orientation: Enums.OrientationAxis.AXIAL }
      });
    }
    createNavigationToolGroup(
      this.toolGroupId,
      [this.acquisitionId, ...this.referenceIds, ...(this.companionId ? [this.companionId] : [])],
      this.renderingEngine.id
    );
    this.listen('addEventListener');
    this.resizeObserver = new ResizeObserver(() => listeners.handleResize());
    // The layout switch changes every view's size.
    for (const element of this.allElements) this.resizeObserver.observe(element);
  }

  /** Every view's element, the acquisition view first (the side-by-side view last). */
  get allElements(): HTMLDivElement[] {
    const { acquisition, references, companion } = this.elements;
    return [
      acquisition,
      ...(references ? [references.sagittal, references.coronal] : []),
      ...(companion ? [companion] : [])
    ];
  }

  /** The side-by-side view, when the page gave its element. */
  get companion(): Types.IVolumeViewport | undefined {
    return this.companionId ? (this.renderingEngine.getViewport(this.companionId) as Types.IVolumeViewport) : undefined;
  }

  /** The view `name`, if the page gave its element. */
  viewport(name: ViewName): Types.IVolumeViewport | undefined {
    if (name === 'acquisition') return this.acquisition;
    const id = this.viewportIdOf(name);
    return id ? (this.renderingEngine.getViewport(id) as Types.IVolumeViewport) : undefined;
  }

  element(name: ViewName): HTMLDivElement | undefined {
    return name === 'acquisition' ? this.elements.acquisition : this.elements.references?.[name];
  }

  viewportIdOf(name: ViewName): string | undefined {
    if (name === 'acquisition') return this.acquisitionId;
    return this.referenceIds.includes(`${this.acquisitionId}-${name}`) ? `${this.acquisitionId}-${name}` : undefined;
  }

  /** Which view the viewport `viewportId` is. */
  nameOf(viewportId: string): ViewName | undefined {
    if (viewportId === this.acquisitionId) return 'acquisition';
    return referencePlanes.find((plane) => viewportId === `${this.acquisitionId}-${plane.name}`)?.name;
  }

  get acquisition(): Types.IVolumeViewport {
    return this.renderingEngine.getViewport(this.acquisitionId) as Types.IVolumeViewport;
  }

  get references(): Types.IVolumeViewport[] {
    return this.referenceIds.map((id) => this.renderingEngine.getViewport(id) as Types.IVolumeViewport);
  }

  /** Fits the canvases to their elements at the current render scale (renderScale.ts) and draws them again. */
  resize(): void {
    this.renderingEngine.resize(true, true);
  }

  /** The views that show the volume: the acquisition view first, then the reference planes once filled. */
  get showing(): Types.IVolumeViewport[] {
    return this.referencesFilled ? [this.acquisition, ...this.references] : [this.acquisition];
  }

  get showingIds(): string[] {
    return this.referencesFilled ? [this.acquisitionId, ...this.referenceIds] : [this.acquisitionId];
  }

  /**
   * Shows the cached volume `cacheId` in the reference planes, whole and with the window `voiRange`; false when
   * `isWanted` says, once the volume is loaded, that it is no longer wanted (they are left empty then).
   */
  async fillReferences(cacheId: string, voiRange: Types.VOIRange, isWanted: () => boolean): Promise<boolean> {
    await Promise.all(this.references.map((viewport) => viewport.setVolumes([{ volumeId: cacheId }])));
    if (!isWanted()) {
      this.emptyReferences();
      return false;
    }
    for (const viewport of this.references) {
      viewport.resetCamera();
      viewport.setProperties({ voiRange });
      viewport.render();
    }
    this.referencesFilled = true;
    return true;
  }

  emptyReferences(): void {
    this.referencesFilled = false;
    for (const viewport of this.references) {
      viewport.removeAllActors();
      viewport.render();
    }
  }

  /** Sets the window in every view showing the volume but `exceptViewportId` (the one the user dragged in). */
  applyWindow(voiRange: Types.VOIRange, exceptViewportId?: string): void {
    for (const viewport of this.showing) {
      if (viewport.id === exceptViewportId) continue;
      const current = viewport.getProperties()?.voiRange;
      if (current && current.lower === voiRange.lower && current.upper === voiRange.upper) continue;
      viewport.setProperties({ voiRange });
      viewport.render();
    }
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.listen('removeEventListener');
    ToolGroupManager.destroyToolGroup(this.toolGroupId);
    this.renderingEngine.destroy();
  }

  private enableReferenceViews(references: NonNullable<ViewerElements['references']>): void {
    for (const plane of referencePlanes) {
      const viewportId = `${this.acquisitionId}-${plane.name}`;
      this.renderingEngine.enableElement({
        viewportId,
        type: Enums.ViewportType.ORTHOGRAPHIC,
        element: references[plane.name],
        defaultOptions: { background: [0, 0, 0], orientation: plane.orientation }
      });
      this.referenceIds.push(viewportId);
    }
  }

  private listen(method: 'addEventListener' | 'removeEventListener'): void {
    const { acquisition } = this.elements;
    const { handleCameraModified, handleWindowModified, handleRendered, handleViewRendered, handleActorsChanged } =
      this.listeners;
    acquisition[method](Enums.Events.IMAGE_RENDERED, handleRendered);
    acquisition[method](Enums.Events.ACTORS_CHANGED, handleActorsChanged);
    for (const element of this.allElements) {
      element[method](Enums.Events.CAMERA_MODIFIED, handleCameraModified);
      element[method](Enums.Events.IMAGE_RENDERED, handleViewRendered);
      element[method](Enums.Events.VOI_MODIFIED, handleWindowModified);
    }
  }
}
