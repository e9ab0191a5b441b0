import { describe, expect, it } from 'vitest';
import { hideConfigValues } from './config-values.js';
import { diffDesiredLive, isDriftDifference } from './diff-desired-live.js';
import { driftItemsToFindings } from './drift-findings.js';
import { agreesOutsideVariables, hasUnresolvedVariable } from './unresolved-substitution.js';

const deployment = (image: unknown, replicas: unknown) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
});

describe('Flux variables only the cluster holds', () => {
  it('recognises the marker the git source writes, and nothing else', () => {
    expect(hasUnresolvedVariable('registry/app:<unknown:${TAG}>')).toBe(true);
    expect(hasUnresolvedVariable('registry/app:${TAG}')).toBe(false);
    expect(hasUnresolvedVariable(3)).toBe(false);
  });

  it('compares only the parts the repository fixes', () => {
    expect(agreesOutsideVariables('registry/app:<unknown:${TAG}>', 'registry/app:1.4.2')).toBe(true);
    expect(agreesOutsideVariables('registry/app:<unknown:${TAG}>', 'other/app:1.4.2')).toBe(false);
    expect(agreesOutsideVariables('<unknown:${A}>.<unknown:${B}>', 'x.y')).toBe(true);
    expect(agreesOutsideVariables('<unknown:${A}>.<unknown:${B}>', 'xy')).toBe(false);
    expect(agreesOutsideVariables('<unknown:${REPLICAS}>', 3)).toBe(true);
    expect(agreesOutsideVariables('a+b<unknown:${X}>', 'aab1')).toBe(false); // regex characters are literal
    expect(agreesOutsideVariables('<unknown:${X}>', { nested: true })).toBe(false);
  });

  it('reports unknown (never drift) where the live value fills the variable, and drift where the fixed part differs', () => {
    const desired = deployment('registry/app:<unknown:${TAG}>', '<unknown:${REPLICAS}>');
    const filled = diffDesiredLive(desired, deployment('registry/app:1.4.2', 3));
    expect(filled.map((i) => [i.path, i.kind, i.unknown])).toEqual([
      ['/spec/replicas', 'unknown', 'unresolved-substitution'],
      ['/spec/template/spec/containers/0/image', 'unknown', 'unresolved-substitution'],
    ]);
    expect(filled.filter(isDriftDifference)).toEqual([]);
    const items = diffDesiredLive(desired, deployment('evil/app:1.4.2', 3));
    expect(items.filter(isDriftDifference).map((i) => [i.path, i.kind])).toEqual([['/spec/template/spec/containers/0/image', 'modified']]);
  });

  it('does not call a hidden value drift when its desired text is a placeholder (the hash is of the placeholder)', () => {
    const fingerprint = (v: string) => `h(${v.length})`;
    const withEnv = (value: string) => hideConfigValues({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'app', env: [{ name: 'DB_PASSWORD', value }] }] } } },
    }, fingerprint);
    const desired = withEnv('<unknown:${DB_PASSWORD}>');
    const env = (desired as any).spec.template.spec.containers[0].env[0].value;
    expect(env.$why).toContain('flux-variable');
    const items = diffDesiredLive(desired, withEnv('s3cr3t-live-value'));
    expect(items.map((i) => [i.path, i.kind, i.unknown])).toEqual([['/spec/template/spec/containers/0/env/0/value', 'unknown', 'flux-variable']]);
    // Without a placeholder, two different hidden values are still drift.
    expect(diffDesiredLive(withEnv('s3cr3t-in-git'), withEnv('s3cr3t-live-value-x')).map((i) => i.kind)).toEqual(['modified']);
  });

  it('judges a list of plain values with a variable item by item: unknown where the rest agrees, drift where it does not', () => {
    const withArgs = (args: string[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'app', args }] } });
    const desired = withArgs(['--port=8080', '--tag=<unknown:${TAG}>']);
    expect(diffDesiredLive(desired, withArgs(['--port=8080', '--tag=1.2'])).map((i) => [i.kind, i.unknown])).toEqual([['unknown', 'unresolved-substitution']]);
    expect(diffDesiredLive(desired, withArgs(['--port=9090', '--tag=1.2'])).map((i) => i.kind)).toEqual(['modified']);
    expect(diffDesiredLive(desired, withArgs(['--port=8080'])).map((i) => i.kind)).toEqual(['modified']);
  });

  it('gives no finding for an unknown place: findings count proven drift only', () => {
    const items = diffDesiredLive(deployment('registry/app:<unknown:${TAG}>', 2), deployment('registry/app:9', 3));
    expect(items.map((i) => i.kind).sort()).toEqual(['modified', 'unknown']);
    expect(driftItemsToFindings('k8s://c/shop/Deployment/web', items).map((f) => [f.rule, f.path])).toEqual([['drift.modified', '/spec/replicas']]);
  });
});
