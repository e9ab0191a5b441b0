import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture, type CollectedCapture } from '../../../../scripts/testing/capture-harness.js';
import type { CaptureRecord } from '../source.js';
import { isAppError } from '../../../core/api/errors.js';
import { MAX_NESTING, jsonTextDepth, valueDepth } from '../../../core/model/nesting.js';
import { kubernetesSource } from './index.js';
import { gitSource } from '../git/index.js';
import { yamlFilePieces, yamlNestingDepth, yamlTextPieces } from './yaml-stream.js';

/*
 * Input that nests without bound, and a dump too big to hold: each is one bad item (named, with its
 * line), never the end of the source, and memory follows the largest object, not the file.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-nesting-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const capture = (file: string) => collectCapture(kubernetesSource, { name: 'dump', kind: 'kubernetes', region: 'eu-west-1', file }, { baseDir: dir });
const names = (c: CollectedCapture) => c.records.filter((r): r is Extract<CaptureRecord, { type: 'node' }> => r.type === 'node' && r.node.props?.kind !== 'Namespace').map((r) => r.node.name);
const failureText = (c: CollectedCapture) => c.failures.map((f) => `${f.item} → ${(f.error as Error).message}`).join('\n');
const DEEP = 100_000;

describe('nesting limits', () => {
  it('measures depth without recursion, on values and on JSON text', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < DEEP; i++) deep = { a: deep };
    expect(valueDepth(deep)).toBe(MAX_NESTING + 1); // stops counting past the limit
    expect(valueDepth({ a: [1, { b: 2 }] })).toBe(3);
    expect(valueDepth('x')).toBe(0);
    expect(jsonTextDepth('[{"a":"[[[[[[[["}]')).toBe(2); // brackets in strings are text
    expect(jsonTextDepth('['.repeat(DEEP))).toBe(MAX_NESTING + 1);
  });

  it('a JSON dump with one object nested 100 000 levels: that object fails by name, the ConfigMap after it is captured', async () => {
    const deep = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{"x":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}}`;
    const file = write('deep.json', `{"apiVersion":"v1","kind":"List","items":[\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"before"}},\n${deep},\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after"}}]}\n`);
    const c = await capture(file);
    expect(c.failures).toHaveLength(1);
    expect(isAppError(c.failures[0].error, 'SOURCE_BAD_DATA')).toBe(true);
    expect(failureText(c)).toMatch(/deep\.json:3 \(deep\) → .*deep\.json:3: deep: nested deeper than 128 levels/);
    expect(names(c)).toEqual(['before', 'after']);
  });

  it('a List nested in Lists 100 000 times fails as one item instead of overflowing the stack', async () => {
    const file = write('lists.json', `${'{"kind":"List","apiVersion":"v1","items":['.repeat(DEEP)}${']}'.repeat(DEEP)}\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after"}}\n`);
    const c = await capture(file);
    expect(failureText(c)).toMatch(/lists\.json:1: nested deeper than 128 levels/);
    expect(names(c)).toEqual(['after']);
  });

  it.each([
    ['flow sequences', `data:\n  x: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`],
    ['flow mappings', `data:\n  x: ${'{a: '.repeat(DEEP)}1${'}'.repeat(DEEP)}\n`],
    ['block sequences on one line', `data:\n  x:\n    ${'- '.repeat(DEEP)}x\n`],
  ])('a YAML document nested 100 000 levels in %s fails alone, before the parser sees it', async (_what, body) => {
    const file = write('deep.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: before\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n${body}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after\n`);
    const c = await capture(file);
    expect(c.failures).toHaveLength(1);
    expect(failureText(c)).toMatch(/deep\.yaml:6: document 2 refused: nested deeper than 128 levels/);
    expect(names(c)).toEqual(['before', 'after']);
  });

  it('a manifest nested 100 000 levels in a git repository fails as that file, the other manifests are read', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    const env = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@example.com' };
    execFileSync('git', ['init', '-q', '-b', 'main', repo], { env });
    writeFileSync(join(repo, 'deep.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`);
    writeFileSync(join(repo, 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  namespace: shop\n');
    execFileSync('git', ['-C', repo, 'add', '-A'], { env });
    execFileSync('git', ['-C', repo, 'commit', '-q', '-m', 'deep'], { env });
    const c = await collectCapture(gitSource, { name: 'gitops', kind: 'git', region: 'eu-west-1', path: repo, desiredFor: 'prod' });
    expect(failureText(c)).toMatch(/deep\.yaml@[0-9a-f]+:1: document 1 refused: nested deeper than 128 levels/);
    expect(c.records.filter((r) => r.type === 'config').map((r) => (r as { urn: string }).urn)).toEqual(['k8s://prod/shop/ConfigMap/ok']);
  });

  it('counts YAML nesting from indentation, dashes and flow brackets, not from brackets inside text', () => {
    expect(yamlNestingDepth('a:\n  b:\n    c: [1, {d: 2}]\n')).toBe(5);
    expect(yamlNestingDepth('- - - x\n')).toBe(4);
    expect(yamlNestingDepth('regex: ^a[0-9{1,3}$\nq: "[[[["\nscript: |\n  [[[[[[\n')).toBe(1);
  });
});

describe('YAML dumps are streamed piece by piece', () => {
  const kubectlYaml = [
    'apiVersion: v1',
    'items:',
    '- apiVersion: v1',
    '  data:',
    '    LOG_LEVEL: info',
    '  kind: ConfigMap',
    '  metadata:',
    '    name: first',
    '    namespace: shop',
    '# a comment between items',
    '- apiVersion: v1',
    '  kind: ConfigMap',
    '  metadata:',
    '    name: [broken',
    '- apiVersion: v1',
    '  kind: ConfigMap',
    '  metadata:',
    '    name: third',
    '    namespace: shop',
    'kind: List',
    'metadata:',
    '  resourceVersion: ""',
    '',
  ].join('\n');

  it('cuts a `kubectl get -o yaml` List into its items: a broken item fails with its own line, the others are read', async () => {
    const c = await capture(write('list.yaml', kubectlYaml));
    expect(names(c)).toEqual(['first', 'third']);
    expect(c.failures).toHaveLength(1);
    expect(failureText(c)).toMatch(/list\.yaml:1[1-5]:\d+: invalid YAML in the list item on line 11/);
    const pieces = [...yamlTextPieces(kubectlYaml)];
    expect(pieces.map((p) => [p.line, !!p.listItem, p.listKind])).toEqual([[3, true, 'List'], [11, true, 'List'], [15, true, 'List'], [1, false, undefined]]);
  });

  it('gives the items of a typed List (ConfigMapList) its kind, and leaves a non-List with a top-level `items:` whole', async () => {
    const typed = 'apiVersion: v1\nitems:\n- metadata:\n    name: typed\n    namespace: x\n  data:\n    k: v\nkind: ConfigMapList\nmetadata: {}\n';
    const custom = 'apiVersion: example.com/v1\nkind: ShoppingList\nmetadata:\n  name: groceries\n  namespace: x\nitems:\n- bread\n- milk\n';
    const notAList = 'apiVersion: example.com/v1\nkind: Basket\nmetadata:\n  name: basket\n  namespace: x\nitems:\n- apples\n- pears\n';
    const c = await capture(write('typed.yaml', `${typed}---\n${notAList}`));
    expect(failureText(c)).toBe('');
    expect(names(c)).toEqual(['typed', 'basket']);
    const basket = c.records.find((r) => r.type === 'config' && r.urn === 'k8s://dump/x/Basket/basket') as { content: { items: string[] } } | undefined;
    expect(basket?.content.items).toEqual(['apples', 'pears']);
    // A "List" kind whose items are not objects: each bad item is named, never silently dropped.
    const c2 = await capture(write('custom.yaml', custom));
    expect(c2.failures.length).toBe(2);
    expect(failureText(c2)).toMatch(/custom\.yaml:7:1: not a Kubernetes object[\s\S]*custom\.yaml:8:1: not a Kubernetes object/);
  });

  it('reads a ~50 MB `kubectl get -o yaml` List with memory bounded by one object, not the file', async () => {
    const file = join(dir, 'big.yaml');
    const out = createWriteStream(file);
    const filler = 'x'.repeat(1800);
    const N = 26_000;
    out.write('apiVersion: v1\nitems:\n');
    for (let i = 0; i < N; i++) {
      const item = `- apiVersion: v1\n  data:\n    escaped: 'quote " brace } bracket ] done'\n    payload: ${filler}\n  kind: ConfigMap\n  metadata:\n    labels:\n      i: "${i}"\n    name: cm-${i}\n    namespace: ns-${i % 50}\n`;
      if (!out.write(item)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end('kind: List\nmetadata:\n  resourceVersion: ""\n', () => r()));
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(48 << 20);

    let configs = 0;
    let peakHeap = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const c = await collectCapture(kubernetesSource, { name: 'big', kind: 'kubernetes', region: 'x', file }, {
      keepRecords: false,
      onRecord: (r) => {
        if (r.type === 'config') configs++;
        if (configs % 500 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    expect(c.failures).toEqual([]);
    expect(configs).toBe(N);
    // The parser is only ever handed one item's text (a few KB), never the 50 MB document.
    let largestPiece = 0;
    let pieces = 0;
    for await (const piece of yamlFilePieces(file)) {
      pieces++;
      largestPiece = Math.max(largestPiece, piece.text.length);
    }
    expect(pieces).toBe(N + 1);
    expect(largestPiece).toBeLessThan(4096);
    expect(peakHeap - heapBefore).toBeLessThan(256 << 20);
    console.log(`50 MB YAML dump: ${(size / 1e6).toFixed(1)} MB, ${N} objects in ${seconds.toFixed(2)} s, peak heap growth ${((peakHeap - heapBefore) / 1e6).toFixed(0)} MB`);
  }, 180_000);
});
