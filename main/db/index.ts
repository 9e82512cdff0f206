export { Database } from './Database';
export type { Transaction, SqlValue, Row } from './Database';
export { migrate } from './migrate';
export { migrations, type Migration } from './migrations';
export { ProjectStore } from './ProjectStore';
export { MaskVersionConflict, type MaskSliceWrite } from './repositories/MaskRepository';
export type { SliceLabelUpdate } from './repositories/SliceLabelRepository';
export { geometryOf } from './volumeGeometry';
export type * from './records';
