import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo } from '../../../main/contract/types';
import { useApiClient } from '../api';
import { useNotificationsStore } from './notificationsStore';

/** What the app knows about itself and its host: version, desktop or browser. */
export const useAppStore = defineStore('app', () => {
  const appInfo = ref<AppInfo | null>(null);

  async function loadAppInfo(): Promise<boolean> {
    try {
      appInfo.value = await useApiClient().call('getAppInfo', {});
      return true;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Connecting to the app');
      return false;
    }
  }

  return { appInfo, loadAppInfo };
});
