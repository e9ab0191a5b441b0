import { translate, type Lang } from '../i18n/index.js';

/**
 * Says what a CEL validation rule (x-kubernetes-validations) requires, for the shapes CRD authors
 * write most: presence (has), "at least one" / "exactly one" / "not both", conditions (if A is set
 * then …), comparisons with a literal, immutability (self == oldSelf) and size limits. The words
 * come from the text catalogue, so the Chinese is written by people, not generated; a rule of
 * another shape is described as such and shown as written.
 */
export function describeCel(rule: string, lang: Lang): string {
  return describe(strip(rule.trim()), lang) ?? translate(lang, 'explain.cel.other');
}

/** Removes parentheses that enclose the whole expression. */
function strip(expr: string): string {
  let e = expr.trim();
  while (e.startsWith('(') && closingOf(e, 0) === e.length - 1) e = e.slice(1, -1).trim();
  return e;
}

function closingOf(e: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < e.length; i++) {
    const c = e[i];
    if (quote) { if (c === quote && e[i - 1] !== '\\') quote = undefined; continue; }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') { depth--; if (depth === 0) return i; }
  }
  return -1;
}

/** Splits at a top-level operator (outside parentheses and strings). */
function splitTop(e: string, op: '||' | '&&'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < e.length; i++) {
    const c = e[i];
    if (quote) { if (c === quote && e[i - 1] !== '\\') quote = undefined; continue; }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && e.startsWith(op, i)) { parts.push(e.slice(start, i).trim()); start = i + 2; i++; }
  }
  parts.push(e.slice(start).trim());
  return parts.map(strip);
}

const HAS = /^has\(self\.([A-Za-z0-9_.]+)\)$/;
const NOT_HAS = /^!\s*has\(self\.([A-Za-z0-9_.]+)\)$/;
const COMPARE = /^self\.([A-Za-z0-9_.]+)\s*(==|!=|<=|>=|<|>)\s*('[^']*'|"[^"]*"|-?\d+(?:\.\d+)?|true|false)$/;
const FIELD_VS_FIELD = /^self\.([A-Za-z0-9_.]+)\s*(==|!=|<=|>=|<|>)\s*self\.([A-Za-z0-9_.]+)$/;
const SIZE = /^(?:size\(self(?:\.([A-Za-z0-9_.]+))?\)|self(?:\.([A-Za-z0-9_.]+))?\.size\(\))\s*(<=|<|>=|>|==)\s*(\d+)$/;
const IMMUTABLE = /^self\s*==\s*oldSelf$/;

const OPS: Record<string, 'eq' | 'ne' | 'le' | 'ge' | 'lt' | 'gt'> = { '==': 'eq', '!=': 'ne', '<=': 'le', '>=': 'ge', '<': 'lt', '>': 'gt' };

function describe(expr: string, lang: Lang): string | undefined {
  const e = strip(expr);
  if (IMMUTABLE.test(e)) return translate(lang, 'explain.cel.immutable');
  let m = HAS.exec(e);
  if (m) return translate(lang, 'explain.cel.has', { field: m[1] });
  m = NOT_HAS.exec(e);
  if (m) return translate(lang, 'explain.cel.notHas', { field: m[1] });
  m = COMPARE.exec(e);
  if (m) return translate(lang, `explain.cel.op.${OPS[m[2]]}`, { field: m[1], value: m[3] });
  m = FIELD_VS_FIELD.exec(e);
  if (m) return translate(lang, `explain.cel.op.${OPS[m[2]]}`, { field: m[1], value: m[3] });
  m = SIZE.exec(e);
  if (m) return translate(lang, `explain.cel.size.${OPS[m[3]]}`, { field: m[1] ?? m[2] ?? 'self', value: m[4] });

  const ors = splitTop(e, '||');
  if (ors.length > 1) {
    const hasAll = ors.map((p) => HAS.exec(p)?.[1]);
    if (hasAll.every(Boolean)) return translate(lang, 'explain.cel.atLeastOne', { fields: hasAll.join(lang === 'zh-CN' ? '、' : ', ') });
    const notHasAll = ors.map((p) => NOT_HAS.exec(p)?.[1]);
    if (ors.length === 2 && notHasAll.every(Boolean)) return translate(lang, 'explain.cel.notBoth', { a: notHasAll[0]!, b: notHasAll[1]! });
    // (has(a) && !has(b)) || (!has(a) && has(b)): exactly one of a, b.
    if (ors.length === 2) {
      const [x, y] = ors.map((p) => splitTop(p, '&&'));
      if (x.length === 2 && y.length === 2) {
        const a = HAS.exec(x[0])?.[1];
        const b = NOT_HAS.exec(x[1])?.[1];
        if (a && b && NOT_HAS.exec(y[0])?.[1] === a && HAS.exec(y[1])?.[1] === b) return translate(lang, 'explain.cel.exactlyOne', { a, b });
      }
    }
    // !has(a) || condition: "if a is set, then condition".
    const unset = NOT_HAS.exec(ors[0])?.[1];
    if (unset && ors.length === 2) {
      const then = describe(ors[1], lang);
      if (then) return translate(lang, 'explain.cel.ifSet', { field: unset, then });
    }
    const described = ors.map((p) => describe(p, lang));
    if (described.every(Boolean)) return described.join(translate(lang, 'explain.cel.or'));
    return undefined;
  }
  const ands = splitTop(e, '&&');
  if (ands.length > 1) {
    const described = ands.map((p) => describe(p, lang));
    if (described.every(Boolean)) return described.join(translate(lang, 'explain.cel.and'));
  }
  return undefined;
}
