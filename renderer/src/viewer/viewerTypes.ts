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
  /** The Cornerstone cache id of the volume. */
  cacheId: string;
  dimensions: [number, number, number];
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
}

/** Told to the services that draw on the viewer's views (segmentation) when the page gives the viewer its elements. */
export interface AttachedViewer {
  /** The acquisition view's element, where the mask tools take the pointer. */
  element: HTMLDivElement;
  /** The tool group of the acquisition view, where the mask tools live beside the navigation tools. */
  toolGroupId: string;
}
