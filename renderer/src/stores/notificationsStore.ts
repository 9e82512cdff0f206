import { defineStore } from 'pinia';
import { ref } from 'vue';
import { describeError } from '../api';

export interface UserMessage {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
}

/** Messages for the user: failures in their words, warnings from imports, confirmations. */
export const useNotificationsStore = defineStore('notifications', () => {
  const messages = ref<UserMessage[]>([]);
  let nextId = 1;

  function show(kind: UserMessage['kind'], text: string): void {
    messages.value.push({ id: nextId++, kind, text });
    if (messages.value.length > 5) messages.value.shift();
  }

  function reportError(error: unknown, whatFailed: string): void {
    show('error', describeError(error, whatFailed));
  }

  function dismiss(id: number): void {
    messages.value = messages.value.filter((message) => message.id !== id);
  }

  return { messages, show, reportError, dismiss };
});
