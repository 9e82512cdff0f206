export { runDemo, demoMethods, type DemoMethod } from './runDemo';
