export { createLesionProject } from './createLesionProject';
