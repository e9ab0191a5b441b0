import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Driftline's per-user folder (keys, the auditor's signing key). Overridable for tests and CI.
 * The fingerprint key is deliberately NOT inside the workspace: keyed hashes of low-entropy values
 * (a phone number has ~10^9 candidates) could be brute-forced by anyone holding both.
 */
export function driftlineHome(): string {
  return process.env.DRIFTLINE_HOME || join(homedir(), '.config', 'driftline');
}

/** Returns the workspace's HMAC key, creating it (0600) on first use. */
export function workspaceKey(workspaceId: string): Buffer {
  const dir = join(driftlineHome(), 'keys');
  const file = join(dir, `${workspaceId}.key`);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

/** HMAC-SHA256 fingerprint of an already-normalized value, hex, truncated to 128 bits. */
export function makeFingerprinter(key: Buffer): (value: string) => string {
  return (value) => createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 32);
}
