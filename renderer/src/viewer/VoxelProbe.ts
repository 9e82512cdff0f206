import type { Types } from '@cornerstonejs/core';
import { Emitter } from './Emitter';
import type { ViewerScalarArray } from './toScalarArray';
import { patientToVoxel } from './volumeGeometry';

export interface HoveredVoxel {
  /** Voxel indices, as main and every file format count them. */
  i: number;
  j: number;
  k: number;
  value: number;
}

export interface ProbedVolume {
  voxelToPatient: number[];
  dimensions: [number, number, number];
  scalarData: ViewerScalarArray;
}

/**
 * The voxel under the mouse pointer and its value, as Slicer and ITK-SNAP show them. Follows the pointer, and the
 * slice under a still pointer when the view changes.
 */
export class VoxelProbe {
  private readonly emitter = new Emitter<HoveredVoxel | null>();
  private pointer: [number, number] | undefined;
  readonly onDidHoverVoxel = this.emitter.event;

  constructor(
    private readonly element: HTMLDivElement,
    private readonly viewport: () => Types.IVolumeViewport,
    private readonly volume: () => ProbedVolume | undefined
  ) {
    element.addEventListener('pointermove', this.handleMove);
    element.addEventListener('pointerleave', this.handleLeave);
  }

  /** Reads the voxel under the pointer again (the view moved under it). */
  refresh(): void {
    if (this.pointer) this.emitter.fire(this.probe(this.pointer));
  }

  dispose(): void {
    this.element.removeEventListener('pointermove', this.handleMove);
    this.element.removeEventListener('pointerleave', this.handleLeave);
    this.emitter.dispose();
  }

  private probe(canvasPoint: [number, number]): HoveredVoxel | null {
    const volume = this.volume();
    if (!volume) return null;
    const world = this.viewport().canvasToWorld(canvasPoint);
    const [i, j, k] = patientToVoxel(volume.voxelToPatient, world).map(Math.round);
    const [columns, rows, slices] = volume.dimensions;
    if (i < 0 || j < 0 || k < 0 || i >= columns || j >= rows || k >= slices) return null;
    return { i, j, k, value: volume.scalarData[i + columns * (j + rows * k)] };
  }

  private readonly handleMove = (event: PointerEvent): void => {
    const box = this.element.getBoundingClientRect();
    this.pointer = [event.clientX - box.left, event.clientY - box.top];
    this.emitter.fire(this.probe(this.pointer));
  };

  private readonly handleLeave = (): void => {
    this.pointer = undefined;
    this.emitter.fire(null);
  };
}
