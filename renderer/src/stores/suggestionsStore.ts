import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { AnnotationSuggestion } from '../../../main/contract/types';
import { useApiClient } from '../api';
import { setAppSignal } from '../signals/appSignals';
import { useNotificationsStore } from './notificationsStore';
import { useProjectsStore } from './projectsStore';

/** How many suggestions the queue shows; main ranks more so that skipped ones leave the next in view. */
const shownCount = 5;
const fetchedCount = 40;

/** One suggestion, whatever its rank: what it asks, on which scan and slice. */
export function suggestionKey(suggestion: AnnotationSuggestion): string {
  return `${suggestion.kind}:${suggestion.volumeId}:${suggestion.sliceIndex ?? ''}`;
}

/**
 * What to annotate next (main's `suggestNext`: ranked by expected value per second of the user's time, each with its
 * reason), kept fresh as tags, masks, proposals, model versions and volumes change. A skipped suggestion stays out of
 * the queue until the project is opened again.
 */
export const useSuggestionsStore = defineStore('suggestions', () => {
  const projects = useProjectsStore();
  const notifications = useNotificationsStore();
  const ranked = ref<AnnotationSuggestion[]>([]);
  const skipped = ref<string[]>([]);
  const loading = ref(false);
  let request = 0;
  let refreshCount = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const suggestions = computed(() =>
    ranked.value.filter((suggestion) => !skipped.value.includes(suggestionKey(suggestion))).slice(0, shownCount)
  );
  const top = computed(() => suggestions.value[0] ?? null);

  async function refresh(): Promise<void> {
    const projectId = projects.currentProjectId;
    const mine = ++request;
    if (!projectId) {
      ranked.value = [];
      return;
    }
    loading.value = true;
    try {
      const list = await useApiClient().call('suggestNext', { projectId, limit: fetchedCount });
      if (mine !== request) return;
      ranked.value = list;
      setAppSignal('suggestionTop', top.value ? suggestionKey(top.value) : '');
      setAppSignal('suggestionRefreshes', ++refreshCount);
    } catch (error) {
      if (mine === request) notifications.reportError(error, 'Ranking what to annotate next');
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  /** Many changes come in a burst (a tag rewrites every slice, a model proposes for every scan): one refresh after. */
  function scheduleRefresh(projectId?: string): void {
    if (projectId !== undefined && projectId !== projects.currentProjectId) return;
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 250);
  }

  function skip(suggestion: AnnotationSuggestion): void {
    skipped.value = [...skipped.value, suggestionKey(suggestion)];
    setAppSignal('suggestionTop', top.value ? suggestionKey(top.value) : '');
  }

  const api = useApiClient();
  api.on('onDidChangeWeakLabels', ({ projectId }) => scheduleRefresh(projectId));
  api.on('onDidChangeMask', ({ projectId }) => scheduleRefresh(projectId));
  api.on('onDidChangeProposals', ({ projectId }) => scheduleRefresh(projectId));
  api.on('onDidChangeModelVersions', ({ projectId }) => scheduleRefresh(projectId));
  api.on('onDidChangeVolumes', ({ projectId }) => scheduleRefresh(projectId));

  watch(
    () => projects.currentProjectId,
    () => {
      skipped.value = [];
      ranked.value = [];
      void refresh();
    },
    { immediate: true }
  );

  return { suggestions, top, loading, refresh, skip };
});
