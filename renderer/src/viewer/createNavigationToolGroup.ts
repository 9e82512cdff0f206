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
 * The mouse as in OHIF and 3D Slicer: wheel scrolls slices, left-drag sets window/level, right-drag zooms,
 * middle-drag (or Shift + left-drag, for trackpads) pans. Shown to the user by `navigationHelp`.
 */
export const navigationHelp = [
  { input: 'Wheel', action: 'slices' },
  { input: 'Left-drag', action: 'window/level' },
  { input: 'Right-drag', action: 'zoom (down: in)' },
  { input: 'Middle-drag or Shift + left-drag', action: 'pan' },
  { input: '↑ ↓', action: 'slices' },
  { input: 'R', action: 'reset view' }
] as const;

export function createNavigationToolGroup(
  toolGroupId: string,
  viewportId: string,
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
  toolGroup.addViewport(viewportId, renderingEngineId);
  return toolGroup;
}
