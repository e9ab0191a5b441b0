import { safeStorage } from 'electron';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyStore } from '../../../shared/node/services/index.js';

/**
 * The auditor's Ed25519 signing key, encrypted by the OS keychain (Electron safeStorage) at rest.
 * The CLI keeps the same key as a 0600 file instead; bundles verify the same either way.
 */
export function keychainKeyStore(dir: string): KeyStore {
  const file = join(dir, 'ed25519.pem.enc');
  return {
    async load() {
      if (!existsSync(file)) return undefined;
      return safeStorage.decryptString(readFileSync(file));
    },
    async save(pem) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available to protect the signing key; sign bundles with "driftline snapshot export" instead');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(file, safeStorage.encryptString(pem), { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    },
  };
}
