import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ProjectSummary } from '../../../main/contract/types';
import { useApiClient } from '../api';
import { rememberedProject, rememberProject } from './lastSession';
import { useNotificationsStore } from './notificationsStore';

/** The projects of the workspace and the one that is open. */
export const useProjectsStore = defineStore('projects', () => {
  const projects = ref<ProjectSummary[]>([]);
  const currentProject = ref<ProjectSummary | null>(null);
  const busy = ref(false);
  const currentProjectId = computed(() => currentProject.value?.id ?? null);

  async function run<T>(whatFailed: string, action: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    try {
      return await action();
    } catch (error) {
      useNotificationsStore().reportError(error, whatFailed);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  async function loadProjects(): Promise<boolean> {
    const list = await run('Listing the projects', () => useApiClient().call('listProjects', {}));
    if (list) projects.value = list;
    return list !== undefined;
  }

  async function openProject(projectId: string): Promise<boolean> {
    const opened = await run('Opening the project', () => useApiClient().call('openProject', { projectId }));
    if (!opened) return false;
    currentProject.value = opened;
    rememberProject(opened.id);
    await loadProjects();
    return true;
  }

  /** After a reload: the project that was open, if it is still in the list (quietly nothing otherwise). */
  async function reopenLastProject(): Promise<void> {
    const remembered = rememberedProject();
    if (!remembered || currentProject.value || !projects.value.some((project) => project.id === remembered)) return;
    await openProject(remembered);
  }

  /** An existing project folder, by the path the user typed (browser mode; the desktop has a folder dialog). */
  async function addProjectFolder(path: string): Promise<boolean> {
    const added = await run('Opening the project folder', () => useApiClient().call('addProjectFolder', { path }));
    if (!added) return false;
    return openProject(added.id);
  }

  async function createProject(name: string): Promise<boolean> {
    const created = await run('Creating the project', () => useApiClient().call('createProject', { name }));
    if (!created) return false;
    await openProject(created.id);
    return true;
  }

  // Another window or browser on the same workspace may add projects.
  useApiClient().on('onDidChangeProjects', () => void loadProjects());

  function closeProject(): void {
    currentProject.value = null;
  }

  return {
    projects,
    currentProject,
    currentProjectId,
    busy,
    loadProjects,
    openProject,
    reopenLastProject,
    addProjectFolder,
    createProject,
    closeProject
  };
});
