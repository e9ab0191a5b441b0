import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, ensureBuilt } from '../../scripts/build/freshness.mjs';
import { describe, expect, it, vi } from 'vitest';

const exposed: Record<string, any> = {};
const invoke = vi.fn(async () => ({ ok: true, value: 1 }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => { exposed[key] = api; } },
  ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
}));

describe('preload', () => {
  it('exposes only invoke/on for the contract, never ipcRenderer', async () => {
    await import('./index.js');
    expect(Object.keys(exposed)).toEqual(['driftline']);
    expect(Object.keys(exposed.driftline).sort()).toEqual(['invoke', 'on']);
    await expect(exposed.driftline.invoke('workspace:info', {})).resolves.toEqual({ ok: true, value: 1 });
    await expect(exposed.driftline.invoke('shell:exec', { cmd: 'rm -rf /' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(() => exposed.driftline.on('ipc:anything', () => {})).toThrow(/unknown event/);
  });

  it('bundles into one script that requires nothing but electron (a sandboxed preload cannot)', async () => {
    await ensureBuilt({ log: () => {} });
    const code = readFileSync(join(DIST, 'preload.cjs'), 'utf8');
    expect([...new Set(code.match(/require\("[^"]+"\)/g))]).toEqual(['require("electron")']);
  });
});
