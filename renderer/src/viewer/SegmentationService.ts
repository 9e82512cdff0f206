import { cache, eventTarget, volumeLoader, type Types } from '@cornerstonejs/core';
import { BrushTool, Enums as ToolEnums, segmentation, ToolGroupManager, WindowLevelTool } from '@cornerstonejs/tools';
import { fillSliceHoles } from '../masks/fillSliceHoles';
import { interpolateSlices } from '../masks/interpolateSlices';
import { MaskHistory, type SliceEdit } from '../masks/MaskHistory';
import { Emitter } from './Emitter';
import type { ShownVolumeInfo, ViewerService } from './ViewerService';

export type MaskTool = 'navigate' | 'brush' | 'eraser' | 'threshold';

export interface MaskSlices {
  volumeId: string;
  slices: { sliceIndex: number; labels: Uint8Array }[];
}

export interface MaskHistoryState {
  canUndo: boolean;
  canRedo: boolean;
}

interface ShownMask {
  volumeId: string;
  segmentationId: string;
  labelmap: Types.IImageVolume;
  /** Labels as of the last committed edit: strokes are diffed against it, slice by slice. */
  baseline: Uint8Array;
  sliceSize: number;
  /**
   * Whether the labelmap is drawn in the viewports. An empty mask is not, until a drawing tool is chosen or labels
   * arrive: in software WebGL the labelmap layer doubles the cost of every frame, and most scans have no mask.
   */
  mounted: boolean;
}

const toolNames: Record<Exclude<MaskTool, 'navigate'>, string> = {
  brush: 'GensegBrush',
  eraser: 'GensegEraser',
  threshold: 'GensegThresholdBrush'
};

let nextSegmentationNumber = 1;

/**
 * The user's tumour mask on the viewer's volume, as a Cornerstone labelmap (label 1 = tumour), with the brush, the
 * eraser and the threshold brush. Each finished stroke becomes one undo step of per-slice diffs and is announced
 * with `onDidCommitSlices` (the changed slices only), which the caller saves.
 */
export class SegmentationService {
  private shown: ShownMask | undefined;
  /** The proposal drawn over the mask: its own segmentation, another colour, never edited. */
  private proposal: { volumeId: string; segmentationId: string } | undefined;
  private readonly history = new MaskHistory();
  private tool: MaskTool = 'navigate';
  private style = { opacity: 0.5, outline: true };
  private pointerDown = false;
  private commitTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly commitEmitter = new Emitter<MaskSlices>();
  private readonly historyEmitter = new Emitter<MaskHistoryState>();
  private readonly unsubscribeViewer: () => void;
  readonly onDidCommitSlices = this.commitEmitter.event;
  readonly onDidChangeHistory = this.historyEmitter.event;

  constructor(
    private readonly viewer: ViewerService,
    private readonly element: HTMLElement
  ) {
    const toolGroup = this.toolGroup;
    toolGroup.addTool(BrushTool.toolName);
    toolGroup.addToolInstance(toolNames.brush, BrushTool.toolName, { activeStrategy: 'FILL_INSIDE_CIRCLE' });
    toolGroup.addToolInstance(toolNames.eraser, BrushTool.toolName, { activeStrategy: 'ERASE_INSIDE_CIRCLE' });
    toolGroup.addToolInstance(toolNames.threshold, BrushTool.toolName, { activeStrategy: 'THRESHOLD_INSIDE_CIRCLE' });
    this.setBrushRadius(5);
    eventTarget.addEventListener(ToolEnums.Events.SEGMENTATION_DATA_MODIFIED, this.handleDataModified);
    element.addEventListener('pointerdown', this.handlePointerDown);
    window.addEventListener('pointerup', this.handlePointerUp, true);
    this.unsubscribeViewer = viewer.onWillClearVolume(() => this.removeMask());
  }

  private get toolGroup() {
    const toolGroup = ToolGroupManager.getToolGroup(this.viewer.toolGroupId);
    if (!toolGroup) throw new Error('the viewer has no tool group');
    return toolGroup;
  }

