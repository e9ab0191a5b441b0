import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../api/errors.js';
import { applyPatch, createPatch, type PatchOp } from './json-patch.js';
import { corpus } from '../../../scripts/testing/corpora.js';

const manifests = parseAllDocuments(readFileSync(corpus('microservices-demo', 'release', 'kubernetes-manifests.yaml'), 'utf8'))
  .map((doc) => doc.toJS() as Record<string, any>)
  .filter((doc) => doc !== null);

describe('createPatch', () => {
  it.each([
    ['equal documents give no ops', { a: 1 }, { a: 1 }, []],
    ['changed scalar is replaced', { a: 1 }, { a: 2 }, [{ op: 'replace', path: '/a', value: 2 }]],
    ['new key is added', { a: 1 }, { a: 1, b: 2 }, [{ op: 'add', path: '/b', value: 2 }]],
    ['gone key is removed', { a: 1, b: 2 }, { a: 1 }, [{ op: 'remove', path: '/b' }]],
    ['"/" and "~" in keys are escaped (RFC 6901)', { 'a/b': 1, 'c~d': 1 }, { 'a/b': 2, 'c~d': 2 }, [{ op: 'replace', path: '/a~1b', value: 2 }, { op: 'replace', path: '/c~0d', value: 2 }]],
    ['one item inserted in the middle is one add', { l: [1, 2, 3] }, { l: [1, 9, 2, 3] }, [{ op: 'add', path: '/l/1', value: 9 }]],
    ['one item removed in the middle is one remove', { l: [1, 2, 3] }, { l: [1, 3] }, [{ op: 'remove', path: '/l/1' }]],
    ['type change is a replace', { a: { b: 1 } }, { a: [1] }, [{ op: 'replace', path: '/a', value: [1] }]],
    ['whole document replaced at ""', 1, 'x', [{ op: 'replace', path: '', value: 'x' }]],
  ])('%s', (_reason, before, after, expected) => {
    const patch = createPatch(before, after);
    expect(patch).toEqual(expected);
    expect(applyPatch(before, patch)).toEqual(after);
  });

  it('round-trips real manifests through realistic edits', () => {
    expect(manifests.length).toBeGreaterThan(20);
    for (const [i, manifest] of manifests.entries()) {
      const edited = structuredClone(manifest);
      edited.metadata.labels = { ...(edited.metadata.labels ?? {}), 'team/owner': `t${i}` };
      delete edited.apiVersion;
      const podSpec = edited.spec?.template?.spec;
      if (podSpec) {
        podSpec.containers[0].image = 'registry.local/changed:2';
        podSpec.containers[0].env = [{ name: 'INSERTED', value: '1' }, ...(podSpec.containers[0].env ?? []).slice(1)];
      }
      if (edited.spec?.ports) edited.spec.ports.push({ name: 'extra', port: 9999 });
      const patch = createPatch(manifest, edited);
      expect(patch.length).toBeGreaterThan(0);
      expect(applyPatch(manifest, patch)).toEqual(edited);
      expect(applyPatch(edited, createPatch(edited, manifest))).toEqual(manifest);
    }
  });
});

describe('applyPatch', () => {
  it('does not change its input', () => {
    const doc = { a: [1] };
    applyPatch(doc, [{ op: 'add', path: '/a/-', value: 2 }]);
    expect(doc).toEqual({ a: [1] });
  });

  it('appends with "-"', () => {
    expect(applyPatch({ a: [1] }, [{ op: 'add', path: '/a/-', value: 2 }])).toEqual({ a: [1, 2] });
  });

  it.each<[string, unknown, PatchOp]>([
    ['removing a missing key', { a: 1 }, { op: 'remove', path: '/b' }],
    ['replacing under a missing parent', { a: 1 }, { op: 'replace', path: '/x/y', value: 1 }],
    ['an index past the end', { a: [1] }, { op: 'replace', path: '/a/1', value: 2 }],
    ['a leading-zero index (not allowed by RFC 6901)', { a: [1, 2] }, { op: 'remove', path: '/a/01' }],
    ['a pointer without a leading "/"', { a: 1 }, { op: 'remove', path: 'a' }],
    ['a path through a scalar', { a: 1 }, { op: 'add', path: '/a/b', value: 1 }],
  ])('rejects %s with INVALID_INPUT', (_reason, doc, op) => {
    let thrown: unknown;
    try {
      applyPatch(doc, [op]);
    } catch (err) {
      thrown = err;
    }
    expect(isAppError(thrown, 'INVALID_INPUT')).toBe(true);
  });
});
