import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../api/errors.js';
import { unescapePointerToken } from './json-pointer.js';

/**
 * A user's rule that marks some differences as expected (e.g. a build id injected by CI).
 * Matching differences are kept and marked `ignored`, never dropped, so the report still shows them.
 */
export const ignoreRuleSchema = z.strictObject({
  /** Optional label shown on the differences the rule marks. */
  id: z.string().min(1).optional(),
  kind: z.string().min(1).optional(),
  /** Glob: `*` matches any run of characters. */
  namespace: z.string().min(1).optional(),
  /** Glob: `*` matches any run of characters. */
  name: z.string().min(1).optional(),
  /**
   * An RFC 6901 pointer whose tokens may also select one list item by a field, e.g.
   * `/spec/template/spec/containers[name=web]/env[name=BUILD_ID]`; `*` matches any one token.
   * It covers the addressed field and everything below it.
   */
  pointer: z.string(),
});
export type IgnoreRule = z.infer<typeof ignoreRuleSchema>;

/** One step of the path to a difference: an object member, or a list item (with the item, so selectors can look at it). */
export type PathStep = { key: string } | { index: number; item: unknown };

/** What an ignore rule's kind/namespace/name are matched against. */
export interface ObjectIdentity {
  kind?: string;
  namespace?: string;
  name?: string;
}

type RuleStep =
  | { type: 'token'; token: string }
  | { type: 'any' }
  | { type: 'item'; field: string; value: string };

/** An ignore rule ready to be matched many times. */
export interface CompiledIgnoreRule {
  rule: IgnoreRule;
  /** How differences name the rule: its id, or kind/namespace/name:pointer. */
  label: string;
  steps: RuleStep[];
  namePattern?: RegExp;
  namespacePattern?: RegExp;
}

const globToRegExp = (glob: string): RegExp =>
  new RegExp('^' + glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');

const SELECTOR = /^(.*?)\[([^=\]]+)=([^\]]*)\]$/;

function parseRulePointer(pointer: string, where: string): RuleStep[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new AppError('CONFIG_INVALID', `${where}: pointer "${pointer}" must start with "/", e.g. /spec/template/spec/containers[name=web]/env[name=BUILD_ID]`);
  }
  const steps: RuleStep[] = [];
  for (const rawToken of pointer.slice(1).split('/')) {
    if (rawToken === '*') {
      steps.push({ type: 'any' });
      continue;
    }
    if (rawToken.includes('[') || rawToken.includes(']')) {
      const match = SELECTOR.exec(rawToken);
      if (!match) {
        throw new AppError('CONFIG_INVALID', `${where}: "${rawToken}" in pointer "${pointer}" is not a list selector; write key[field=value], e.g. env[name=BUILD_ID]`);
      }
      const [, key, field, value] = match;
      if (key !== '') steps.push({ type: 'token', token: unescapePointerToken(key) });
      steps.push({ type: 'item', field: field.trim(), value });
      continue;
    }
    steps.push({ type: 'token', token: unescapePointerToken(rawToken) });
  }
  return steps;
}

/** Checks and prepares one rule; throws AppError('CONFIG_INVALID') naming the rule and the fix. */
export function compileIgnoreRule(rule: IgnoreRule, where = 'ignore rule'): CompiledIgnoreRule {
  const steps = parseRulePointer(rule.pointer, where);
  const target = [rule.kind ?? '*', rule.namespace ?? '*', rule.name ?? '*'].join('/');
  return {
    rule,
    label: rule.id ?? `${target}:${rule.pointer}`,
    steps,
    namePattern: rule.name !== undefined ? globToRegExp(rule.name) : undefined,
    namespacePattern: rule.namespace !== undefined ? globToRegExp(rule.namespace) : undefined,
  };
}

function stepMatches(ruleStep: RuleStep, step: PathStep): boolean {
  if (ruleStep.type === 'any') return true;
  if (ruleStep.type === 'token') return 'key' in step ? step.key === ruleStep.token : String(step.index) === ruleStep.token;
  if (!('index' in step) || typeof step.item !== 'object' || step.item === null) return false;
  const fieldValue = (step.item as Record<string, unknown>)[ruleStep.field];
  return fieldValue !== undefined && fieldValue !== null && String(fieldValue) === ruleStep.value;
}

/** True when the rule covers this object and the difference at `path` (the rule's pointer or anything below it). */
export function ignoreRuleMatches(rule: CompiledIgnoreRule, object: ObjectIdentity, path: readonly PathStep[]): boolean {
  if (rule.rule.kind !== undefined && rule.rule.kind !== object.kind) return false;
  if (rule.namespacePattern && !rule.namespacePattern.test(object.namespace ?? '')) return false;
  if (rule.namePattern && !rule.namePattern.test(object.name ?? '')) return false;
  if (rule.steps.length > path.length) return false;
  return rule.steps.every((ruleStep, i) => stepMatches(ruleStep, path[i]));
}

/** The first rule that covers the difference, if any. */
export function findIgnoreRule(rules: readonly CompiledIgnoreRule[], object: ObjectIdentity, path: readonly PathStep[]): CompiledIgnoreRule | undefined {
  return rules.find((rule) => ignoreRuleMatches(rule, object, path));
}

const documentSchema = z.union([z.array(z.unknown()), z.strictObject({ rules: z.array(z.unknown()) })]);

/**
 * Parses ignore rules from YAML: either a list of rules or `{ rules: [...] }`.
 * Throws AppError('CONFIG_INVALID') naming the bad rule and what to write instead.
 */
export function parseIgnoreRules(yamlText: string): CompiledIgnoreRule[] {
  let document: unknown;
  try {
    document = parseYaml(yamlText);
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `ignore rules: not valid YAML (${(err as Error).message.split('\n')[0]}) — fix the syntax`, { cause: err });
  }
  if (document === null || document === undefined) return [];
  const shape = documentSchema.safeParse(document);
  if (!shape.success) {
    throw new AppError('CONFIG_INVALID', 'ignore rules: expected a list of rules or { rules: [...] }, each like { kind: Deployment, name: "web-*", pointer: /spec/replicas }');
  }
  const items = Array.isArray(shape.data) ? shape.data : shape.data.rules;
  return items.map((item, index) => {
    const where = `ignore rule #${index + 1}`;
    const parsed = ignoreRuleSchema.safeParse(item);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'rule'}: ${issue.message}`).join('; ');
      throw new AppError('CONFIG_INVALID', `${where}: ${problems} — a rule is { kind?, namespace?, name?, pointer, id? }`);
    }
    return compileIgnoreRule(parsed.data, where);
  });
}
