import type { Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import {
  announceLabelmapChange,
  createLabelmap,
  drawLabelmap,
  readLabelmapArray,
  removeLabelmap,
  writeLabelmapArray
} from './labelmapLayers';
import type { ShownVolumeInfo } from './viewerTypes';

export interface MaskStyle {
  opacity: number;
  outline: boolean;
}

let nextMaskNumber = 1;

/**
 * The user's mask on the volume on screen: a Cornerstone labelmap (label 1 = tumour, the active segment), the labels
 * as last committed (strokes are diffed against them) and the views it is drawn in. An empty mask is drawn nowhere
 * until a drawing tool is chosen or labels arrive: in software WebGL the labelmap layer doubles the cost of every
 * frame, and most scans have no mask.
 */
export class MaskLabelmap {
  readonly volumeId: string;
  readonly segmentationId = `genseg-mask-${nextMaskNumber++}`;
  readonly columns: number;
  readonly rows: number;
  readonly sliceSize: number;
  /** The labels as of the last committed edit (whole volume, i fastest). */
  readonly baseline: Uint8Array;
  private readonly labelmap: Types.IImageVolume;
  private drawnIn: string[] | undefined;

  constructor(volume: ShownVolumeInfo, labels: Uint8Array) {
    this.volumeId = volume.volumeId;
    [this.columns, this.rows] = volume.dimensions;
    this.sliceSize = this.columns * this.rows;
    this.baseline = labels.slice();
    this.labelmap = createLabelmap(volume.cacheId, this.segmentationId, labels.slice());
    segmentation.segmentIndex.setActiveSegmentIndex(this.segmentationId, 1);
  }

  get isDrawn(): boolean {
    return this.drawnIn !== undefined;
  }

  /** Draws the mask in `viewportIds` from now on; true if it was drawn nowhere before. */
  draw(viewportIds: string[], style: MaskStyle): boolean {
    const first = !this.drawnIn;
    this.drawnIn ??= [];
    this.drawIn(viewportIds, style);
    return first;
  }

  /** Draws the mask in more views (the reference planes), if it is drawn at all. */
  drawIn(viewportIds: string[], style: MaskStyle): void {
    const added = viewportIds.filter((viewportId) => !this.drawnIn?.includes(viewportId));
    if (!this.drawnIn || added.length === 0) return;
    this.drawnIn.push(...added);
    drawLabelmap(this.segmentationId, added);
    this.activate();
    this.setStyle(style);
    announceLabelmapChange(this.segmentationId);
  }

  /** The mask, not the proposal, is what the tools edit in every view it is drawn in. */
  activate(): void {
    for (const viewportId of this.drawnIn ?? [])
      segmentation.activeSegmentation.setActiveSegmentation(viewportId, this.segmentationId);
  }

  setStyle({ opacity, outline }: MaskStyle): void {
    for (const viewportId of this.drawnIn ?? []) {
      segmentation.segmentationStyle.setStyle(
        { type: ToolEnums.SegmentationRepresentations.Labelmap, viewportId, segmentationId: this.segmentationId },
        { fillAlpha: opacity, fillAlphaInactive: opacity, renderOutline: outline, outlineWidth: 2 }
      );
    }
  }

  /** The labels the views show now, strokes not yet committed included (Cornerstone's array: copy to keep). */
  readLabels(): Uint8Array {
    return readLabelmapArray(this.labelmap);
  }

  /** Replaces the labels the views show, and has them drawn again. */
  writeLabels(labels: Uint8Array): void {
    writeLabelmapArray(this.labelmap, labels);
    announceLabelmapChange(this.segmentationId);
  }

  /** The committed labels of slice `k` (a copy). */
  readSlice(k: number): Uint8Array {
    return this.baseline.slice(k * this.sliceSize, (k + 1) * this.sliceSize);
  }

  /** Sets slice `k` in the shown labels `labels` and in the committed ones alike. */
  setSlice(labels: Uint8Array, k: number, sliceLabels: Uint8Array): void {
    labels.set(sliceLabels, k * this.sliceSize);
    this.baseline.set(sliceLabels, k * this.sliceSize);
  }

  remove(): void {
    removeLabelmap(this.segmentationId, this.drawnIn ?? []);
  }
}
