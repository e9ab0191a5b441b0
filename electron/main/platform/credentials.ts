import { safeStorage } from 'electron';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Secrets the user types in the studio (a database password) are kept encrypted by the OS keychain
 * (Electron safeStorage), in a file outside the workspace — never in the workspace itself.
 */
export function saveSecret(file: string, name: string, value: string): void {
  if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available; use passwordEnv (an environment variable) instead');
  const all = loadAll(file);
  all[name] = safeStorage.encryptString(value).toString('base64');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(all), { mode: 0o600 });
}

export function readSecret(file: string, name: string): string | undefined {
  const enc = loadAll(file)[name];
  return enc ? safeStorage.decryptString(Buffer.from(enc, 'base64')) : undefined;
}

function loadAll(file: string): Record<string, string> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}
