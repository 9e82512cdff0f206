import WebSocket from 'ws';
import { createSocketClient, type SocketClient, type SocketLike } from '../../../main/contract';

/**
 * A second client of the web host, as the page has, for tests to read back what main stored (masks, exports) without
 * trusting the page's own view of it.
 */
export function connectApi(appUrl: string): SocketClient {
  const page = new URL(appUrl);
  const address = `ws://${page.host}/api?token=${encodeURIComponent(page.searchParams.get('token') ?? '')}`;
  return createSocketClient(() => new WebSocket(address) as unknown as SocketLike);
}

/** The id of the project called `name` (the newest one, if names repeat). */
export async function findProjectId(api: SocketClient, name: string): Promise<string> {
  const projects = (await api.call('listProjects', {})).filter((project) => project.name === name);
  const project = projects.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!project) throw new Error(`no project called ${name}`);
  return project.id;
}

/** Voxel indices (i fastest) of the labelled voxels, and the slices they lie on. */
export function describeMask(labels: Uint8Array, sliceSize: number): { voxels: number[]; slices: number[] } {
  const voxels: number[] = [];
  const slices = new Set<number>();
  labels.forEach((value, index) => {
    if (value !== 0) {
      voxels.push(index);
      slices.add(Math.floor(index / sliceSize));
    }
  });
  return { voxels, slices: [...slices].sort((a, b) => a - b) };
}
