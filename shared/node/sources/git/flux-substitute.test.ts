import { describe, expect, it } from 'vitest';
import { substituteVariables, substitutionDisabled, unknownMarker, type SubstitutionValue } from './flux-substitute.js';

const value = (v: string): SubstitutionValue => ({ kind: 'value', value: v });
const vars = new Map<string, SubstitutionValue>([
  ['APP', value('web')],
  ['EMPTY', value('')],
  ['TOKEN', { kind: 'hashed', marker: '<secret:flux-system/s/TOKEN:ab12>' }],
  ['FROM_CLUSTER', { kind: 'unknown', reason: 'Secret flux-system/x is not in the repository' }],
]);

describe('Flux postBuild substitution', () => {
  // Each row: the text in a manifest, what Flux makes of it, and why.
  it.each([
    ['name: ${APP}', 'name: web', 'a defined variable'],
    ['name: $APP', 'name: $APP', '$var without braces is left as written'],
    ['cmd: $${APP}', 'cmd: ${APP}', '$${var} prints a literal ${var}'],
    ['size: ${SIZE:=5Gi}', 'size: 5Gi', ':= gives the default when unset'],
    ['size: ${SIZE:-5Gi}', 'size: 5Gi', ':- gives the default when unset'],
    ['v: ${EMPTY:=d}', 'v: d', ':= also when set but empty'],
    ['v: ${EMPTY=d}', 'v: ', '= only when unset (EMPTY is set)'],
    ['v: ${SIZE-d}', 'v: d', '- when unset'],
    ['claim: "${CLAIM:-${APP}}"', 'claim: "web"', 'a default holding another variable (the corpus kopiur component)'],
    ['claim: "${APP:-${OTHER}}"', 'claim: "web"', 'the default is not read when the variable is set'],
    ['v: ${NOT_SET}', 'v: ', 'an undefined variable without a default becomes empty (controller default)'],
    ['t: ${TOKEN}', 't: <secret:flux-system/s/TOKEN:ab12>', 'a Secret value: its hash marker, never the value'],
    ['u: ${FROM_CLUSTER:=x}', `u: ${unknownMarker('FROM_CLUSTER')}`, 'a value only the cluster holds is unknown, even with a default'],
    ['s: ${APP:0:1}', `s: ${unknownMarker('APP')}`, 'string functions are not evaluated: unknown, not guessed'],
    ['a: ${APP}-${APP}', 'a: web-web', 'several references on one line'],
    ['broken: ${APP', 'broken: ${APP', 'an unclosed reference is left as written'],
  ])('%s → %s (%s)', (text, expected) => {
    expect(substituteVariables(text, vars).text).toBe(expected);
  });

  it('lists unknown and empty variables', () => {
    const r = substituteVariables('a: ${FROM_CLUSTER}\nb: ${NOT_SET}\nc: ${APP}', vars);
    expect(r.unknown).toEqual([{ name: 'FROM_CLUSTER', reason: 'Secret flux-system/x is not in the repository' }]);
    expect(r.empty).toEqual(['NOT_SET']);
  });

  it('treats unset variables as unknown when a substituteFrom object cannot be read', () => {
    const r = substituteVariables('a: ${NOT_SET}\nb: ${REGION:=eu}\nc: ${APP}', vars, 'Secret x is not in the repository');
    expect(r.text).toBe(`a: ${unknownMarker('NOT_SET')}\nb: ${unknownMarker('REGION')}\nc: web`);
    expect(r.unknown.map((u) => u.name)).toEqual(['NOT_SET', 'REGION']);
  });

  it.each([
    [{ metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } } }, true, 'annotation'],
    [{ metadata: { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } } }, true, 'label'],
    [{ metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'enabled' } } }, false, 'any other value keeps substitution on'],
    [{ metadata: {} }, false, 'no marker'],
  ])('opt-out %#: %s → %s (%s)', (obj, disabled, _why) => {
    expect(substitutionDisabled(obj)).toBe(disabled);
  });
});
