/** What the viewer says about the slice on screen, the window, the volume shown and the elements it draws in. */

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
  /** The sequence of the case the main views show (the volume's own id for its reference sequence). */
  sequenceId: string;
  /** The Cornerstone cache id of the volume. */
  cacheId: string;
  dimensions: [number, number, number];
  /** The standard plane nearest to the acquired one (planes of constant k). */
  acquisitionPlane: PlaneName;
}

/** A sequence of the case on screen (issue 18): the main views' or the side-by-side view's. */
export interface ShownSequence {
  volumeId: string;
  /** The sequence's id; the volume's own id for the case's reference sequence. */
  sequenceId: string;
  /** The viewport that shows it (the side-by-side view's for `onDidChangeCompanion`). */
  viewportId: string;
}

/** The two reference planes shown beside the acquisition view (MPR), as in 3D Slicer's and OHIF's MPR layouts. */
export interface ReferenceElements {
  sagittal: HTMLDivElement;
  coronal: HTMLDivElement;
}

/** The page's elements the viewer draws in: the acquisition view and, optionally, the reference planes. */
export interface ViewerElements {
  acquisition: HTMLDivElement;
  references?: ReferenceElements;
  /**
   * The side-by-side view (issue 18): the acquired plane of another sequence of the same case, on the same slice,
   * zoom and pan as the acquisition view.
   */
  companion?: HTMLDivElement;
}

/** Told to the services that draw on the viewer's views (segmentation) when the page gives the viewer its elements. */
export interface AttachedViewer {
  /** The acquisition view's element. */
  element: HTMLDivElement;
  /** Every view's element (the acquisition view first), where the mask tools take the pointer. */
  elements: HTMLDivElement[];
  /** The tool group of all the views, where the mask tools live beside the navigation tools. */
  toolGroupId: string;
}

/** The three views of the volume: the acquired plane (planes of constant k) and the two reference planes. */
export type ViewName = 'acquisition' | 'sagittal' | 'coronal';

export const viewNames: readonly ViewName[] = ['acquisition', 'sagittal', 'coronal'];

/** A standard plane, as a radiologist names it. */
export type PlaneName = 'axial' | 'sagittal' | 'coronal';

/** Where the crosshair is: the point all three views cut (a voxel centre), in patient and voxel coordinates. */
export interface CrosshairState {
  /** LPS millimetres. */
  point: [number, number, number];
  /** The voxel (i, j, k) the crosshair sits on. */
  voxel: [number, number, number];
  /** Each view showing the volume: the index (zero-based) of its slice along the voxel axis it steps along. */
  slices: Partial<Record<ViewName, { index: number; count: number }>>;
}
