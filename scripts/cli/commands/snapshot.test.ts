import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../args.js';
import { buildTestWorkspace } from '../../testing/fixtures/report-workspace.js';
import { exportBundle, generateSigningKey, openBundle, readManifest } from '../../../shared/node/store/bundle/index.js';
import { DriftlineService } from '../../../shared/node/services/driftline-service.js';
import { exportReport } from '../../../shared/node/report/index.js';
import { execFileSync } from 'node:child_process';
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
    expect(io.stdout).toMatch(/FAILED: .*\ntrust: +BROKEN — does not verify\n  ✗ .*truncated/);
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

  it('verify: our own bundle is trusted (exit 0); the signer name is shown as a claim, the key as the identity', async () => {
    const io = capture();
    expect(await snapshotCommand.run(['verify', bundle], io)).toBe(0);
    expect(io.stdout).toContain('trust:         trusted — "your own signing key (this computer)" in your trust store');
    expect(io.stdout).toContain('signer:        claims to be "Auditor 王" (self-declared; the key below is the identity)');
  });
});

describe('signers that mean something: an altered bundle resealed with another key', () => {
  let forged: string;
  let forgerFingerprint: string;

  beforeAll(async () => {
    // The attack: open the bundle, change the evidence, seal it again with a key of one's own named "root".
    const opened = await openBundle(bundle, join(dir, 'to-alter.driftline'));
    opened.store.close();
    const { Store } = await import('../../../shared/node/store/index.js');
    const writable = Store.open(join(dir, 'to-alter.driftline'));
    writable.db.prepare(`DELETE FROM findings`).run();
    writable.db.prepare(`DELETE FROM meta WHERE key LIKE 'bundle_%'`).run();
    const forger = generateSigningKey('root');
    forgerFingerprint = forger.fingerprint;
    forged = join(dir, 'forged.dlbundle');
    await exportBundle(writable, forged, { signingKey: forger });
    writable.close();
  });

  it('verify says untrusted but intact (exit 3), not OK, and says how to trust it', async () => {
    const io = capture();
    expect(await snapshotCommand.run(['verify', forged], io)).toBe(3);
    expect(io.stdout).toMatch(/^OK: .*\ntrust: +UNTRUSTED — intact, but the signing key is not in your trust store\nsigner: +claims to be "root" \(self-declared; the key below is the identity\)\n/);
    expect(io.stdout).toContain(`driftline snapshot trust add ${forgerFingerprint} --name <who>`);
    const json = capture();
    expect(await snapshotCommand.run(['verify', forged, '--json'], json)).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, trust: 'untrusted', trustedName: null, signer: 'root', fingerprint: forgerFingerprint });
  });

  it('open marks it untrusted everywhere the seal is shown (CLI, studio banner, report cover), or refuses it with --require-trusted', async () => {
    await expect(snapshotCommand.run(['open', forged, '--workspace', join(dir, 'refused.driftline'), '--require-trusted'], capture())).rejects.toThrow(/intact, but signed by key [0-9a-f]{64} \(claiming to be "root"\), which is not in your trust store/);
    expect(existsSync(join(dir, 'refused.driftline'))).toBe(false);
    const io = capture();
    const target = join(dir, 'forged-open.driftline');
    expect(await snapshotCommand.run(['open', forged, '--workspace', target], io)).toBe(0);
    expect(io.stdout).toContain('trust:         UNTRUSTED — intact, but the signing key is not in your trust store');

    const { Store } = await import('../../../shared/node/store/index.js');
    const store = Store.open(target, { readOnly: true });
    try {
      const info = await new DriftlineService(store).handlers['workspace:info']({});
      expect(info.bundle).toMatchObject({ signer: 'root', fingerprint: forgerFingerprint, verified: true, trust: 'untrusted', trustedName: null });
      const pdf = join(dir, 'forged.pdf');
      await exportReport(store, { out: pdf, lang: 'en' });
      const cover = execFileSync('pdftotext', ['-l', '1', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(cover).toContain('Signer trust Intact, but the signer is not in your trust store');
      expect(cover).toContain('root (self-declared name, not proof of identity)');

      // Trusting the key (after checking it with its owner) changes the verdict at once, everywhere.
      expect(await snapshotCommand.run(['trust', 'add', forgerFingerprint, '--name', 'Li Wei, audit team'], capture())).toBe(0);
      expect((await new DriftlineService(store).handlers['workspace:info']({})).bundle).toMatchObject({ trust: 'trusted', trustedName: 'Li Wei, audit team' });
      expect(await snapshotCommand.run(['verify', forged], capture())).toBe(0);
      const list = capture();
      expect(await snapshotCommand.run(['trust', 'list'], list)).toBe(0);
      expect(list.stdout).toContain(`${forgerFingerprint}  Li Wei, audit team`);
      expect(await snapshotCommand.run(['trust', 'remove', forgerFingerprint.toUpperCase()], capture())).toBe(0);
      expect(await snapshotCommand.run(['verify', forged], capture())).toBe(3);
    } finally {
      store.close();
    }
  });

  it('a broken bundle is broken whatever the trust store says', async () => {
    expect(await snapshotCommand.run(['trust', 'add', fingerprint], capture())).toBe(0);
    const bytes = readFileSync(bundle);
    bytes[210] ^= 0xff;
    const damaged = join(dir, 'damaged-trusted.dlbundle');
    writeFileSync(damaged, bytes);
    const io = capture();
    expect(await snapshotCommand.run(['verify', damaged], io)).toBe(1);
    expect(io.stdout).toContain('trust:         BROKEN — does not verify');
    await expect(snapshotCommand.run(['trust', 'add', 'abc123'], capture())).rejects.toThrow(/not a full key fingerprint/);
  });
});
