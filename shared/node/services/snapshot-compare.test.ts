import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFixtureWorkspace } from '../../../e2e/fixtures/make-fixture-workspace.js';
import { diffSnapshotVersions } from './driftline-service.js';

/** Snapshot compare (issue #13): only within one source, and old → new for every changed field. */
describe('diffSnapshotVersions', () => {
  const fixture = makeFixtureWorkspace();
  const { store } = fixture;
  afterAll(() => {
    store.close();
    rmSync(dirname(fixture.path), { recursive: true, force: true });
  });
  const ids = (source: string) => store.snapshots.list(source).map((s) => s.id);

  it('refuses snapshots of two different sources, naming both and what to do', () => {
    const [db] = ids('shop-db'), [k8s] = ids('prod-cn');
    expect(() => diffSnapshotVersions(store, db, k8s)).toThrow(/snapshot \d+ is of source "shop-db" and snapshot \d+ of source "prod-cn": snapshots compare only within one source/);
  });

  it('gives every changed field with its old and its new value', () => {
    const [first, second] = ids('prod-cn');
    const checkout = diffSnapshotVersions(store, first, second).find((c) => c.urn.endsWith('/Deployment/checkout'))!;
    expect(checkout.change).toBe('modified');
    expect(checkout.fields).toEqual(expect.arrayContaining([
      { path: '/spec/replicas', old: 3, new: 5 },
      { path: '/spec/template/spec/containers/0/image', old: expect.stringContaining('1.8.2'), new: expect.stringContaining('1.9.0-hotfix') },
    ]));
  });
});
