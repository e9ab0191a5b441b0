import { describe, expect, it } from 'vitest';
import { isAppError } from '../api/errors.js';
import { compileIgnoreRule, ignoreRuleMatches, parseIgnoreRules, type PathStep } from './ignore-rules.js';

const web = { name: 'web', env: [] };
const envPath: PathStep[] = [{ key: 'spec' }, { key: 'template' }, { key: 'spec' }, { key: 'containers' }, { index: 0, item: web }, { key: 'env' }, { index: 2, item: { name: 'BUILD_ID', value: '7' } }, { key: 'value' }];
const object = { kind: 'Deployment', namespace: 'shop', name: 'web-eu' };

describe('ignoreRuleMatches', () => {
  it.each([
    ['the exact list items by name', '/spec/template/spec/containers[name=web]/env[name=BUILD_ID]', true],
    ['a parent of the difference', '/spec/template/spec/containers[name=web]', true],
    ['"*" for any token', '/spec/template/spec/containers/*/env[name=BUILD_ID]/value', true],
    ['a list index', '/spec/template/spec/containers/0/env/2', true],
    ['another container (wrong item)', '/spec/template/spec/containers[name=db]/env[name=BUILD_ID]', false],
    ['another env var (wrong item)', '/spec/template/spec/containers[name=web]/env[name=COMMIT]', false],
    ['a path deeper than the difference', '/spec/template/spec/containers[name=web]/env[name=BUILD_ID]/value/x', false],
    ['a selector on an object member, not a list item', '/spec[name=web]', false],
  ])('pointer naming %s → %s', (_reason, pointer, expected) => {
    expect(ignoreRuleMatches(compileIgnoreRule({ pointer }), object, envPath)).toBe(expected);
  });

  it.each([
    ['kind', { kind: 'Deployment' }, true],
    ['other kind', { kind: 'StatefulSet' }, false],
    ['name glob', { name: 'web-*' }, true],
    ['name glob that is not a prefix match', { name: 'eu-*' }, false],
    ['namespace glob', { namespace: 'sh*' }, true],
    ['other namespace', { namespace: 'payments' }, false],
    ['glob metacharacters taken literally', { name: 'web.eu' }, false],
  ])('object filter %s → %s', (_reason, filter, expected) => {
    expect(ignoreRuleMatches(compileIgnoreRule({ ...filter, pointer: '/spec' }), object, envPath)).toBe(expected);
  });
});

describe('parseIgnoreRules', () => {
  it('reads a list or { rules: [...] } and decodes RFC 6901 escapes', () => {
    const rules = parseIgnoreRules('rules:\n  - pointer: /metadata/annotations/example.com~1build\n    kind: Deployment\n');
    expect(rules).toHaveLength(1);
    expect(rules[0].label).toBe('Deployment/*/*:/metadata/annotations/example.com~1build');
    expect(ignoreRuleMatches(rules[0], object, [{ key: 'metadata' }, { key: 'annotations' }, { key: 'example.com/build' }])).toBe(true);
    expect(parseIgnoreRules('')).toEqual([]);
  });

  it.each([
    ['broken YAML', 'rules: [', /not valid YAML/],
    ['a scalar document', 'just text', /expected a list of rules/],
    ['a rule without pointer', '- kind: Deployment', /#1: pointer/],
    ['a misspelt field', '- pointer: /spec\n  nmae: web', /#1: .*nmae/],
    ['a pointer without leading slash', '- pointer: spec/replicas', /must start with "\/"/],
    ['an unclosed selector', '- pointer: /spec/containers[name=web/env', /not a list selector/],
    ['a selector without "="', '- pointer: /spec/containers[web]', /not a list selector/],
    ['an empty name', '- pointer: /spec\n  name: ""', /#1: name/],
  ])('rejects %s with CONFIG_INVALID', (_reason, yaml, message) => {
    let thrown: unknown;
    try {
      parseIgnoreRules(yaml);
    } catch (err) {
      thrown = err;
    }
    expect(isAppError(thrown, 'CONFIG_INVALID')).toBe(true);
    expect((thrown as Error).message).toMatch(message);
  });
});
