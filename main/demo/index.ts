export { runDemo, demoMethods, defaultDemoSeed, type DemoMethod } from './runDemo';
