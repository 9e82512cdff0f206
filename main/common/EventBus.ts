import type { EventName, EventPayload } from '../contract';

export type EventListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

/** Events from the core to every connected client; each host forwards them over its own transport. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the next `name` event that `accept` takes. */
  waitFor<N extends EventName>(name: N, accept: (payload: EventPayload<N>) => boolean = () => true): Promise<EventPayload<N>> {
    return new Promise((resolve) => {
      const unsubscribe = this.subscribe((eventName, payload) => {
        if ((eventName as string) === name && accept(payload as EventPayload<N>)) {
          unsubscribe();
          resolve(payload as EventPayload<N>);
        }
      });
    });
  }
}
