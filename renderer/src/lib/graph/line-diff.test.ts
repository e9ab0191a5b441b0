import { describe, expect, it } from 'vitest';
import { diffLines, prettyJson } from './line-diff';

describe('diffLines', () => {
  it('marks only the lines that differ between desired and live', () => {
    const left = prettyJson({ name: 'checkout', image: 'a:1', env: [{ name: 'LOG', value: 'info' }] });
    const right = prettyJson({ name: 'checkout', image: 'a:2', env: [{ name: 'LOG', value: 'info' }] });
    const { leftChanged, rightChanged } = diffLines(left, right);
    expect(left.filter((_, i) => leftChanged[i])).toEqual(['  "image": "a:1",']);
    expect(right.filter((_, i) => rightChanged[i])).toEqual(['  "image": "a:2",']);
  });

  it('marks everything on one side when the other is absent (missing in the cluster)', () => {
    const { leftChanged, rightChanged } = diffLines(prettyJson({ kind: 'NetworkPolicy' }), prettyJson(undefined));
    expect(leftChanged.every(Boolean)).toBe(true);
    expect(rightChanged).toEqual([]);
  });
});
