export { runDemo } from './runDemo';
