/**
 * User rule packs: YAML files that add recognizers without code. A broken pack is rejected whole with
 * an AppError('CONFIG_INVALID') naming the file, the rule and what to change.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../api/errors.js';
import { SEVERITIES } from '../model/finding.js';
import { gb11643Valid, ibanValid, luhnValid } from './checksums.js';
import type { Recognizer } from './types.js';

/** Where the rule packs shipped with Driftline live, relative to the resources root. */
export const BUILTIN_RULE_PACK_DIR = 'resources/rules/pii';

/** Validators a rule pack may name; a pack cannot ship code. */
export const RULE_PACK_VALIDATORS: Readonly<Record<string, ((value: string) => boolean) | undefined>> = {
  none: undefined,
  luhn: (v) => luhnValid(v.replace(/[ -]/g, '')),
  mod97: ibanValid,
  gb11643: (v) => gb11643Valid(v),
};

/** Long user patterns are refused: they are where catastrophic backtracking hides, and none is needed. */
const MAX_PATTERN_LENGTH = 500;
const ENTITY_NAME = /^[A-Z][A-Z0-9_]{1,63}$/;

const ruleSchema = z.object({
  entity: z.string(),
  description: z.string().optional(),
  patterns: z.array(z.string()).min(1),
  hintedPatterns: z.array(z.string()).optional(),
  context: z.array(z.string()).default([]),
  nameHints: z.array(z.string()).default([]),
  excludedNameHints: z.array(z.string()).optional(),
  baseConfidence: z.number().min(0).max(1),
  threshold: z.number().gt(0).max(1).optional(),
  validator: z.string().default('none'),
  requiresNameHint: z.boolean().default(false),
  specializes: z.string().optional(),
  /** The entity's name in the studio and the report; without it the entity code is shown. */
  labels: z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1) }).strict().optional(),
  severity: z.enum(SEVERITIES).optional(),
}).strict();

const packSchema = z.object({
  version: z.literal(1).optional(),
  rules: z.array(z.unknown()).min(1),
}).strict();

function fail(sourceName: string, where: string, problem: string, cause?: unknown): never {
  throw new AppError('CONFIG_INVALID', `${sourceName}: ${where}: ${problem}`, cause === undefined ? undefined : { cause });
}

/** Turns the first zod issue into "field `x`: what is wrong". */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.join('.');
  if (issue.code === 'invalid_type' && issue.input === undefined) return `missing \`${path}\` — add it`;
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `\`${k}\``).join(', ')} — check the spelling`;
  return `${path ? `field \`${path}\`: ` : ''}${issue.message}`;
}

function compileUserPattern(sourceName: string, where: string, field: string, pattern: string): string {
  if (pattern.length > MAX_PATTERN_LENGTH) fail(sourceName, where, `${field} is longer than ${MAX_PATTERN_LENGTH} characters — simplify it`);
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    fail(sourceName, where, `${field} /${pattern}/ is not a valid regular expression (${(err as Error).message}) — fix the regex (JavaScript syntax, u flag)`, err);
  }
  return pattern;
}

/**
 * Parses a YAML rule pack into recognizers. `sourceName` (usually the file path) is used in error
 * messages and recorded as each recognizer's `source`.
 *
 * ```yaml
 * version: 1
 * rules:
 *   - entity: EMPLOYEE_ID
 *     patterns: ['EMP-\d{6}']
 *     nameHints: [employee_id, gonghao, 工号]
 *     baseConfidence: 0.8
 *     validator: none        # none | luhn | mod97 | gb11643
 *     labels: { en: employee number, zh-CN: 工号 }   # optional: how the studio and report name it
 *     severity: medium       # optional: info | low | medium | high | critical (default low)
 * ```
 */
export function parseRulePack(yamlText: string, sourceName: string): Recognizer[] {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (err) {
    fail(sourceName, 'YAML', `${(err as Error).message.split('\n')[0]} — fix the YAML syntax`, err);
  }
  const pack = packSchema.safeParse(doc);
  if (!pack.success) fail(sourceName, 'pack', `${describeIssue(pack.error)} (a pack is \`rules: [ … ]\`, each rule with entity, patterns, baseConfidence)`);

  const seen = new Set<string>();
  return pack.data.rules.map((input, index) => {
    const label = typeof input === 'object' && input !== null && typeof (input as { entity?: unknown }).entity === 'string'
      ? `rule #${index + 1} (${(input as { entity: string }).entity})`
      : `rule #${index + 1}`;
    const parsed = ruleSchema.safeParse(input);
    if (!parsed.success) fail(sourceName, label, describeIssue(parsed.error));
    const rule = parsed.data;
    if (!ENTITY_NAME.test(rule.entity)) fail(sourceName, label, `entity \`${rule.entity}\` must be UPPER_SNAKE_CASE, e.g. EMPLOYEE_ID`);
    if (!(rule.validator in RULE_PACK_VALIDATORS)) {
      fail(sourceName, label, `unknown validator \`${rule.validator}\` — use one of ${Object.keys(RULE_PACK_VALIDATORS).join(', ')}`);
    }
    const key = `${rule.entity}/${rule.patterns.join('|')}`;
    if (seen.has(key)) fail(sourceName, label, 'duplicates an earlier rule with the same entity and patterns — remove one');
    seen.add(key);
    const recognizer: Recognizer = {
      entity: rule.entity,
      patterns: rule.patterns.map((p, i) => compileUserPattern(sourceName, label, `patterns[${i}]`, p)),
      hintedPatterns: rule.hintedPatterns?.map((p, i) => compileUserPattern(sourceName, label, `hintedPatterns[${i}]`, p)),
      context: rule.context,
      nameHints: rule.nameHints,
      excludedNameHints: rule.excludedNameHints,
      baseConfidence: rule.baseConfidence,
      threshold: rule.threshold,
      requiresNameHint: rule.requiresNameHint,
      specializes: rule.specializes,
      ...(rule.labels && { labels: rule.labels }),
      ...(rule.severity && { severity: rule.severity }),
      source: sourceName,
    };
    const validate = RULE_PACK_VALIDATORS[rule.validator];
    if (validate) recognizer.validate = validate;
    if (rule.requiresNameHint && rule.nameHints.length === 0) fail(sourceName, label, 'requiresNameHint is true but nameHints is empty — add hints or drop requiresNameHint');
    return recognizer;
  });
}
