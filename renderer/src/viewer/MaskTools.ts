import { BrushTool, Enums as ToolEnums, ToolGroupManager, utilities, WindowLevelTool } from '@cornerstonejs/tools';

/** `crosshair`: the left button moves the crosshair (the viewer handles it) instead of setting window/level. */
export type MaskTool = 'navigate' | 'crosshair' | 'brush' | 'eraser' | 'threshold';

const toolNames: Record<Exclude<MaskTool, 'navigate' | 'crosshair'>, string> = {
  brush: 'GensegBrush',
  eraser: 'GensegEraser',
  threshold: 'GensegThresholdBrush'
};

/**
 * The brush, the eraser and the threshold brush (BrushTool instances, radius in millimetres) in the tool group of all
 * three views, bound to the left button instead of window/level while one of them is chosen; with the crosshair tool
 * nothing of Cornerstone's takes the left button. The choices are kept while the viewer has no elements and applied
 * when it gets them.
 */
export class MaskTools {
  private toolGroupId: string | undefined;
  private tool: MaskTool = 'navigate';
  private radiusMillimetres = 5;
  private thresholdRange: [number, number] | undefined;

  /** Adds the tools to the viewer's tool group (the page gave the viewer its elements). */
  attach(toolGroupId: string): void {
    this.toolGroupId = toolGroupId;
    const toolGroup = this.toolGroup();
    if (!toolGroup) return;
    toolGroup.addTool(BrushTool.toolName);
    toolGroup.addToolInstance(toolNames.brush, BrushTool.toolName, { activeStrategy: 'FILL_INSIDE_CIRCLE' });
    toolGroup.addToolInstance(toolNames.eraser, BrushTool.toolName, { activeStrategy: 'ERASE_INSIDE_CIRCLE' });
    toolGroup.addToolInstance(toolNames.threshold, BrushTool.toolName, { activeStrategy: 'THRESHOLD_INSIDE_CIRCLE' });
    this.setRadius(this.radiusMillimetres);
    if (this.thresholdRange) this.setThresholdRange(this.thresholdRange);
    this.choose(this.tool);
  }

  /** The tool group goes with the viewer's elements. */
  detach(): void {
    this.toolGroupId = undefined;
  }

  get chosen(): MaskTool {
    return this.tool;
  }

  choose(tool: MaskTool): void {
    this.tool = tool;
    const toolGroup = this.toolGroup();
    if (!toolGroup) return;
    for (const name of Object.values(toolNames)) toolGroup.setToolPassive(name);
    const primary = [{ mouseButton: ToolEnums.MouseBindings.Primary }];
    if (tool === 'navigate') {
      toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: primary });
    } else if (tool === 'crosshair') {
      toolGroup.setToolPassive(WindowLevelTool.toolName);
    } else {
      toolGroup.setToolPassive(WindowLevelTool.toolName);
      toolGroup.setToolActive(toolNames[tool], { bindings: primary });
    }
  }

  /**
   * Takes the brush outline out of the views (the pointer left them): Cornerstone leaves it where the pointer was last,
   * where it looks like mask. It comes back with the next move over a view.
   */
  hideCursor(viewportIds: string[]): void {
    const tool = this.tool;
    if (tool === 'navigate' || tool === 'crosshair') return;
    const instance = this.toolGroup()?.getToolInstance(toolNames[tool]) as { disableCursor?: () => void } | undefined;
    instance?.disableCursor?.();
    utilities.triggerAnnotationRenderForViewportIds(viewportIds);
  }

  setRadius(millimetres: number): void {
    this.radiusMillimetres = millimetres;
    const toolGroup = this.toolGroup();
    for (const name of Object.values(toolNames)) toolGroup?.setToolConfiguration(name, { brushSize: millimetres });
  }

  /** The threshold brush paints only voxels with values from `lower` to `upper`. */
  setThresholdRange(range: [lower: number, upper: number]): void {
    this.thresholdRange = range;
    this.toolGroup()?.setToolConfiguration(toolNames.threshold, { threshold: { range, isDynamic: false } });
  }

  private toolGroup() {
    return this.toolGroupId ? ToolGroupManager.getToolGroup(this.toolGroupId) : undefined;
  }
}
