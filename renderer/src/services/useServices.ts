import { inject, type InjectionKey } from 'vue';
import type { Services } from './createServices';

export const servicesKey: InjectionKey<Services> = Symbol('services');

/** The app's services (see createServices), in a component's setup or a composable it calls. */
export function useServices(): Services {
  const services = inject(servicesKey);
  if (!services) throw new Error('The services are used before main.ts provided them.');
  return services;
}
