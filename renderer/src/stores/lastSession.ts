/**
 * The last project and scan, kept in this browser's (or window's) localStorage, so a reload reopens where the user
 * was. Ids only, never names or patient data. A browser that refuses storage (private mode, quota) simply forgets.
 */
const projectKey = 'genseg.lastProjectId';
const scanKey = (projectId: string) => `genseg.lastScan.${projectId}`;

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Storage refused: the next reload starts without a project, as before.
  }
}

export const rememberedProject = (): string | null => read(projectKey);
export const rememberProject = (projectId: string | null): void => write(projectKey, projectId);
export const rememberedScan = (projectId: string): string | null => read(scanKey(projectId));
export const rememberScan = (projectId: string | null, volumeId: string | null): void => {
  if (projectId) write(scanKey(projectId), volumeId);
};
