import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../testing/temp.js';
import { Store } from '../../shared/node/store/index.js';
import { runCliInProcess } from './run-in-process.js';
import { COMMANDS } from './commands/index.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());
const ROOT = resolve(import.meta.dirname, '..', '..');

const run = runCliInProcess;

let workspace: string;
beforeAll(() => {
  workspace = tmp.path('cli.driftline');
  const store = Store.open(workspace, { create: true });
  store.graph.upsertNode({ urn: 'mysql://db/shop/users', kind: 'table', name: 'users', source: 'db', region: 'cn-north-1' });
  store.graph.upsertNode({ urn: 'mysql://db/shop/users#phone', kind: 'column', name: 'phone', source: 'db', region: 'cn-north-1', pii: [{ entity: 'CN_MOBILE', confidence: 0.97, matches: 97, sampled: 100, examples: ['138****5678'] }] });
  store.graph.upsertEdge({ from: 'mysql://db/shop/users', to: 'mysql://db/shop/users#phone', kind: 'contains', confidence: 1, evidence: { rule: 'mysql.schema', detail: 'column of table' } });
  store.findings.add({ type: 'pii', rule: 'pii.cn_mobile', urn: 'mysql://db/shop/users#phone', severity: 'medium', confidence: 0.97, evidence: '97 of 100 sampled values', entity: 'CN_MOBILE', matches: 97, sampled: 100, examples: ['138****5678'] }, 'test');
  store.findings.add({ type: 'drift', rule: 'drift.modified', urn: 'k8s://prod/shop/Deployment/web', severity: 'high', confidence: 1, evidence: 'image differs', path: '/spec/template/spec/containers/0/image', desired: 'web:1.2', live: 'web:1.3' }, 'test');
  store.close();
});

describe('driftline CLI', () => {
  it('lists the stable command names', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['scan', 'findings', 'lineage', 'diff', 'explain', 'serve']));
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help prints its usage', async (name) => {
    const r = await run(name, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`Usage: driftline ${name}`));
  });

  it('prints findings as one JSON array with the stable fields', async () => {
    const r = await run('findings', '--workspace', workspace, '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as Record<string, unknown>[];
    expect(list).toHaveLength(2);
    for (const f of list) for (const key of ['type', 'rule', 'urn', 'severity', 'confidence', 'evidence']) expect(f).toHaveProperty(key);
    expect(list[0]).toMatchObject({ type: 'drift', severity: 'high' });
    const pii = await run('findings', '--workspace', workspace, '--type', 'pii', '--json');
    expect(JSON.parse(pii.out)).toEqual([expect.objectContaining({ entity: 'CN_MOBILE', examples: ['138****5678'], matches: 97, sampled: 100 })]);
  });

  it('checks a workspace on demand, read-only', async () => {
    const r = await run('check', '--workspace', workspace);
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/: intact \(2 nodes, 1 edges\)/) });
    const bad = tmp.path('not-a-workspace.driftline');
    writeFileSync(bad, 'x'.repeat(200));
    expect(await run('check', '--workspace', bad)).toMatchObject({ code: 1, err: expect.stringMatching(/not a Driftline workspace/) });
  });

  it('prints lineage as {nodes, edges}', async () => {
    const r = await run('lineage', '--workspace', workspace, 'mysql://db/shop/users', '--downstream', '--json');
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out);
    expect(g.nodes.map((n: { urn: string }) => n.urn).sort()).toEqual(['mysql://db/shop/users', 'mysql://db/shop/users#phone']);
    expect(g.edges[0]).toMatchObject({ from: 'mysql://db/shop/users', to: 'mysql://db/shop/users#phone', kind: 'contains', confidence: 1 });
  });

  it.each([
    [['lineage', '--workspace', 'WS', 'not-a-urn'], /"not-a-urn" is not a URN/, 'a URN that does not parse'],
    [['lineage', '--workspace', 'WS', 'mysql://db/shop/nope'], /not in this workspace/, 'an unknown URN'],
    [['findings', '--workspace', 'WS', '--type', 'secrets'], /--type must be one of/, 'an unknown finding type'],
    [['findings'], /--workspace is required/, 'a missing workspace'],
    [['findings', '--workspace', '/nonexistent/x.driftline'], /does not exist/, 'a missing workspace file'],
    [['findings', '--workspace', 'WS', '--bogus'], /Unknown option '--bogus'.*--help/, 'an unknown flag'],
    [['nosuch'], /unknown command "nosuch"/, 'an unknown command'],
    [['diff', '--workspace', 'WS', '--from', '1'], /both --from and --to/, 'half a snapshot range'],
  ])('fails clearly on %j (%s)', async (argv, message) => {
    const r = await run(...argv.map((a) => (a === 'WS' ? workspace : a)));
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(message as RegExp);
  });

  it('reports a sources.yaml YAML error with its line and writes no workspace', async () => {
    const yaml = tmp.path('broken.yaml');
    writeFileSync(yaml, 'sources:\n  - name: a\n    kind: kafka\n    region: [x\n');
    const target = tmp.path('never.driftline');
    const r = await run('scan', yaml, '--workspace', target);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/broken\.yaml:\d+:\d+: YAML error/);
    expect(() => Store.open(target)).toThrow(/does not exist/);
  });

  it('runs as an installed binary (npx driftline)', () => {
    const out = execFileSync('npx', ['--no-install', 'driftline', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toMatch(/Usage: driftline <command>/);
    const bad = spawnSync('npx', ['--no-install', 'driftline', 'findings', '--workspace', '/nonexistent.driftline'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/driftline findings: workspace \/nonexistent\.driftline does not exist/);
  });
});
