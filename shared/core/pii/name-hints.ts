/**
 * Field-name hint matching. Column and field names come as `id_card`, `idCard`, `user.sfzh`,
 * `用户手机号` or `shoujihao`; hints are matched on word tokens so `ip` does not fire inside
 * `shipping`, while Chinese hints (no word boundaries) match as substrings.
 */

/** A prepared hint list: ASCII hints as token sequences, Han hints as substrings. */
export interface HintMatcher {
  tokenHints: readonly (readonly string[])[];
  compactHints: ReadonlySet<string>;
  /** Compact hints long enough (≥5 letters) to be trusted as a prefix/suffix of a glued word (`usermobile`, `shoujihao`). */
  gluedHints: readonly string[];
  hanHints: readonly string[];
}

const HAN = /[\u4e00-\u9fff]/;

/** Splits a field name into lowercase ASCII word tokens: `userIdCard` → [user, id, card]. */
export function tokenizeFieldName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

export function prepareHints(hints: readonly string[]): HintMatcher {
  const tokenHints: string[][] = [];
  const compactHints = new Set<string>();
  const gluedHints: string[] = [];
  const hanHints: string[] = [];
  for (const hint of hints) {
    if (HAN.test(hint)) {
      hanHints.push(hint.toLowerCase());
      continue;
    }
    const tokens = tokenizeFieldName(hint);
    if (tokens.length === 0) continue;
    tokenHints.push(tokens);
    const compact = tokens.join('');
    compactHints.add(compact);
    if (compact.length >= 5) gluedHints.push(compact);
  }
  return { tokenHints, compactHints, gluedHints, hanHints };
}

/** A field name prepared once and matched against many hint lists. */
export interface PreparedFieldName {
  lower: string;
  tokens: string[];
}

export function prepareFieldName(name: string): PreparedFieldName {
  return { lower: name.toLowerCase(), tokens: tokenizeFieldName(name) };
}

export function matchesHints(field: PreparedFieldName, hints: HintMatcher): boolean {
  for (const h of hints.hanHints) if (field.lower.includes(h)) return true;
  const { tokens } = field;
  if (tokens.length === 0) return false;
  for (const seq of hints.tokenHints) if (containsSequence(tokens, seq)) return true;
  for (const t of tokens) {
    if (hints.compactHints.has(t)) return true;
    for (const g of hints.gluedHints) if (t.length > g.length && (t.startsWith(g) || t.endsWith(g))) return true;
  }
  // `id_card_no` vs hint `idcard`: compare the glued field name too.
  if (tokens.length > 1) {
    const glued = tokens.join('');
    for (const c of hints.compactHints) if (c.length >= 5 && glued.includes(c)) return true;
  }
  return false;
}

function containsSequence(tokens: readonly string[], seq: readonly string[]): boolean {
  outer: for (let i = 0; i + seq.length <= tokens.length; i++) {
    for (let j = 0; j < seq.length; j++) if (tokens[i + j] !== seq[j]) continue outer;
    return true;
  }
  return false;
}
