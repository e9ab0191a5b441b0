import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isAppError } from '../../../core/api/errors.js';
import { ContainerWriter, DEFAULT_LIMITS, MANIFEST_ENTRY, sha256Hex, SIGNATURE_ENTRY } from './container.js';
import { generateSigningKey, openBundle, verifyBundle, type Manifest } from './index.js';
import { publicKeyDerBase64, signBytes } from './signing.js';

// Issue #10 point 5: a bundle part that is one 2 GiB row was refused only after minutes. The part
// is a few MB of gzip (one member repeated: RFC 1952 members concatenate), signed by a stranger.
const dir = mkdtempSync(join(tmpdir(), 'driftline-huge-row-'));
process.env.DRIFTLINE_HOME = join(dir, 'home');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MiB = 2 ** 20;

/** One NDJSON row of `rawBytes` bytes with no newline, as concatenated gzip members. */
function oneHugeRow(rawBytes: number): Buffer {
  const filler = gzipSync(Buffer.alloc(MiB, 'a'), { level: 9 });
  const head = gzipSync(Buffer.from('{"urn":"'));
  return Buffer.concat([head, ...Array.from({ length: Math.ceil(rawBytes / MiB) }, () => filler)]);
}

async function craft(name: string, data: Buffer, declaredRawBytes: number, rows = 1): Promise<string> {
  const stranger = generateSigningKey('stranger');
  const out = join(dir, name);
  const manifest: Manifest = {
    format: 'driftline-bundle', version: 1, createdAt: new Date().toISOString(), schemaVersion: 1, workspaceId: 'x',
    scope: { sources: null, since: null, until: null }, snapshots: [],
    parts: [{ name: 'nodes-shared.ndjson.gz', table: 'nodes', snapshot: null, rows, bytes: data.length, rawBytes: declaredRawBytes, sha256: sha256Hex(data) }],
    signer: { name: 'stranger', publicKey: publicKeyDerBase64(stranger), fingerprint: stranger.fingerprint },
  };
  const w = await ContainerWriter.create(out);
  await w.add('nodes-shared.ndjson.gz', data);
  const bytes = Buffer.from(JSON.stringify(manifest));
  await w.add(MANIFEST_ENTRY, bytes);
  await w.add(SIGNATURE_ENTRY, Buffer.from(signBytes(bytes, stranger), 'latin1'));
  await w.finish();
  return out;
}

describe('a huge one-row bundle part', () => {
  it('claiming less than it holds: refused at the row cap, having inflated little more than the cap', async () => {
    const data = oneHugeRow(2 * 1024 * MiB);
    expect(data.length).toBeLessThan(8 * MiB);
    const out = await craft('huge-row.dlbundle', data, DEFAULT_LIMITS.maxRawPartBytes);
    expect((await verifyBundle(out)).ok).toBe(true); // intact and signed — by a stranger
    const started = process.hrtime.bigint();
    const err = await openBundle(out, join(dir, 'huge-row.driftline')).then(() => undefined, (e) => e);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(isAppError(err, 'BUNDLE_INVALID')).toBe(true);
    expect(err.message).toMatch(new RegExp(`part nodes-shared.ndjson.gz: row 1 is longer than ${DEFAULT_LIMITS.maxLineBytes} bytes`));
    console.log(`2 GiB one-row part refused after ${ms.toFixed(0)} ms`); // reported, not asserted on time
    expect(existsSync(join(dir, 'huge-row.driftline'))).toBe(false);
  });

  it('declaring its 2 GiB honestly: refused before a byte of it is hashed or inflated', async () => {
    const data = oneHugeRow(2 * 1024 * MiB);
    const out = await craft('honest.dlbundle', data, 2 * 1024 * MiB);
    const err = await verifyBundle(out).then(() => undefined, (e) => e);
    expect(isAppError(err, 'BUNDLE_INVALID')).toBe(true);
    expect(err.message).toMatch(/part nodes-shared.ndjson.gz declares 2147483648 bytes decompressed, over the limit of 268435456/);
  });

  it('a row whose JSON column nests 100 000 levels is refused by name before it reaches the workspace', async () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const ok = JSON.stringify({ id: 1, urn: 'k8s://c/ns/ConfigMap/ok', kind: 'ConfigMap', name: 'ok', source: 'c', props_json: '{"a":{"b":1}}' });
    const bad = JSON.stringify({ id: 2, urn: 'k8s://c/ns/ConfigMap/deep', kind: 'ConfigMap', name: 'deep', source: 'c', props_json: deep });
    const raw = Buffer.from(`${ok}\n${bad}\n`);
    const out = await craft('deep-row.dlbundle', gzipSync(raw), raw.length, 2);
    await expect(openBundle(out, join(dir, 'deep-row.driftline'))).rejects.toThrow(/part nodes-shared.ndjson.gz: row 2 column props_json holds JSON nested deeper than 256 levels; refused/);
    expect(existsSync(join(dir, 'deep-row.driftline'))).toBe(false);
  });
});
