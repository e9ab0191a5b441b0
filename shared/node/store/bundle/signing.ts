import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../core/api/errors.js';
import { driftlineHome } from '../keys.js';
import { sha256Hex } from './container.js';
import { trustedSigner, trustSigner } from './trust-store.js';

/** The auditor's Ed25519 signing key, with the name and fingerprint that go into a manifest. */
export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Self-declared name (DRIFTLINE_SIGNER or the OS user); the fingerprint is what proves identity. */
  signer: string;
  /** SHA-256 (hex) of the public key's SPKI DER encoding. */
  fingerprint: string;
}

/**
 * Where the private key (PKCS#8 PEM) lives. The CLI keeps it in a 0600 file; Electron plugs in a
 * store that encrypts it with safeStorage, without this module knowing about Electron.
 */
export interface KeyStore {
  load(): Promise<string | undefined>;
  save(pem: string): Promise<void>;
}

/** The CLI's key store: `<dir>/ed25519.pem`, mode 0600, in a 0700 folder. */
export function fileKeyStore(dir: string): KeyStore {
  const file = join(dir, 'ed25519.pem');
  return {
    async load() {
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
    async save(pem) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // 'wx': never overwrite an existing key — losing it would orphan every bundle signed with it.
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    },
  };
}

export const publicKeyFingerprint = (publicKey: KeyObject): string => sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));

export const signerName = (): string => process.env.DRIFTLINE_SIGNER?.trim() || safeUserName();

function safeUserName(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Builds a KeyPair from a PEM private key. */
export function keyPairFromPem(pem: string, signer = signerName()): KeyPair {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new AppError('INVALID_INPUT', `the signing key is not a readable PEM private key (${(err as Error).message}); move it away to create a new one`, { cause: err });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new AppError('INVALID_INPUT', `the signing key is ${privateKey.asymmetricKeyType}, not Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, signer, fingerprint: publicKeyFingerprint(publicKey) };
}

/** A fresh Ed25519 key pair (not persisted): for tests, or a store that persists it itself. */
export function generateSigningKey(signer = signerName()): KeyPair {
  const { privateKey } = generateKeyPairSync('ed25519');
  return keyPairFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, signer);
}

/**
 * The auditor's key: loaded from the key store, or created on first use and saved there.
 * `dir` is used only for the default file store.
 */
export async function loadOrCreateSigningKey(dir = join(driftlineHome(), 'signing'), keyStore: KeyStore = fileKeyStore(dir)): Promise<KeyPair> {
  const pem = await keyStore.load();
  const key = pem ? keyPairFromPem(pem) : generateSigningKey();
  if (!pem) await keyStore.save(key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  // Bundles this computer's own key sealed are the auditor's own: they open as trusted.
  if (!trustedSigner(key.fingerprint)) trustSigner(key.fingerprint, OWN_KEY_NAME);
  return key;
}

/** How the trust store names the auditor's own key. */
export const OWN_KEY_NAME = 'your own signing key (this computer)';

export const signBytes = (data: Buffer, key: KeyPair): string => sign(null, data, key.privateKey).toString('base64');

/** Verifies an Ed25519 signature with a public key given as base64 SPKI DER; false for any malformed input. */
export function verifyBytes(data: Buffer, signatureBase64: string, publicKeyDerBase64: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyDerBase64, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, data, key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

export const publicKeyDerBase64 = (key: KeyPair): string => key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

export { normalizeFingerprint } from './trust-store.js';