  /** Shows `labels` (the whole labelmap, i fastest) as the mask of the volume on screen. */
  async showMask(volumeId: string, labels: Uint8Array): Promise<void> {
    const volume = this.viewer.getShownVolume();
    if (!volume || volume.volumeId !== volumeId) return;
    this.removeMask();
    const segmentationId = `genseg-mask-${nextSegmentationNumber++}`;
    const labelmap = volumeLoader.createAndCacheDerivedLabelmapVolume(volume.cacheId, { volumeId: segmentationId });
    const [columns, rows] = volume.dimensions;
    this.shown = {
      volumeId,
      segmentationId,
      labelmap,
      baseline: labels.slice(),
      sliceSize: columns * rows,
      mounted: false
    };
    writeLabelmapArray(labelmap, labels.slice());
    segmentation.addSegmentations([
      {
        segmentationId,
        representation: { type: ToolEnums.SegmentationRepresentations.Labelmap, data: { volumeId: segmentationId } }
      }
    ]);
    segmentation.segmentIndex.setActiveSegmentIndex(segmentationId, 1);
    if (this.tool !== 'navigate' || labels.some((value) => value !== 0)) this.mountMask();
    this.history.clear();
    this.fireHistory();
  }

  /** Draws the mask in every viewport (once): before any drawing tool acts or any label is written. */
  private mountMask(): void {
    const shown = this.shown;
    if (!shown || shown.mounted) return;
    shown.mounted = true;
    const { segmentationId } = shown;
    // Drawn in the acquisition view, shown in the sagittal and coronal planes as well. Registering the representation
    // is synchronous: a stroke that starts right after this finds its segmentation.
    const viewportIds = this.viewer.viewportIds;
    segmentation.addLabelmapRepresentationToViewportMap(
      Object.fromEntries(viewportIds.map((viewportId) => [viewportId, [{ segmentationId }]]))
    );
    for (const viewportId of viewportIds)
      segmentation.activeSegmentation.setActiveSegmentation(viewportId, segmentationId);
    this.applyStyle();
    segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(segmentationId);
  }

  /** Whether the mask is drawn in the viewports (false while it is empty and no drawing tool is chosen). */
  get isMaskDrawn(): boolean {
    return this.shown?.mounted ?? false;
  }

  /**
   * Shows a model's proposed labelmap over the user's mask, in yellow with an outline (as MONAI Label shows
   * predictions apart from labels), or removes it (null). The user's mask stays the one the brush edits.
   */
  async showProposal(volumeId: string, labels: Uint8Array | null): Promise<void> {
    this.removeProposal();
    const volume = this.viewer.getShownVolume();
    if (!labels || !volume || volume.volumeId !== volumeId) return;
    const segmentationId = `genseg-proposal-${nextSegmentationNumber++}`;
    const labelmap = volumeLoader.createAndCacheDerivedLabelmapVolume(volume.cacheId, { volumeId: segmentationId });
    writeLabelmapArray(labelmap, labels.slice());
    this.proposal = { volumeId, segmentationId };
    segmentation.addSegmentations([
      {
        segmentationId,
        representation: { type: ToolEnums.SegmentationRepresentations.Labelmap, data: { volumeId: segmentationId } }
      }
    ]);
    const viewportIds = this.viewer.viewportIds;
    await segmentation.addLabelmapRepresentationToViewportMap(
      Object.fromEntries(viewportIds.map((viewportId) => [viewportId, [{ segmentationId }]]))
    );
    for (const viewportId of viewportIds) {
      segmentation.config.color.setSegmentIndexColor(viewportId, segmentationId, 1, [255, 214, 0, 255]);
      segmentation.segmentationStyle.setStyle(
        { type: ToolEnums.SegmentationRepresentations.Labelmap, viewportId, segmentationId },
        {
          fillAlpha: 0.15,
          fillAlphaInactive: 0.15,
          renderOutline: true,
          renderOutlineInactive: true,
          outlineWidth: 2,
          outlineWidthInactive: 2
        }
      );
      segmentation.segmentationStyle.setRenderInactiveSegmentations(viewportId, true);
      if (this.shown?.mounted)
        segmentation.activeSegmentation.setActiveSegmentation(viewportId, this.shown.segmentationId);
    }
    segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(segmentationId);
    this.viewer.render();
  }

  private removeProposal(): void {
    const proposal = this.proposal;
    if (!proposal) return;
    this.proposal = undefined;
    for (const viewportId of this.viewer.viewportIds) {
      segmentation.removeSegmentationRepresentations(viewportId, { segmentationId: proposal.segmentationId });
    }
    segmentation.removeSegmentation(proposal.segmentationId);
    cache.removeVolumeLoadObject(proposal.segmentationId);
  }

