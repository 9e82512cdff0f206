import {
  Enums as ToolEnums,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes
} from '@cornerstonejs/tools';

const { MouseBindings, KeyboardBindings } = ToolEnums;

/**
 * The navigation tools with the bindings `navigationHelp` describes (as in OHIF and Slicer): wheel for slices,
 * left-drag for window/level, right-drag for zoom, middle-drag or Shift + left-drag for pan.
 */
export function createNavigationToolGroup(
  toolGroupId: string,
  viewportIds: string | string[],
  renderingEngineId: string
): ToolTypes.IToolGroup {
  const existing = ToolGroupManager.getToolGroup(toolGroupId);
  if (existing) ToolGroupManager.destroyToolGroup(toolGroupId);
  const toolGroup = ToolGroupManager.createToolGroup(toolGroupId);
  if (!toolGroup) throw new Error(`could not create tool group ${toolGroupId}`);
  for (const Tool of [PanTool, ZoomTool, WindowLevelTool, StackScrollTool]) toolGroup.addTool(Tool.toolName);
  toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
  toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  toolGroup.setToolActive(PanTool.toolName, {
    bindings: [
      { mouseButton: MouseBindings.Auxiliary },
      { mouseButton: MouseBindings.Primary, modifierKey: KeyboardBindings.Shift }
    ]
  });
  toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  for (const viewportId of typeof viewportIds === 'string' ? [viewportIds] : viewportIds) {
    toolGroup.addViewport(viewportId, renderingEngineId);
  }
  return toolGroup;
}
