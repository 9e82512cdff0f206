/**
 * Fills the holes of one slice's labels (dim_i * dim_j, i fastest): background not connected (4-neighbours) to the
 * slice's edge becomes label 1, as ITK-SNAP's and Slicer's "fill holes" do. Returns a new array.
 */
export function fillSliceHoles(labels: Uint8Array, columns: number, rows: number): Uint8Array {
  const outside = new Uint8Array(labels.length);
  const stack: number[] = [];
  const visit = (index: number) => {
    if (labels[index] === 0 && outside[index] === 0) {
      outside[index] = 1;
      stack.push(index);
    }
  };
  for (let i = 0; i < columns; i++) {
    visit(i);
    visit((rows - 1) * columns + i);
  }
  for (let j = 0; j < rows; j++) {
    visit(j * columns);
    visit(j * columns + columns - 1);
  }
  while (stack.length > 0) {
    const index = stack.pop()!;
    const i = index % columns;
    const j = (index - i) / columns;
    if (i > 0) visit(index - 1);
    if (i < columns - 1) visit(index + 1);
    if (j > 0) visit(index - columns);
    if (j < rows - 1) visit(index + columns);
  }
  const filled = labels.slice();
  for (let index = 0; index < filled.length; index++) if (filled[index] === 0 && outside[index] === 0) filled[index] = 1;
  return filled;
}