  /** The labels of slice `k` of the mask on screen (a copy), as last committed. */
  readSlice(k: number): Uint8Array | null {
    const shown = this.shown;
    return shown ? shown.baseline.slice(k * shown.sliceSize, (k + 1) * shown.sliceSize) : null;
  }

  /** The labels of the mask on screen, the whole volume (a copy). */
  readLabels(): Uint8Array | null {
    return this.shown ? this.shown.baseline.slice() : null;
  }

  setTool(tool: MaskTool): void {
    const toolGroup = this.toolGroup;
    for (const name of Object.values(toolNames)) toolGroup.setToolPassive(name);
    const primary = [{ mouseButton: ToolEnums.MouseBindings.Primary }];
    if (tool === 'navigate') {
      toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: primary });
    } else {
      this.mountMask();
      toolGroup.setToolPassive(WindowLevelTool.toolName);
      if (tool === 'threshold') this.updateThresholdRange();
      toolGroup.setToolActive(toolNames[tool], { bindings: primary });
    }
    this.tool = tool;
    this.viewer.render();
  }

  getTool(): MaskTool {
    return this.tool;
  }

  /** The brush radius in millimetres, for the brush, the eraser and the threshold brush. */
  setBrushRadius(millimetres: number): void {
    for (const name of Object.values(toolNames)) this.toolGroup.setToolConfiguration(name, { brushSize: millimetres });
  }

  /** The threshold brush paints only voxels inside the current window (lower to upper value). */
  updateThresholdRange(): void {
    const { width, center } = this.viewer.getWindow();
    this.toolGroup.setToolConfiguration(toolNames.threshold, {
      threshold: { range: [center - width / 2, center + width / 2], isDynamic: false }
    });
  }

  setStyle(style: { opacity: number; outline: boolean }): void {
    this.style = style;
    this.applyStyle();
  }

  private applyStyle(): void {
    const { opacity, outline } = this.style;
    if (!this.shown?.mounted) return;
    for (const viewportId of this.viewer.viewportIds) {
      segmentation.segmentationStyle.setStyle(
        { type: ToolEnums.SegmentationRepresentations.Labelmap, viewportId, segmentationId: this.shown.segmentationId },
        { fillAlpha: opacity, fillAlphaInactive: opacity, renderOutline: outline, outlineWidth: 2 }
      );
    }
    this.viewer.render();
  }

  /** Fills the holes of the mask on slice `k`: one undo step, saved like a stroke. */
  fillHoles(k: number): void {
    this.commitNow();
    const shown = this.shown;
    const volume = this.viewer.getShownVolume();
    if (!shown || !volume) return;
    const [columns, rows] = volume.dimensions;
    this.mountMask();
    const labels = readLabelmapArray(shown.labelmap);
    const start = k * shown.sliceSize;
    labels.set(fillSliceHoles(labels.slice(start, start + shown.sliceSize), columns, rows), start);
    writeLabelmapArray(shown.labelmap, labels);
    segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(shown.segmentationId);
    this.commitNow();
  }

  /**
   * Fills the empty slices between drawn ones by shape-based interpolation (Slicer's "fill between slices"): every
   * gap between two consecutive drawn slices; drawn slices are never changed. One undo step, saved like a stroke.
   */
  interpolateBetweenSlices(): void {
    this.commitNow();
    const shown = this.shown;
    const volume = this.viewer.getShownVolume();
    if (!shown || !volume) return;
    const [columns, rows, sliceCount] = volume.dimensions;
    this.mountMask();
    const labels = readLabelmapArray(shown.labelmap);
    const sliceOf = (k: number) => labels.subarray(k * shown.sliceSize, (k + 1) * shown.sliceSize);
    const drawn = Array.from({ length: sliceCount }, (_, k) => k).filter((k) =>
      sliceOf(k).some((value) => value !== 0)
    );
    for (let index = 1; index < drawn.length; index++) {
      const lower = drawn[index - 1]!;
      const upper = drawn[index]!;
      if (upper - lower < 2) continue;
      const between = interpolateSlices(sliceOf(lower).slice(), sliceOf(upper).slice(), upper - lower, columns, rows);
      between.forEach((slice, offset) => labels.set(slice, (lower + 1 + offset) * shown.sliceSize));
    }
    writeLabelmapArray(shown.labelmap, labels);
    segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(shown.segmentationId);
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
    const shown = this.shown;
    if (!shown) return;
    this.mountMask();
    const labels = readLabelmapArray(shown.labelmap);
    for (const edit of step) {
      const offset = edit.sliceIndex * shown.sliceSize;
      labels.set(edit[which], offset);
      shown.baseline.set(edit[which], offset);
    }
    writeLabelmapArray(shown.labelmap, labels);
    segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(shown.segmentationId);
    this.commitEmitter.fire({
      volumeId: shown.volumeId,
      slices: step.map((edit) => ({ sliceIndex: edit.sliceIndex, labels: edit[which].slice() }))
    });
    this.fireHistory();
  }

  /** Diffs the labelmap against the last committed labels: one undo step and one save of the changed slices. */
  commitNow(): void {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    const shown = this.shown;
    if (!shown) return;
    const labels = readLabelmapArray(shown.labelmap);
    const edits: SliceEdit[] = [];
    const sliceCount = shown.baseline.length / shown.sliceSize;
    for (let k = 0; k < sliceCount; k++) {
      const start = k * shown.sliceSize;
      const end = start + shown.sliceSize;
      if (!sameBytes(labels, shown.baseline, start, end)) {
        edits.push({ sliceIndex: k, before: shown.baseline.slice(start, end), after: labels.slice(start, end) });
        shown.baseline.set(labels.subarray(start, end), start);
      }
    }
    if (edits.length === 0) return;
    this.history.record(edits);
    this.commitEmitter.fire({
      volumeId: shown.volumeId,
      slices: edits.map((edit) => ({ sliceIndex: edit.sliceIndex, labels: edit.after.slice() }))
    });
    this.fireHistory();
  }

  private scheduleCommit(): void {
    clearTimeout(this.commitTimer);
    this.commitTimer = setTimeout(() => this.commitNow(), 150);
  }

  private fireHistory(): void {
    this.historyEmitter.fire({ canUndo: this.history.canUndo, canRedo: this.history.canRedo });
  }

  private removeMask(): void {
    this.commitNow();
    this.removeProposal();
    const shown = this.shown;
    if (!shown) return;
    this.shown = undefined;
    if (shown.mounted) {
      for (const viewportId of this.viewer.viewportIds) {
        segmentation.removeSegmentationRepresentations(viewportId, { segmentationId: shown.segmentationId });
      }
    }
    segmentation.removeSegmentation(shown.segmentationId);
    cache.removeVolumeLoadObject(shown.segmentationId);
    this.history.clear();
    this.fireHistory();
  }

  destroy(): void {
    this.removeMask();
    this.unsubscribeViewer();
    eventTarget.removeEventListener(ToolEnums.Events.SEGMENTATION_DATA_MODIFIED, this.handleDataModified);
    this.element.removeEventListener('pointerdown', this.handlePointerDown);
    window.removeEventListener('pointerup', this.handlePointerUp, true);
    this.commitEmitter.dispose();
    this.historyEmitter.dispose();
  }

  private readonly handleDataModified = (event: Event): void => {
    const { segmentationId } = (event as CustomEvent<{ segmentationId: string }>).detail;
    // A stroke is committed when the button goes up; changes made otherwise (a fill) shortly after they stop.
    if (segmentationId === this.shown?.segmentationId && !this.pointerDown) this.scheduleCommit();
  };

  private readonly handlePointerDown = (): void => {
    this.pointerDown = true;
  };

  private readonly handlePointerUp = (): void => {
    if (!this.pointerDown) return;
    this.pointerDown = false;
    // The brush writes its last dab on mouse up, after this listener: commit once it has.
    this.scheduleCommit();
  };
}

function readLabelmapArray(labelmap: Types.IImageVolume): Uint8Array {
  const manager = labelmap.voxelManager;
  if (!manager?.getCompleteScalarDataArray) throw new Error('the labelmap has no voxel manager');
  return manager.getCompleteScalarDataArray() as Uint8Array;
}

function writeLabelmapArray(labelmap: Types.IImageVolume, labels: Uint8Array): void {
  const manager = labelmap.voxelManager;
  if (!manager?.setCompleteScalarDataArray) throw new Error('the labelmap has no voxel manager');
  manager.setCompleteScalarDataArray(labels);
}

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (a[index] !== b[index]) return false;
  return true;
}

export type { ShownVolumeInfo };
