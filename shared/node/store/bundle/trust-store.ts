import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../core/api/errors.js';
import { driftlineHome } from '../keys.js';

/**
 * Who the auditor trusts to have sealed a bundle. A signer's identity is its key's fingerprint
 * (SHA-256 of the Ed25519 public key): the name inside a manifest is whatever its author typed.
 * This store maps fingerprints the auditor checked (out of band, with the signer) to a name of the
 * auditor's choosing. It lives in the user's Driftline folder, never in a workspace or a bundle.
 */
export type TrustStatus = 'trusted' | 'untrusted' | 'broken';

export interface TrustedSigner {
  fingerprint: string;
  /** The auditor's name for the signer (not the name the manifest claims). */
  name: string;
  addedAt: string;
}

const fileSchema = z.object({
  version: z.literal(1),
  signers: z.array(z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/), name: z.string().max(200), addedAt: z.string() })),
});

/** Accepts a fingerprint as printed ("sha256:ab:cd…", any case) and returns bare lowercase hex. */
export const normalizeFingerprint = (fp: string): string => fp.trim().toLowerCase().replace(/^sha256:/, '').replace(/[^0-9a-f]/g, '');

export const trustStoreFile = (): string => join(driftlineHome(), 'trust', 'signers.json');

/** The trusted signers (an absent file is an empty store; a damaged one is an error, never "trust nobody" silently). */
export function listTrustedSigners(file = trustStoreFile()): TrustedSigner[] {
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `the trust store ${file} is not valid JSON (${(err as Error).message}); fix or remove it, then add your signers again with "driftline snapshot trust add"`, { cause: err });
  }
  const r = fileSchema.safeParse(parsed);
  if (!r.success) throw new AppError('CONFIG_INVALID', `the trust store ${file} does not have the expected shape (${r.error.issues[0].path.join('.')}: ${r.error.issues[0].message}); fix or remove it`);
  return r.data.signers;
}

function save(signers: TrustedSigner[], file: string): void {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ version: 1, signers }, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** A full fingerprint as given (any case, `sha256:` prefix, colons); a short or malformed one is refused. */
export function parseFingerprint(text: string): string {
  const fp = normalizeFingerprint(text);
  if (!/^[0-9a-f]{64}$/.test(fp)) throw new AppError('INVALID_INPUT', `"${text.slice(0, 100)}" is not a full key fingerprint: give all 64 hex digits as "driftline snapshot verify" prints them`);
  return fp;
}

/** Adds (or renames) a trusted signer. */
export function trustSigner(fingerprintText: string, name: string, file = trustStoreFile()): TrustedSigner {
  const fingerprint = parseFingerprint(fingerprintText);
  const label = name.trim().slice(0, 200) || `key ${fingerprint.slice(0, 12)}`;
  const signers = listTrustedSigners(file).filter((s) => s.fingerprint !== fingerprint);
  const entry = { fingerprint, name: label, addedAt: new Date().toISOString() };
  save([...signers, entry], file);
  return entry;
}

/** Removes a trusted signer; returns it, or undefined when it was not trusted. */
export function distrustSigner(fingerprintText: string, file = trustStoreFile()): TrustedSigner | undefined {
  const fingerprint = parseFingerprint(fingerprintText);
  const signers = listTrustedSigners(file);
  const found = signers.find((s) => s.fingerprint === fingerprint);
  if (found) save(signers.filter((s) => s !== found), file);
  return found;
}

/** The trusted signer with this fingerprint, if any. */
export function trustedSigner(fingerprint: string, file = trustStoreFile()): TrustedSigner | undefined {
  const fp = normalizeFingerprint(fingerprint);
  return listTrustedSigners(file).find((s) => s.fingerprint === fp);
}

/** The verdict shown wherever a seal is shown: broken (does not verify), untrusted but intact, or trusted. */
export function trustStatus(verified: boolean, fingerprint: string, file = trustStoreFile()): { trust: TrustStatus; trustedName: string | null } {
  if (!verified) return { trust: 'broken', trustedName: null };
  const signer = trustedSigner(fingerprint, file);
  return signer ? { trust: 'trusted', trustedName: signer.name } : { trust: 'untrusted', trustedName: null };
}
