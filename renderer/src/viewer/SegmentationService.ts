import { eventTarget } from '@cornerstonejs/core';
import { Enums as ToolEnums } from '@cornerstonejs/tools';
import { diffSlices } from '../masks/diffSlices';
import { fillBetweenDrawnSlices } from '../masks/fillBetweenDrawnSlices';
import { fillSliceHoles } from '../masks/fillSliceHoles';
import { MaskHistory, type SliceEdit } from '../masks/MaskHistory';
import { Emitter } from './Emitter';
import { MaskLabelmap, type MaskStyle } from './MaskLabelmap';
import { MaskTools, type MaskTool } from './MaskTools';
import { ProposalLayer } from './ProposalLayer';
import type { ViewerService } from './ViewerService';
import type { AttachedViewer } from './viewerTypes';

export type { MaskTool } from './MaskTools';

export interface MaskSlices {
  volumeId: string;
  slices: { sliceIndex: number; labels: Uint8Array }[];
}

export interface MaskHistoryState {
  canUndo: boolean;
  canRedo: boolean;
}

/**
 * The user's tumour mask on the viewer's volume, as a Cornerstone labelmap (label 1 = tumour), with the brush, the
 * eraser and the threshold brush; a model's proposal drawn over it. Each finished stroke becomes one undo step of
 * per-slice diffs and is announced with `onDidCommitSlices` (the changed slices only), which the mask sync service
 * saves. One instance for the whole app, beside the viewer service whose volume it draws on.
 */
export class SegmentationService {
  private mask: MaskLabelmap | undefined;
  private readonly proposal = new ProposalLayer();
  private readonly history = new MaskHistory();
  private readonly tools = new MaskTools();
  private elements: HTMLElement[] = [];
  private style: MaskStyle = { opacity: 0.5, outline: true };
  private pointerDown = false;
  private commitTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly commitEmitter = new Emitter<MaskSlices>();
  private readonly historyEmitter = new Emitter<MaskHistoryState>();
  private readonly drawnEmitter = new Emitter<boolean>();
  private readonly unsubscribes: (() => void)[];
  /** Slices the user changed (a stroke, undo, fill), as they are now. */
  readonly onDidCommitSlices = this.commitEmitter.event;
  readonly onDidChangeHistory = this.historyEmitter.event;
  /** Whether the mask is drawn in the views (an empty mask is not while navigating). */
  readonly onDidChangeMaskDrawn = this.drawnEmitter.event;

  constructor(private readonly viewer: ViewerService) {
    this.unsubscribes = [
      viewer.onDidAttach((attached) => this.attach(attached)),
      viewer.onWillDetach(() => this.detach()),
      viewer.onWillClearVolume(() => this.removeMask()),
      viewer.onDidShowReferenceViews((viewportIds) => this.drawInMoreViews(viewportIds)),
      // The side-by-side view (another sequence of the case, same grid): the same mask and proposal over it.
      viewer.onDidChangeCompanion((companion) => {
        if (companion) this.drawInMoreViews([companion.viewportId]);
      }),
      // The threshold brush follows the window.
      viewer.onDidChangeWindow(() => {
        if (this.tools.chosen === 'threshold') this.updateThresholdRange();
      })
    ];
    eventTarget.addEventListener(ToolEnums.Events.SEGMENTATION_DATA_MODIFIED, this.handleDataModified);
    window.addEventListener('pointerup', this.handlePointerUp, true);
  }

  /** Shows `labels` (the whole labelmap, i fastest) as the mask of the volume on screen; the undo history starts anew. */
  async showMask(volumeId: string, labels: Uint8Array): Promise<void> {
    const volume = this.viewer.getShownVolume();
    if (!volume || volume.volumeId !== volumeId) return;
    this.removeMask({ keepProposal: true });
    this.mask = new MaskLabelmap(volume, labels);
    if (!['navigate', 'crosshair'].includes(this.tools.chosen) || labels.some((value) => value !== 0)) {
      this.drawMask();
      // The proposal stays on top of the mask, as it was before the mask came again.
      this.proposal.raise();
      this.mask.activate();
    }
    this.history.clear();
    this.fireHistory();
  }

