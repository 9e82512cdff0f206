export { startWebHost, type WebHost, type WebHostOptions } from './startWebHost';
