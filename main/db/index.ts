export { Database } from './Database';
export type { Transaction, SqlValue, Row } from './Database';
export { migrate } from './migrate';
export { ProjectStore } from './ProjectStore';
export type * from './records';
