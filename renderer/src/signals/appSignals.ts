/**
 * Signals the app publishes on `<body data-...>` so that end-to-end tests (and anyone debugging) can wait for what
 * the app has really done (connected, rendered a slice) instead of sleeping. Values are strings, as in any dataset.
 */
export interface AppSignals {
  /** 'starting' | 'ready' | 'error' */
  appState: string;
  /** 'empty' | 'loading' | 'rendered' | 'error' */
  viewerState: string;
  viewerVolumeId: string;
  /** Zero-based index along the acquisition (k) axis of the slice on screen. */
  viewerSlice: string;
  viewerSliceCount: string;
  viewerWindowWidth: string;
  viewerWindowCenter: string;
  /** Zoom factor; 1 when the whole volume fits the viewport. */
  viewerZoom: string;
  /** The voxel under the mouse pointer as "i,j,k", and its value; absent when the pointer is off the volume. */
  viewerHoverVoxel: string;
  viewerHoverValue: string;
  /** Increases with every frame the viewport draws. */
  viewerRenderCount: string;
  /** The window preset last chosen ('automatic', 'ct-brain', ...). */
  viewerWindowPreset: string;
  /** The reference planes shown beside the acquisition view, e.g. 'sagittal,coronal'. */
  viewerReferenceViews: string;
  /** The big view of the layout, which arrow keys scroll: 'acquisition' | 'sagittal' | 'coronal'. */
  viewerMainView: string;
  /** The standard plane the big view shows: 'axial' | 'sagittal' | 'coronal'. */
  viewerMainPlane: string;
  /** The voxel the crosshair sits on, "i,j,k" (zero-based, as main counts voxels). */
  viewerCrosshairVoxel: string;
  /** The crosshair point in patient coordinates, "x,y,z" (LPS millimetres). */
  viewerCrosshairPoint: string;
  /** 'shown' | 'hidden': the crosshair lines in the views. */
  viewerCrosshairLines: string;
  /** The sequences of the case on screen, in order, by name ('' for a case of one sequence). */
  sequenceNames: string;
  /** The sequence the main views show ('' for a case of one sequence). */
  viewerSequence: string;
  /** The sequence the side-by-side view shows ('' while it is off). */
  viewerCompanionSequence: string;
  /** The acquired slice (k) the side-by-side view shows, from its own camera ('' while it is off). */
  viewerCompanionSlice: string;
  /** Increases each time main confirmed a sequence's window saved in the project. */
  sequenceWindowsSaved: string;
  /** The project's training channels, by sequence name in order ('' : each case's reference sequence). */
  trainingChannels: string;
  /** The last U/V jump in the volume list: 'untagged:<id>' or 'to-review:none'. */
  volumeJump: string;
  /** The weak label of each slice of the volume on screen, one letter per slice: p(resent), a(bsent), u(nknown). */
  weakLabels: string;
  /** Increases each time main confirmed a change of tags (saved on disk). */
  weakLabelsSaved: string;
  /** The mask autosave: 'saved' | 'pending' | 'saving' | 'error'. */
  maskSaveState: string;
  /** Increases each time main confirmed a save of mask slices. */
  maskSavedCount: string;
  /** The volume whose mask from main is in the viewer's labelmap. */
  maskLoadedVolumeId: string;
  /** 'true' when the mask is drawn in the viewports; an empty mask is not while navigating. */
  maskDrawn: string;
  /** 'navigate' | 'brush' | 'eraser' | 'threshold' */
  maskTool: string;
  /** 'idle' | 'scanning' | 'scanned' | 'importing' */
  dicomImportPhase: string;
  /** Training job state: 'idle' | 'training' | 'stopping' | 'proposing' */
  trainingState: string;
  /** How many model versions the open project has. */
  modelVersionCount: string;
  /** How many scans the last "propose" call sent proposals for. */
  proposalsDone: string;
  /** The pending proposal of the volume on screen ('' when none). */
  pendingProposalId: string;
  /** The volume whose proposal the viewer draws ('' when none). */
  proposalShown: string;
  /** The disagreement of the volume on screen opened as a second read ('' when none). */
  secondReadProposalId: string;
  /** "k/n": proposed slices of the live proposal decided so far, of those it found tumour on. */
  proposalReviewedSlices: string;
  /** The scan opened after the last proposed slice of one was reviewed, or 'none'. */
  reviewNextOpened: string;
  /** The last message a refused (stale) mask save gave after reloading its slices. */
  maskConflicts: string;
  /** Increases each time main confirmed a rename or deletion of a model version. */
  modelVersionEdits: string;
  /** Increases with each accept or reject main confirmed. */
  proposalReviews: string;
  /** Increases with each export finished and downloaded. */
  exportCount: string;
  /** Increases with each mask file main imported onto a scan. */
  maskImportCount: string;
  /** The suggestion queue's first entry as 'kind:volumeId:slice' ('' when the queue is empty). */
  suggestionTop: string;
  /** Increases each time the suggestion queue was ranked afresh by main. */
  suggestionRefreshes: string;
  /** The last suggestion the user went to, 'kind:volumeId:slice', once its scan and slice are on screen. */
  suggestionJump: string;
  /** The keyboard shortcut sheet: 'open' | 'closed'. */
  shortcutSheet: string;
  /** Increases with each import of volumes (files, a folder, DICOM series) that finished, whatever came of it. */
  importCount: string;
  /** The file name of the last export downloaded as one zip. */
  exportDownload: string;
}

export function setAppSignal<K extends keyof AppSignals>(name: K, value: string | number): void {
  document.body.dataset[name] = String(value);
}

export function clearAppSignal(name: keyof AppSignals): void {
  delete document.body.dataset[name];
}
