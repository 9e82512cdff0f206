import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import { announceLabelmapChange, createLabelmap, drawLabelmap, removeLabelmap } from './labelmapLayers';
import { proposalColour } from './layerColours';

const proposalStyle = {
  fillAlpha: 0.15,
  fillAlphaInactive: 0.15,
  renderOutline: true,
  renderOutlineInactive: true,
  outlineWidth: 2,
  outlineWidthInactive: 2
};

let nextProposalNumber = 1;

/**
 * A model's proposed labelmap drawn over the user's mask, in yellow with an outline (as MONAI Label shows predictions
 * apart from labels). Its own segmentation, never the active one: the tools never edit it.
 */
export class ProposalLayer {
  private shown:
    | {
        volume: { volumeId: string; cacheId: string };
        labels: Uint8Array;
        segmentationId: string;
        viewportIds: string[];
      }
    | undefined;

  get volumeId(): string | undefined {
    return this.shown?.volume.volumeId;
  }

  /** Draws `labels` (the whole volume, i fastest) in `viewportIds`, replacing any proposal shown. */
  show(volume: { volumeId: string; cacheId: string }, labels: Uint8Array, viewportIds: string[]): void {
    this.remove();
    const segmentationId = `genseg-proposal-${nextProposalNumber++}`;
    createLabelmap(volume.cacheId, segmentationId, labels.slice());
    this.shown = { volume, labels, segmentationId, viewportIds: [] };
    this.drawIn(viewportIds);
  }

  /** Draws the proposal in more views (the reference planes, once they show the volume). */
  drawIn(viewportIds: string[]): void {
    const shown = this.shown;
    const added = viewportIds.filter((viewportId) => !shown?.viewportIds.includes(viewportId));
    if (!shown || added.length === 0) return;
    shown.viewportIds.push(...added);
    drawLabelmap(shown.segmentationId, added);
    for (const viewportId of added) {
      segmentation.config.color.setSegmentIndexColor(viewportId, shown.segmentationId, 1, [...proposalColour, 255]);
      segmentation.segmentationStyle.setStyle(
        { type: ToolEnums.SegmentationRepresentations.Labelmap, viewportId, segmentationId: shown.segmentationId },
        proposalStyle
      );
      segmentation.segmentationStyle.setRenderInactiveSegmentations(viewportId, true);
    }
    announceLabelmapChange(shown.segmentationId);
  }

  /** Draws the proposal again, on top of any layer added since (the user's mask, loaded again). */
  raise(): void {
    const shown = this.shown;
    if (shown) this.show(shown.volume, shown.labels, [...shown.viewportIds]);
  }

  remove(): void {
    const shown = this.shown;
    if (!shown) return;
    this.shown = undefined;
    removeLabelmap(shown.segmentationId, shown.viewportIds);
  }
}
