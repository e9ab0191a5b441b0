/**
 * Sealed snapshot bundles (DESIGN.md "Offline snapshots and reports"): one signed file an auditor can
 * carry, verify and open read-only anywhere. Format: container.ts; manifest and chain: manifest.ts.
 */
export { exportBundle, type ExportBundleOptions, type ExportBundleResult } from './export.js';
export { verifyBundle, readManifest, checkChain, type VerifyResult, type VerifyProblem, type VerifyOptions } from './verify.js';
export { openBundle, type OpenedBundle, type OpenBundleOptions, type BundleSeal } from './open.js';
export { distrustSigner, listTrustedSigners, parseFingerprint, trustSigner, trustStatus, trustStoreFile, trustedSigner, type TrustStatus, type TrustedSigner } from './trust-store.js';
export { loadOrCreateSigningKey, generateSigningKey, fileKeyStore, keyPairFromPem, normalizeFingerprint, OWN_KEY_NAME, type KeyPair, type KeyStore } from './signing.js';
export { DEFAULT_LIMITS, BUNDLE_MAGIC, type BundleLimits } from './container.js';
export type { Manifest, BundlePart, SnapshotLink } from './manifest.js';
