import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../args.js';
import { buildTestWorkspace } from '../../testing/fixtures/report-workspace.js';
import { readManifest } from '../../../shared/node/store/bundle/index.js';
import { snapshotCommand } from './snapshot.js';

/** Captures what a command prints; commands run in-process, as main() runs them. */
function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', isTTY: false, out(t: string) { io.stdout += t; }, err(t: string) { io.stderr += t; } };
  return io;
}

let dir: string;
let workspace: string;
let bundle: string;
let fingerprint: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-cli-snapshot-'));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  process.env.DRIFTLINE_SIGNER = 'Auditor 王';
  workspace = join(dir, 'ws.driftline');
  buildTestWorkspace(workspace).store.close();
  bundle = join(dir, 'evidence.dlbundle');
  const io = capture();
  expect(await snapshotCommand.run(['export', '--workspace', workspace, '--out', bundle, '--source', 'shop-db', '--source', 'events'], io)).toBe(0);
  fingerprint = /fingerprint:\s+([0-9a-f]{64})/.exec(io.stdout)![1];
  expect(io.stdout).toMatch(/snapshots:\s+4\n/);
  expect(io.stdout).toContain('Auditor 王');
});
afterAll(() => {
  delete process.env.DRIFTLINE_SIGNER;
  rmSync(dir, { recursive: true, force: true });
});

describe('driftline snapshot', () => {
  it('export seals only the chosen sources, signed with the key kept in DRIFTLINE_HOME', async () => {
    const { manifest } = await readManifest(bundle);
    expect(new Set(manifest.snapshots.map((s) => s.source))).toEqual(new Set(['shop-db', 'events']));
    expect(manifest.signer.fingerprint).toBe(fingerprint);
    expect(existsSync(join(dir, 'home', 'signing', 'ed25519.pem'))).toBe(true);
  });

  it('verify exits 0 for an intact bundle signed by the expected key', async () => {
    const io = capture();
    expect(await snapshotCommand.run(['verify', bundle, '--expect-signer', `SHA256:${fingerprint.toUpperCase()}`], io)).toBe(0);
    expect(io.stdout).toMatch(/^OK: /);
  });

  it('verify exits 1 and prints the problem for an unexpected signer or a damaged part', async () => {
    const io = capture();
    expect(await snapshotCommand.run(['verify', bundle, '--expect-signer', '0'.repeat(64)], io)).toBe(1);
    expect(io.stdout).toContain(`✗ manifest was re-signed by a key other than ${'0'.repeat(64)}`);

    const bytes = readFileSync(bundle);
    bytes[200] ^= 0xff; // inside the first part
    const damaged = join(dir, 'damaged.dlbundle');
    writeFileSync(damaged, bytes);
    const io2 = capture();
    expect(await snapshotCommand.run(['verify', damaged, '--json'], io2)).toBe(1);
    const r = JSON.parse(io2.stdout);
    expect(r.ok).toBe(false);
    expect(r.problems[0].problem).toMatch(/^part [a-z_]+-[a-z0-9]+\.ndjson\.gz: SHA-256 differs from the manifest/);
  });

  it('verify exits 1 on a truncated file instead of crashing', async () => {
    const cut = join(dir, 'cut.dlbundle');
    writeFileSync(cut, readFileSync(bundle).subarray(0, 500));
    const io = capture();
    expect(await snapshotCommand.run(['verify', cut], io)).toBe(1);
    expect(io.stdout).toMatch(/FAILED: .*\n  ✗ .*truncated/);
  });

  it('open materializes a read-only workspace and prints its path, signer and hashes', async () => {
    const target = join(dir, 'opened.driftline');
    const io = capture();
    expect(await snapshotCommand.run(['open', bundle, '--workspace', target], io)).toBe(0);
    expect(io.stdout).toContain(`workspace:     ${target} (read-only)`);
    expect(io.stdout).toContain(`fingerprint:   ${fingerprint}`);
    expect(io.stdout).toMatch(/manifest hash: [0-9a-f]{64}/);
    expect(io.stdout).toMatch(/contents:\s+\d+ nodes, \d+ edges, [1-9]\d* findings/);
    expect(existsSync(target)).toBe(true);
  });

  it('explains bad usage', async () => {
    const io = capture();
    expect(await snapshotCommand.run(['--help'], io)).toBe(0);
    expect(io.stdout).toContain('driftline snapshot verify <bundle> [--expect-signer <fingerprint>]');
    await expect(snapshotCommand.run(['seal'], capture())).rejects.toThrow(/unknown subcommand "seal"/);
    await expect(snapshotCommand.run(['export', '--workspace', workspace], capture())).rejects.toThrow(/--out is required/);
    await expect(snapshotCommand.run(['export', '--workspace', workspace, '--out', join(dir, 'x'), '--since', 'yesterday'], capture())).rejects.toThrow(/--since takes an ISO date/);
  });
});
