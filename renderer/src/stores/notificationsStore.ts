import { defineStore } from 'pinia';
import { ref } from 'vue';
import { describeError } from '../api';

export interface UserMessage {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
}

const infoLifetimeMilliseconds = 5000;

/** Messages for the user: failures in their words, warnings from imports, confirmations. */
export const useNotificationsStore = defineStore('notifications', () => {
  const messages = ref<UserMessage[]>([]);
  let nextId = 1;

  /**
   * Confirmations go away by themselves; errors and warnings stay until the user dismisses them. The same message
   * already on screen is not shown twice (two calls failing for one reason, e.g. a page without its access key).
   */
  function show(kind: UserMessage['kind'], text: string): void {
    if (messages.value.some((message) => message.kind === kind && message.text === text)) return;
    const id = nextId++;
    messages.value.push({ id, kind, text });
    if (messages.value.length > 5) messages.value.shift();
    if (kind === 'info') setTimeout(() => dismiss(id), infoLifetimeMilliseconds);
  }

  function reportError(error: unknown, whatFailed: string): void {
    show('error', describeError(error, whatFailed));
  }

  function dismiss(id: number): void {
    messages.value = messages.value.filter((message) => message.id !== id);
  }

  return { messages, show, reportError, dismiss };
});
