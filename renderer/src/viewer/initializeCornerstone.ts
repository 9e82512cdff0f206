import { init as initializeCore } from '@cornerstonejs/core';
import {
  addTool,
  BrushTool,
  init as initializeTools,
  PanTool,
  ReferenceLinesTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool
} from '@cornerstonejs/tools';

let initialized = false;

/** Cornerstone's global set-up, once per page: core, tools, and the tool classes every viewport may use. */
export function initializeCornerstone(): void {
  if (initialized) return;
  initializeCore();
  initializeTools();
  for (const Tool of [PanTool, ZoomTool, WindowLevelTool, StackScrollTool, BrushTool, ReferenceLinesTool])
    addTool(Tool);
  initialized = true;
}
