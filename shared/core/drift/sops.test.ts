import { describe, expect, it } from 'vitest';
import { hideConfigValues } from './config-values.js';
import { diffDesiredLive, isDriftDifference } from './diff-desired-live.js';
import { isSopsCiphertext, isSopsMetadata } from './sops.js';

// The shape `sops --encrypt` writes (values from the SOPS README's example, shortened).
const CIPHERTEXT = 'ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:k=,type:str]';
const SOPS_BLOCK = { kms: [], age: [{ recipient: 'age1qe5lxzzeppw5k79vxn3872272sgy224g2nzqlzy3uljs84say3yqgvd0sw', enc: '-----BEGIN AGE ENCRYPTED FILE-----\n…' }], lastmodified: '2023-04-01T10:00:00Z', mac: 'ENC[AES256_GCM,data:m=,iv:i=,tag:t=,type:str]', encrypted_regex: '^(data|stringData)$', version: '3.7.3' };

const secret = (data: Record<string, string>, sops?: unknown) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', data, ...(sops ? { sops } : {}) });

describe('SOPS-encrypted values (Flux spec.decryption)', () => {
  it('recognises ciphertext and the sops block, and nothing else', () => {
    expect(isSopsCiphertext(CIPHERTEXT)).toBe(true);
    expect(isSopsCiphertext('ENC[not sops]')).toBe(false);
    expect(isSopsCiphertext('cGFzc3dvcmQ=')).toBe(false);
    expect(isSopsMetadata(SOPS_BLOCK)).toBe(true);
    expect(isSopsMetadata({ mac: 'x' })).toBe(false);
  });

  it('says unknown for an encrypted Secret value instead of comparing ciphertext with the live value, and ignores the sops block', () => {
    const items = diffDesiredLive(secret({ password: CIPHERTEXT }, SOPS_BLOCK), secret({ password: 'czNjcjN0' }));
    expect(items.map((i) => [i.path, i.kind, i.unknown])).toEqual([['/data/password', 'unknown', 'sops-encrypted']]);
    expect(items.filter(isDriftDifference)).toEqual([]);
  });

  it('still reports a key that the cluster lacks (the repository proves the key exists)', () => {
    const items = diffDesiredLive(secret({ password: CIPHERTEXT, user: CIPHERTEXT }, SOPS_BLOCK), secret({ password: 'czNjcjN0' }));
    expect(items.map((i) => [i.path, i.kind])).toEqual([['/data/password', 'unknown'], ['/data/user', 'missing-live']]);
  });

  it('marks an encrypted ConfigMap value hidden as sops-encrypted, and drift says unknown', () => {
    const cm = (value: string) => hideConfigValues({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { DSN: value } }, (v) => `h${v.length}`);
    const desired = cm(CIPHERTEXT);
    expect((desired as any).data.DSN).toMatchObject({ $preview: 'ENC[…]', $why: ['sops-encrypted'] });
    expect(diffDesiredLive(desired, cm('mysql://app@db/shop')).map((i) => [i.kind, i.unknown])).toEqual([['unknown', 'sops-encrypted']]);
  });
});
