import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { Store } from './index.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

function fill(path: string, n = 3000): void {
  const store = Store.open(path, { create: true });
  store.transaction(() => {
    for (let i = 0; i < n; i++) store.graph.upsertNode({ urn: `mysql://db/shop/t${i}#c`, kind: 'column', name: `c${i}`, source: 'db', props: { note: 'x'.repeat(200) } });
  });
  store.close();
}

/** A writer that dies without closing: a real process killed with SIGKILL in the middle of its work. */
function crashWhileWriting(path: string): void {
  const script = tmp.path(`crash-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(script, `
    import { Store } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'index.ts')).href)};
    const store = Store.open(${JSON.stringify(path)});
    store.transaction(() => store.graph.upsertNode({ urn: 'mysql://db/shop/crash#c', kind: 'column', name: 'c', source: 'db' }));
    process.kill(process.pid, 'SIGKILL');
  `);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', env: { ...process.env } });
  expect(r.signal, r.stderr).toBe('SIGKILL');
}

describe('integrity checks at open', () => {
  it('skip quick_check after a clean close, for writers and readers alike', () => {
    const p = tmp.path('clean.driftline');
    fill(p);
    const w = Store.open(p);
    expect(w.integrity).toBe('skipped');
    w.close();
    const r = Store.open(p, { readOnly: true });
    expect(r.integrity).toBe('skipped');
    r.close();
  });

  it('run quick_check after a writer was killed, then trust the file again once it is closed cleanly', () => {
    const p = tmp.path('crashed.driftline');
    fill(p);
    crashWhileWriting(p);
    const reader = Store.open(p, { readOnly: true });
    expect(reader.integrity).toBe('after-unclean-shutdown');
    reader.close();
    const w = Store.open(p);
    expect(w.integrity).toBe('after-unclean-shutdown');
    // What the killed writer committed is there (SQLite's WAL recovered it).
    expect(w.graph.getNode('mysql://db/shop/crash#c')).toMatchObject({ name: 'c' });
    w.close();
    expect(Store.open(p).integrity).toBe('skipped');
  });

  it('take a live writer for what it is: a reader opening meanwhile skips quick_check', () => {
    const p = tmp.path('busy.driftline');
    fill(p, 10);
    const w = Store.open(p);
    const r = Store.open(p, { readOnly: true });
    expect(r.integrity).toBe('skipped');
    r.close();
    w.close();
  });

  it('run quick_check on demand', () => {
    const p = tmp.path('demand.driftline');
    fill(p, 10);
    const s = Store.open(p, { readOnly: true, integrityCheck: 'always' });
    expect(s.integrity).toBe('on-demand');
    expect(() => s.checkIntegrity()).not.toThrow();
    s.close();
  });

  it('find damaged pages after an unclean shutdown, and changes nothing', () => {
    const p = tmp.path('damaged.driftline');
    fill(p);
    crashWhileWriting(p);
    Store.open(p, { readOnly: true }).close(); // a read-only open leaves the file as the crash did
    // Checkpoint the WAL into the file first so the damage below is in the main file.
    const s = Store.open(p, { integrityCheck: 'always' });
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    s.db.pragma('journal_mode = DELETE');
    // Not store.close(): the claim stays, as a killed writer leaves it — held by a pid that no longer runs.
    s.db.prepare(`UPDATE meta SET value = json_set(value, '$.pid', 2147483646) WHERE key = 'writer'`).run();
    s.db.close();
    const bytes = readFileSync(p);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over an index page in the middle of the file (a b-tree page: first byte 0x0a/0x02/0x05/0x0d).
    const pages = bytes.length / pageSize;
    let target = -1;
    for (let i = Math.floor(pages / 2); i < pages; i++) if ([0x02, 0x05, 0x0a, 0x0d].includes(bytes[i * pageSize])) { target = i; break; }
    expect(target).toBeGreaterThan(0);
    bytes.fill(0x55, target * pageSize + 8, (target + 1) * pageSize);
    writeFileSync(p, bytes);
    const before = readFileSync(p);
    expect(() => Store.open(p)).toThrowError(expect.objectContaining({ code: 'WORKSPACE_CORRUPT', message: expect.stringMatching(/is damaged \((?!cut off)/) }));
    expect(readFileSync(p).equals(before)).toBe(true);
  });

  it('find a cut-off file from its header at every open, without quick_check', () => {
    const p = tmp.path('whole.driftline');
    fill(p);
    const s = Store.open(p);
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    s.db.pragma('journal_mode = DELETE');
    s.close();
    const cut = tmp.path('cut-clean.driftline');
    copyFileSync(p, cut);
    writeFileSync(cut, readFileSync(cut).subarray(0, Math.floor(statSync(cut).size / 2)));
    expect(() => Store.open(cut, { readOnly: true })).toThrowError(expect.objectContaining({ code: 'WORKSPACE_CORRUPT', message: expect.stringMatching(/cut off/) }));
  });
});
