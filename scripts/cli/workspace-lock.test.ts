import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../testing/temp.js';
import { startK8sApiServer, type K8sApiServer } from '../testing/k8s-api-server/index.js';
import { Store } from '../../shared/node/store/index.js';
import { runCliInProcess } from './run-in-process.js';

/*
 * One writer per workspace, shown with real processes: a scan whose capture is held mid-way (the
 * test API server holds back its ConfigMap list), a second scan started meanwhile, a third that will
 * not wait, `driftline serve` on the same workspace, and a scan killed with SIGKILL.
 */
const tmp = useTempHome('driftline-lock-');
const BIN = resolve(import.meta.dirname, 'bin.mjs');
let api: K8sApiServer;
const children = new Set<ChildProcess>();

interface Child { child: ChildProcess; output(): string; exited: Promise<number | null>; waitFor(re: RegExp, ms?: number): Promise<RegExpExecArray> }

function driftline(...argv: string[]): Child {
  const child = spawn(process.execPath, [BIN, ...argv], { env: { ...process.env, DRIFTLINE_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => { out += d.toString(); for (const l of listeners) l(); };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => { children.delete(child); for (const l of listeners) l(); r(code); }));
  const waitFor = (re: RegExp, ms = 120_000) => new Promise<RegExpExecArray>((resolvePromise, reject) => {
    const timer = setTimeout(() => { listeners.delete(check); reject(new Error(`timed out waiting for ${re} in:\n${out}`)); }, ms);
    const check = () => {
      const m = re.exec(out);
      if (m) { clearTimeout(timer); listeners.delete(check); resolvePromise(m); }
      else if (child.exitCode !== null) { clearTimeout(timer); listeners.delete(check); reject(new Error(`exited (${child.exitCode}) before ${re}:\n${out}`)); }
    };
    listeners.add(check);
    check();
  });
  return { child, output: () => out, exited, waitFor };
}

const cli = runCliInProcess;

const statuses = (workspace: string) => {
  const store = Store.open(workspace, { readOnly: true });
  try {
    return store.snapshots.list().map((s) => ({ id: s.id, status: s.status, error: s.report.error }));
  } finally {
    store.close();
  }
};

beforeAll(async () => {
  api = await startK8sApiServer({
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop' }, data: { MODE: 'prod' } },
    ],
  });
  const kubeconfig = api.kubeconfigPath();
  const context = /current-context: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1];
  writeFileSync(tmp.path('sources.yaml'), `sources:\n  - { name: prod, kind: kubernetes, region: cn-north-1, kubeconfig: ${kubeconfig}, context: ${context} }\n`);
});
const holds: { release(): void }[] = [];
afterEach(() => {
  for (const h of holds.splice(0)) h.release();
  for (const c of children) c.kill('SIGKILL');
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await api?.close();
  tmp.cleanup();
});

describe('one writer per workspace', () => {
  it('two concurrent scans both complete (the second waits, naming the first); one that will not wait is refused; serve reads meanwhile', async () => {
    const workspace = tmp.path('busy.driftline');
    const hold = api.hold((r) => r.path === '/api/v1/configmaps');
    holds.push(hold);
    const first = driftline('scan', tmp.path('sources.yaml'), '--workspace', workspace);
    await hold.arrived; // the first scan is inside its capture, its snapshot 'running'
    expect(statuses(workspace)).toEqual([{ id: 1, status: 'running' }]);

    const second = driftline('scan', tmp.path('sources.yaml'), '--workspace', workspace, '--wait', '300');
    await second.waitFor(new RegExp(`is being written by process ${first.child.pid} \\(driftline scan, since [^)]+\\); waiting up to 300 s`));

    const impatient = await cli('scan', tmp.path('sources.yaml'), '--workspace', workspace, '--wait', '0');
    expect(impatient.code).toBe(1);
    expect(impatient.err).toMatch(new RegExp(`driftline scan: .*busy\\.driftline is being written by process ${first.child.pid} \\(driftline scan, since .*\\) — wait for it to finish \\(or give --wait <seconds>\\), or stop that process`));

    // serve opens the workspace during the scan: it answers, and the scan is not marked failed.
    const serve = driftline('serve', '--workspace', workspace);
    const [url] = await serve.waitFor(/http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+/);
    const base = url.slice(0, url.indexOf('#'));
    const token = url.slice(url.indexOf('#token=') + 7);
    const call = async (name: string) => (await fetch(`${base}api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: '{}' })).json() as Promise<any>;
    expect(await call('snapshots:list')).toMatchObject({ ok: true, value: [{ id: 1, status: 'running' }] });
    expect(await call('workspace:info')).toMatchObject({ ok: true, value: { readOnly: false } });
    expect(statuses(workspace)).toEqual([{ id: 1, status: 'running' }]);

    hold.release();
    expect(await first.exited).toBe(0);
    expect(await second.exited).toBe(0);
    expect(first.output()).toMatch(/prod: snapshot 1 complete/);
    expect(second.output()).toMatch(/prod: snapshot 2 complete/);
    expect(statuses(workspace).map((s) => s.status)).toEqual(['complete', 'complete']);
    // The reader sees what the writers wrote.
    expect((await call('snapshots:list')).value.map((s: { status: string }) => s.status)).toEqual(['complete', 'complete']);
    serve.child.kill('SIGTERM');
    await serve.exited;
  }, 300_000);

  it('a scan whose process is gone (SIGKILL) is marked abandoned, naming that process, by the next writer only', async () => {
    const workspace = tmp.path('killed.driftline');
    const hold = api.hold((r) => r.path === '/api/v1/configmaps');
    holds.push(hold);
    const doomed = driftline('scan', tmp.path('sources.yaml'), '--workspace', workspace);
    await hold.arrived;
    const pid = doomed.child.pid;
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    hold.release();
    // A reader changes nothing.
    expect(statuses(workspace)).toEqual([{ id: 1, status: 'running' }]);
    const next = await cli('scan', tmp.path('sources.yaml'), '--workspace', workspace, '--wait', '0');
    expect(next.code).toBe(0);
    expect(statuses(workspace)).toEqual([
      { id: 1, status: 'failed', error: expect.stringMatching(new RegExp(`^interrupted: process ${pid} \\(driftline scan, since .*\\) ended before the snapshot was complete$`)) },
      { id: 2, status: 'complete' },
    ]);
  }, 300_000);
});
