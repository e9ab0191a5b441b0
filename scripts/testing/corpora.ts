import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The public Kubernetes manifests used as real-world test input live in the team's shared folder
 * beside the checkout (`../shared/corpora`), not in this repository: CI lays a copy of it beside
 * its clone. Tests resolve them here so a moved checkout still finds them.
 */
export function corporaDir(): string {
  const candidates = corporaCandidates();
  const found = candidates.find((p) => existsSync(join(p, 'microservices-demo')));
  if (!found) throw new Error(`the test corpora were not found (looked in ${candidates.join(', ')}); they sit in ../shared/corpora beside the checkout, or set DRIFTLINE_CORPORA`);
  return found;
}

/** A file or folder inside the corpora. */
export const corpus = (...parts: string[]): string => join(corporaDir(), ...parts);

/** Where the corpora may be, in the order they are looked for. */
export function corporaCandidates(): string[] {
  return [
    process.env.DRIFTLINE_CORPORA,
    resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpora'),
    '/work/shared/corpora',
  ].filter((p): p is string => !!p);
}

/**
 * Small third-party inputs the tests need (PII evaluation data, the OpenLineage schemas) live in the
 * repository itself, under testdata/third-party (SOURCE.md in each folder), so a clean checkout runs
 * every test without anything beside it.
 */
export const thirdPartyData = (...parts: string[]): string =>
  join(resolve(import.meta.dirname, '..', '..', 'testdata', 'third-party'), ...parts);
