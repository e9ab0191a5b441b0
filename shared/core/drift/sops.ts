/**
 * SOPS (https://github.com/getsops/sops) encrypts the values of a YAML file in the repository and
 * adds a top-level `sops:` block (data keys, MAC). A Flux Kustomization with `spec.decryption`
 * decrypts them inside the cluster, so the repository only ever holds ciphertext: the value the
 * cluster runs cannot be known from git, and comparing ciphertext with it would be a false drift.
 */
const CIPHERTEXT = /^ENC\[[A-Z0-9_]+,data:[^,\]]*,iv:[^,\]]*,tag:[^,\]]*,type:[a-z]+\]$/;

/** Whether a value is a SOPS-encrypted value (`ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`). */
export const isSopsCiphertext = (value: unknown): value is string => typeof value === 'string' && CIPHERTEXT.test(value.trim());

/** Whether an object's top-level `sops` field is SOPS's metadata block (it always carries a MAC and a version). */
export function isSopsMetadata(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const block = value as Record<string, unknown>;
  return typeof block.mac === 'string' && (typeof block.version === 'string' || typeof block.lastmodified === 'string');
}
