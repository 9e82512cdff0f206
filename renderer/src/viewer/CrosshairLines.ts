import type { Point2 } from './crosshairGeometry';
import type { ViewName } from './viewerTypes';

/** One line in a view: where another view's plane cuts it, in the view's pixels (CSS), with that view's colour. */
export interface CrosshairLine {
  /** The view whose plane the line is. */
  plane: ViewName;
  from: Point2;
  to: Point2;
}

/**
 * The colour of each view's plane, on its lines in the other views and on its label: blue for the acquired plane,
 * yellow for sagittal and green for coronal (Slicer's yellow and green; not red, which is the mask's colour).
 */
export const planeColours: Record<ViewName, string> = {
  acquisition: '#4da6ff',
  sagittal: '#e8d840',
  coronal: '#50c878'
};

const svgNamespace = 'http://www.w3.org/2000/svg';
/** Pixels left open around the crosshair point on each line, so the voxel under it stays visible (as in Slicer). */
const gap = 10;

/**
 * The crosshair drawn in one view as an SVG layer over Cornerstone's canvas (no pointer events): the lines where the
 * other two views' planes cut this one, with a gap around the crosshair point.
 */
export class CrosshairLines {
  private readonly svg: SVGSVGElement;
  private readonly lines = new Map<ViewName, SVGLineElement[]>();

  constructor(element: HTMLElement) {
    this.svg = document.createElementNS(svgNamespace, 'svg');
    this.svg.classList.add('genseg-crosshair');
    this.svg.setAttribute('data-testid', 'crosshair-lines');
    Object.assign(this.svg.style, {
      position: 'absolute',
      inset: '0',
      width: '100%',
      height: '100%',
      pointerEvents: 'none',
      zIndex: '5'
    });
    element.appendChild(this.svg);
  }

  /** Draws `lines` through `centre` (the crosshair point in this view's pixels), or nothing when `lines` is empty. */
  draw(centre: Point2 | undefined, lines: CrosshairLine[]): void {
    for (const [plane, segments] of this.lines) {
      if (lines.some((line) => line.plane === plane)) continue;
      for (const segment of segments) segment.remove();
      this.lines.delete(plane);
    }
    for (const line of lines) {
      const pieces = centre ? splitAround(line.from, line.to, centre) : [[line.from, line.to] as [Point2, Point2]];
      let segments = this.lines.get(line.plane);
      if (!segments) {
        segments = [this.createSegment(line.plane), this.createSegment(line.plane)];
        this.lines.set(line.plane, segments);
      }
      segments.forEach((segment, index) => {
        const piece = pieces[index];
        segment.style.display = piece ? '' : 'none';
        if (!piece) return;
        segment.setAttribute('x1', piece[0][0].toFixed(1));
        segment.setAttribute('y1', piece[0][1].toFixed(1));
        segment.setAttribute('x2', piece[1][0].toFixed(1));
        segment.setAttribute('y2', piece[1][1].toFixed(1));
      });
    }
  }

  setVisible(visible: boolean): void {
    this.svg.style.display = visible ? '' : 'none';
  }

  dispose(): void {
    this.svg.remove();
    this.lines.clear();
  }

  private createSegment(plane: ViewName): SVGLineElement {
    const segment = document.createElementNS(svgNamespace, 'line');
    segment.setAttribute('stroke', planeColours[plane]);
    segment.setAttribute('stroke-width', '1');
    // Sharp one-pixel lines: no half-grey edges mixed into the image beneath.
    segment.setAttribute('shape-rendering', 'crispEdges');
    segment.dataset.plane = plane;
    this.svg.appendChild(segment);
    return segment;
  }
}

/** The line from `from` to `to` without the part within `gap` pixels of `centre` (which lies on it). */
function splitAround(from: Point2, to: Point2, centre: Point2): [Point2, Point2][] {
  const length = Math.hypot(to[0] - from[0], to[1] - from[1]);
  if (length < 1e-9) return [];
  const direction: Point2 = [(to[0] - from[0]) / length, (to[1] - from[1]) / length];
  const along = (centre[0] - from[0]) * direction[0] + (centre[1] - from[1]) * direction[1];
  const at = (distance: number): Point2 => [from[0] + direction[0] * distance, from[1] + direction[1] * distance];
  const pieces: [Point2, Point2][] = [];
  if (along - gap > 0) pieces.push([from, at(Math.min(length, along - gap))]);
  if (along + gap < length) pieces.push([at(Math.max(0, along + gap)), to]);
  return pieces;
}
