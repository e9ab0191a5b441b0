import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { collectCapture } from '../scripts/testing/capture-harness.js';
import { kubernetesSource } from '../shared/node/sources/kubernetes/index.js';
import { decodeObject } from '../shared/node/sources/s3/formats.js';
import { ContainerWriter, MANIFEST_ENTRY, sha256Hex, SIGNATURE_ENTRY } from '../shared/node/store/bundle/container.js';
import { DEFAULT_LIMITS, generateSigningKey, openBundle, type Manifest } from '../shared/node/store/bundle/index.js';
import { publicKeyDerBase64, signBytes } from '../shared/node/store/bundle/signing.js';

/**
 * Hostile-input costs (issue #10), each against an anchor measured in the same run:
 *  - a `kubectl get -o yaml` List read piece by piece vs the same text parsed whole by `yaml`;
 *  - a bundle part that is one 2 GiB row, refused at the row cap, vs plain gunzip of the cap's bytes;
 *  - a CSV a million columns wide, read whole, vs splitting its header on commas.
 */
const MB = 1e6;
const MiB = 2 ** 20;

function kubectlList(items: number): string {
  const filler = 'x'.repeat(1800);
  const parts = ['apiVersion: v1\nitems:\n'];
  for (let i = 0; i < items; i++) parts.push(`- apiVersion: v1\n  data:\n    payload: ${filler}\n  kind: ConfigMap\n  metadata:\n    name: cm-${i}\n    namespace: ns-${i % 50}\n`);
  parts.push('kind: List\nmetadata:\n  resourceVersion: ""\n');
  return parts.join('');
}

async function yamlBench(dir: string): Promise<void> {
  const text = kubectlList(5_000);
  const file = join(dir, 'list.yaml');
  writeFileSync(file, text);
  const size = statSync(file).size / MB;
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  let t0 = performance.now();
  let objects = 0;
  await collectCapture(kubernetesSource, { name: 'b', kind: 'kubernetes', region: 'x', file }, {
    keepRecords: false,
    onRecord: (r) => { if (r.type === 'config' && ++objects % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed); },
  });
  const streamed = (performance.now() - t0) / 1000;
  const anchorHeapBefore = process.memoryUsage().heapUsed;
  t0 = performance.now();
  const parsed = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
  const whole = (performance.now() - t0) / 1000;
  const anchorHeap = (process.memoryUsage().heapUsed - anchorHeapBefore) / MB;
  if (parsed.length !== 1) throw new Error('expected one List document');
  console.log(`YAML List ${size.toFixed(1)} MB, ${objects} objects: streamed capture ${(size / streamed).toFixed(1)} MB/s (peak heap growth ${((peak - heapBefore) / MB).toFixed(0)} MB); anchor yaml.parseAllDocuments of the whole text ${(size / whole).toFixed(1)} MB/s (heap held ${anchorHeap.toFixed(0)} MB); ratio ${(whole / streamed).toFixed(2)}× (capture includes hashing and records)`);
}

async function bundleBench(dir: string): Promise<void> {
  const filler = gzipSync(Buffer.alloc(MiB, 'a'), { level: 9 });
  const data = Buffer.concat([gzipSync(Buffer.from('{"urn":"')), ...Array.from({ length: 2048 }, () => filler)]);
  const key = generateSigningKey('stranger');
  const manifest: Manifest = {
    format: 'driftline-bundle', version: 1, createdAt: new Date().toISOString(), schemaVersion: 1, workspaceId: 'x',
    scope: { sources: null, since: null, until: null }, snapshots: [],
    parts: [{ name: 'nodes-shared.ndjson.gz', table: 'nodes', snapshot: null, rows: 1, bytes: data.length, rawBytes: DEFAULT_LIMITS.maxRawPartBytes, sha256: sha256Hex(data) }],
    signer: { name: 'stranger', publicKey: publicKeyDerBase64(key), fingerprint: key.fingerprint },
  };
  const out = join(dir, 'huge.dlbundle');
  const w = await ContainerWriter.create(out);
  await w.add('nodes-shared.ndjson.gz', data);
  const bytes = Buffer.from(JSON.stringify(manifest));
  await w.add(MANIFEST_ENTRY, bytes);
  await w.add(SIGNATURE_ENTRY, Buffer.from(signBytes(bytes, key), 'latin1'));
  await w.finish();
  let t0 = performance.now();
  const refused = await openBundle(out, join(dir, 'huge.driftline')).then(() => false, () => true);
  const ms = performance.now() - t0;
  const capMembers = Math.ceil(DEFAULT_LIMITS.maxLineBytes / MiB) + 1;
  t0 = performance.now();
  gunzipSync(Buffer.concat(Array.from({ length: capMembers }, () => filler)));
  const anchor = performance.now() - t0;
  console.log(`bundle part of one 2 GiB row (${(data.length / MB).toFixed(1)} MB compressed): ${refused ? 'refused' : 'NOT refused'} after ${ms.toFixed(0)} ms (verify + restore up to the ${DEFAULT_LIMITS.maxLineBytes / MiB} MiB row cap); anchor gunzip of ${capMembers} MiB ${anchor.toFixed(0)} ms; ratio ${(ms / anchor).toFixed(2)}×`);
}

async function csvBench(): Promise<void> {
  const columns = 1_000_000;
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
  const row = Array.from({ length: columns }, (_, i) => `v${i}`).join(',');
  const bytes = new TextEncoder().encode(`${header}\n${row}\n`);
  let t0 = performance.now();
  const d = await decodeObject('x.csv', bytes, false, bytes.length);
  const ms = performance.now() - t0;
  t0 = performance.now();
  const n = `${header}\n${row}\n`.split(/[,\n]/).length;
  const anchor = performance.now() - t0;
  console.log(`CSV of ${columns} columns (${(bytes.length / MB).toFixed(1)} MB) read whole: ${ms.toFixed(0)} ms, ${d.kind === 'parsed' ? d.parsed.problems.join('; ') : d.reason}; anchor split of ${n} cells ${anchor.toFixed(0)} ms; ratio ${(ms / anchor).toFixed(1)}×`);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-hardening-'));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  try {
    await yamlBench(dir);
    await bundleBench(dir);
    await csvBench();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
