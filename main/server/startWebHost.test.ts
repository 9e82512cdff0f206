import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { colin27Path, npmPackageFile } from '../../tests/fixtures/fetchFixtures';
import { createSocketClient, type SocketClient, type SocketLike } from '../contract';
import { createAppCore, type AppCore } from '../app';
import { startWebHost, type WebHost } from './startWebHost';

let folder: string;
let core: AppCore;
let host: WebHost;
const clients: SocketClient[] = [];

function connect(token: string | null, headers: Record<string, string> = {}): SocketClient {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const client = createSocketClient(
    () => new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`, { headers }) as unknown as SocketLike
  );
  clients.push(client);
  return client;
}

function httpGet(path: string, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers: { host: hostHeader } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'genseg-host-'));
  const renderer = join(folder, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>GenSeg</title>');
  writeFileSync(join(folder, 'secret.txt'), 'outside the renderer');
  core = createAppCore({ workspaceFolder: join(folder, 'workspace'), logger: { info: () => {}, error: () => {} } });
  host = await startWebHost({ core, rendererFolder: renderer });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await host.close();
  await core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('web host', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer only to its own Host name and never outside its folder', async () => {
    expect(await httpGet('/', `127.0.0.1:${host.port}`)).toBe(200);
    expect(await httpGet('/', `evil.example:${host.port}`)).toBe(403);
    expect(await httpGet('/../secret.txt', `127.0.0.1:${host.port}`)).not.toBe(200);
    expect(await httpGet('/%2e%2e/secret.txt', `127.0.0.1:${host.port}`)).not.toBe(200);
  });

  it('answers a bad percent-escape in a static URL with 400, not a server error', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/assets/%zz.js', '/%C0%AF']) {
      expect(await httpGet(path, `127.0.0.1:${host.port}`), path).toBe(400);
    }
    expect(await httpGet('/', `127.0.0.1:${host.port}`)).toBe(200);
  });

  it('runs calls for a client with the token', async () => {
    const client = connect(host.token);
    const created = await client.call('createProject', { name: 'Brains' });
    expect(created.name).toBe('Brains');
    expect((await client.call('listProjects', {})).map((p) => p.id)).toContain(created.id);
    const info = await client.call('getAppInfo', {});
    expect(info.host).toBe('web');
  });

  it('refuses invalid input and unknown calls, and changes nothing', async () => {
    const client = connect(host.token);
    const before = await client.call('listProjects', {});
    await expect(client.call('createProject', { name: '' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(
      client.call('createProject', { name: 'x', folder: '/etc' } as unknown as { name: string })
    ).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(
      client.call('openProject', { projectId: '../../etc' })
    ).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(
      client.call('deleteEverything' as 'listProjects', {})
    ).rejects.toMatchObject({ code: 'unknown-call' });
    expect(await client.call('listProjects', {})).toEqual(before);
  });

  it('refuses a connection without the token, with a wrong token or from another origin, and changes nothing', async () => {
    const trusted = connect(host.token);
    const before = await trusted.call('listProjects', {});
    for (const client of [
      connect(null),
      connect('wrong-token'),
      connect(`${host.token}x`),
      connect(host.token, { Origin: 'http://evil.example' })
    ]) {
      await expect(client.call('createProject', { name: 'Intruder' })).rejects.toMatchObject({ code: 'unauthorized' });
    }
    expect(await trusted.call('listProjects', {})).toEqual(before);
  });

  it('imports a NIfTI brain by path, streams its voxels, and reports a broken file without changing the project', async () => {
    const client = connect(host.token);
    const events: string[] = [];
    client.on('onDidChangeVolumes', ({ projectId }) => events.push(projectId));
    const project = await client.call('createProject', { name: 'Import' });
    const result = await client.call('importNiftiFromPath', { projectId: project.id, path: colin27Path() });
    expect(result.problems).toEqual([]);
    const [volume] = result.imported;
    expect(volume?.geometry.dimensions).toEqual([181, 217, 181]);
    const voxels = await client.call('getVolumeVoxels', { projectId: project.id, volumeId: volume!.id });
    expect(voxels.bytes).toBeInstanceOf(Uint8Array);
    expect(voxels.bytes.byteLength).toBe(181 * 217 * 181);
    expect(voxels.bytes.subarray(0, 181 * 217 * 90).reduce((a, b) => Math.max(a, b), 0)).toBeGreaterThan(50);

    const broken = npmPackageFile('nifti-reader-js@0.5.4', 'tests/data/not-nifti.nii');
    const failed = await client.call('importNiftiFromPath', { projectId: project.id, path: broken });
    expect(failed.imported).toEqual([]);
    expect(failed.problems[0]?.file).toBe('not-nifti.nii');
    expect(failed.problems[0]?.message).toMatch(/not-nifti\.nii/);
    await expect(
      client.call('importNiftiFromPath', { projectId: project.id, path: 'relative/file.nii' })
    ).rejects.toMatchObject({ code: 'invalid-input' });
    expect((await client.call('listVolumes', { projectId: project.id })).map((v) => v.id)).toEqual([volume!.id]);
    expect(events).toEqual([project.id]);
  });
});