  /**
   * Writes slices changed elsewhere (main, after a proposal was accepted) into the mask on screen, labels and
   * baseline alike; the undo history, which may hold older versions of them, starts anew.
   */
  applySlices({ volumeId, slices }: MaskSlices): void {
    const mask = this.mask;
    if (!mask || mask.volumeId !== volumeId || slices.length === 0) return;
    this.commitNow();
    const labels = mask.readLabels();
    for (const slice of slices) mask.setSlice(labels, slice.sliceIndex, slice.labels);
    if (slices.some((slice) => slice.labels.some((value) => value !== 0))) this.drawMask();
    mask.writeLabels(labels);
    this.history.clear();
    this.fireHistory();
  }

  /** Draws the mask in every view showing the volume (once): before any drawing tool acts or any label is written. */
  private drawMask(): void {
    if (this.mask?.draw(this.viewer.viewportIds, this.style)) {
      this.viewer.render();
      this.drawnEmitter.fire(true);
    }
  }

  /** The reference planes came: the mask and the proposal are drawn there too. */
  private drawInMoreViews(viewportIds: string[]): void {
    this.mask?.drawIn(viewportIds, this.style);
    this.proposal.drawIn(viewportIds);
    this.mask?.activate();
  }

  /** Whether the mask is drawn in the views (false while it is empty and no drawing tool is chosen). */
  get isMaskDrawn(): boolean {
    return this.mask?.isDrawn ?? false;
  }

  /** Shows a model's proposed labelmap over the user's mask, or removes it (null); the brush edits only the mask. */
  showProposal(volumeId: string, labels: Uint8Array | null): void {
    this.proposal.remove();
    const volume = this.viewer.getShownVolume();
    if (!labels || !volume || volume.volumeId !== volumeId) return;
    this.proposal.show(volume, labels, this.viewer.viewportIds);
    this.mask?.activate();
    this.viewer.render();
  }

  /** The labels of slice `k` of the mask on screen (a copy), as last committed. */
  readSlice(k: number): Uint8Array | null {
    return this.mask?.readSlice(k) ?? null;
  }

  /** The volume whose mask is on screen. */
  get maskVolumeId(): string | undefined {
    return this.mask?.volumeId;
  }

  setTool(tool: MaskTool): void {
    if (tool !== 'navigate' && tool !== 'crosshair') this.drawMask();
    this.viewer.setCrosshairOnLeftButton(tool === 'crosshair');
    if (tool === 'threshold') this.updateThresholdRange();
    this.tools.choose(tool);
    this.viewer.render();
  }

  getTool(): MaskTool {
    return this.tools.chosen;
  }

  /** The brush radius in millimetres, for the brush, the eraser and the threshold brush. */
  setBrushRadius(millimetres: number): void {
    this.tools.setRadius(millimetres);
  }

  /** The threshold brush paints only voxels inside the current window (lower to upper value). */
  updateThresholdRange(): void {
    const { width, center } = this.viewer.getWindow();
    this.tools.setThresholdRange([center - width / 2, center + width / 2]);
  }

  setStyle(style: MaskStyle): void {
    this.style = style;
    this.mask?.setStyle(style);
    this.viewer.render();
  }

  /** Fills the holes of the mask on slice `k`: one undo step, saved like a stroke. */
  fillHoles(k: number): void {
    this.editLabels((labels, mask) => {
      const start = k * mask.sliceSize;
      labels.set(fillSliceHoles(labels.slice(start, start + mask.sliceSize), mask.columns, mask.rows), start);
    });
  }

  /** Fills the empty slices between drawn ones (Slicer's "fill between slices"): one undo step, saved like a stroke. */
  interpolateBetweenSlices(): void {
    this.editLabels((labels, mask) => fillBetweenDrawnSlices(labels, mask.columns, mask.rows));
  }

  private editLabels(edit: (labels: Uint8Array, mask: MaskLabelmap) => void): void {
    this.commitNow();
    const mask = this.mask;
    if (!mask) return;
    this.drawMask();
    const labels = mask.readLabels();
    edit(labels, mask);
    mask.writeLabels(labels);
    this.commitNow();
  }

