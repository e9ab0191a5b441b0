import { describe, expect, it } from 'vitest';
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
});
