import { describe, expect, it } from 'vitest';
import { hideConfigValues } from './config-values.js';
import { diffDesiredLive } from './diff-desired-live.js';
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

  it('reports no drift where the live value fills the variable, and drift where the fixed part differs', () => {
    const desired = deployment('registry/app:<unknown:${TAG}>', '<unknown:${REPLICAS}>');
    expect(diffDesiredLive(desired, deployment('registry/app:1.4.2', 3))).toEqual([]);
    const items = diffDesiredLive(desired, deployment('evil/app:1.4.2', 3));
    expect(items.map((i) => [i.path, i.kind])).toEqual([['/spec/template/spec/containers/0/image', 'modified']]);
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
    expect(diffDesiredLive(desired, withEnv('s3cr3t-live-value'))).toEqual([]);
    // Without a placeholder, two different hidden values are still drift.
    expect(diffDesiredLive(withEnv('s3cr3t-in-git'), withEnv('s3cr3t-live-value-x')).map((i) => i.kind)).toEqual(['modified']);
  });
});