  undo(): void {
    this.commitNow();
    const step = this.history.undo();
    if (step) this.applyEdits(step, 'before');
  }

  redo(): void {
    this.commitNow();
    const step = this.history.redo();
    if (step) this.applyEdits(step, 'after');
  }

  private applyEdits(step: SliceEdit[], which: 'before' | 'after'): void {
    const mask = this.mask;
    if (!mask) return;
    this.drawMask();
    const labels = mask.readLabels();
    for (const edit of step) mask.setSlice(labels, edit.sliceIndex, edit[which]);
    mask.writeLabels(labels);
    this.commitEmitter.fire({
      volumeId: mask.volumeId,
      slices: step.map((edit) => ({ sliceIndex: edit.sliceIndex, labels: edit[which].slice() }))
    });
    this.fireHistory();
  }

  /** Diffs the labelmap against the last committed labels: one undo step and one save of the changed slices. */
  commitNow(): void {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    const mask = this.mask;
    if (!mask) return;
    const edits = diffSlices(mask.baseline, mask.readLabels(), mask.sliceSize);
    if (edits.length === 0) return;
    for (const edit of edits) mask.baseline.set(edit.after, edit.sliceIndex * mask.sliceSize);
    this.history.record(edits);
    this.commitEmitter.fire({
      volumeId: mask.volumeId,
      slices: edits.map((edit) => ({ sliceIndex: edit.sliceIndex, labels: edit.after.slice() }))
    });
    this.fireHistory();
  }

  private fireHistory(): void {
    this.historyEmitter.fire({ canUndo: this.history.canUndo, canRedo: this.history.canRedo });
  }

  private removeMask({ keepProposal = false } = {}): void {
    this.commitNow();
    if (!keepProposal) this.proposal.remove();
    const mask = this.mask;
    if (!mask) return;
    this.mask = undefined;
    mask.remove();
    this.history.clear();
    this.fireHistory();
    if (mask.isDrawn) this.drawnEmitter.fire(false);
  }

  /** The tools act in every view: a stroke in the sagittal plane changes many acquired slices, one undo step. */
  private attach({ elements, toolGroupId }: AttachedViewer): void {
    this.tools.attach(toolGroupId);
    this.elements = elements;
    for (const element of elements) {
      element.addEventListener('pointerdown', this.handlePointerDown);
      element.addEventListener('pointerleave', this.handlePointerLeave);
    }
  }

  private detach(): void {
    this.removeMask();
    this.tools.detach();
    for (const element of this.elements) {
      element.removeEventListener('pointerdown', this.handlePointerDown);
      element.removeEventListener('pointerleave', this.handlePointerLeave);
    }
    this.elements = [];
  }

  destroy(): void {
    this.detach();
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    eventTarget.removeEventListener(ToolEnums.Events.SEGMENTATION_DATA_MODIFIED, this.handleDataModified);
    window.removeEventListener('pointerup', this.handlePointerUp, true);
    for (const emitter of [this.commitEmitter, this.historyEmitter, this.drawnEmitter]) emitter.dispose();
  }

  private readonly handleDataModified = (event: Event): void => {
    const { segmentationId } = (event as CustomEvent<{ segmentationId: string }>).detail;
    // A stroke is committed when the button goes up; changes made otherwise (a fill) shortly after they stop.
    if (segmentationId === this.mask?.segmentationId && !this.pointerDown) this.scheduleCommit();
  };

  private scheduleCommit(): void {
    clearTimeout(this.commitTimer);
    this.commitTimer = setTimeout(() => this.commitNow(), 150);
  }

  private readonly handlePointerDown = (): void => {
    this.pointerDown = true;
  };

  /** The brush outline goes with the pointer (not while a stroke goes on outside the view). */
  private readonly handlePointerLeave = (): void => {
    if (!this.pointerDown) this.tools.hideCursor(this.viewer.viewportIds);
  };

  private readonly handlePointerUp = (): void => {
    if (!this.pointerDown) return;
    this.pointerDown = false;
    // The brush writes its last dab on mouse up, after this listener: commit once it has.
    this.scheduleCommit();
  };
}
