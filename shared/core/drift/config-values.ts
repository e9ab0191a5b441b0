/**
 * Configuration values are data (DESIGN.md "Decisions since the first build"): ConfigMap data,
 * container env values and args, and annotations of every Kubernetes object are classified like
 * any value. A value that holds personal data or looks like a credential is never kept: it is
 * replaced by a {@link HiddenConfigValue} — a keyed hash (so desired and live still compare, and
 * drift says "changed (value hidden)") and a masked preview (so an auditor sees its shape, and the
 * lineage rules still read the host and database of a connection string).
 *
 * This is the one policy both the kubernetes source (live and dumps) and the git source (desired
 * state) apply, through the same function with the workspace's keyed fingerprint, so a value hashes
 * alike on both sides. Everything here is pure: no Node, no I/O.
 */
import { classifyValue } from '../pii/classify.js';
import { MAX_VALUE_LENGTH } from '../pii/compile.js';
import { maskValue } from '../pii/masking.js';
import { isHiddenValue, type HiddenConfigValue } from './hidden-values.js';
import { hasUnresolvedVariable } from './unresolved-substitution.js';
import { isSopsCiphertext } from './sops.js';

export { configValueText, isHiddenValue, type HiddenConfigValue } from './hidden-values.js';

/** Why a value was hidden. */
export type HiddenReason =
  | 'credential-name' // its key says it is a password, token, secret or key
  | 'credential-value' // its shape is a known credential (private key, JWT, cloud or VCS token, high entropy)
  | 'connection-password' // a connection string carrying a password
  | 'pii' // the PII classifier recognised personal data in it
  | 'flux-variable' // part of it is a Flux variable only the cluster holds: the hash is of the placeholder
  | 'sops-encrypted'; // the repository holds it encrypted with SOPS: the hash is of the ciphertext

export type Fingerprint = (value: string) => string;

/** The preview of a hidden credential: fixed, so it tells nothing about the length. */
export const MASK = '****';
/** Longest preview kept (a mounted config file can be large; its masked text is what lineage reads). */
const MAX_PREVIEW = 64 * 1024;
/** Longest value looked at line by line; beyond it a value is hashed whole and previewed by its size. */
const MAX_SCANNED = 1024 * 1024;
/** A bound on the object walk, so a hostile object cannot make it run forever. */
const MAX_WALK_STEPS = 2_000_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------
// Key names

const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'apikey', 'secretkey', 'privatekey', 'accesskey', 'accesstoken', 'authtoken', 'refreshtoken', 'clientsecret', 'sessionkey', 'signingkey', 'encryptionkey', 'masterkey', 'jwt', 'bearer']);
/** "<qualifier> key" names a credential (API_KEY, SECRET_ACCESS_KEY); a bare KEY (CACHE_KEY, SORT_KEY) does not. */
const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'signing', 'encryption', 'master', 'session', 'auth', 'client', 'license', 'hmac', 'app', 'service', 'account', 'ssh', 'gpg', 'pgp']);
const CHINESE_CREDENTIAL = /密码|口令|密钥|令牌|凭证|凭据/;

/** Words of a key name: `DB_PASSWORD`, `dbPassword`, `spring.datasource.password`, `--db-password`. */
function keyWords(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** Whether a key's name says its value is a credential: the last word decides (DB_PASSWORD yes, PASSWORD_FILE no). */
export function isCredentialKey(key: string | undefined): boolean {
  if (!key) return false;
  if (CHINESE_CREDENTIAL.test(key)) return true;
  const words = keyWords(key);
  const last = words.at(-1);
  if (!last) return false;
  if (CREDENTIAL_WORDS.has(last)) return true;
  return last === 'key' && words.length >= 2 && KEY_QUALIFIERS.has(words[words.length - 2]);
}

/** Values that name no secret even under a credential key: flags, empty, references to somewhere else. */
function isInertValue(value: string): boolean {
  const v = value.trim();
  if (v === '' || /^(true|false|yes|no|on|off|null|none|nil|enabled|disabled|required|optional)$/i.test(v)) return true;
  // ${ENV}, $(VAR), {{ .Values.x }}, ${file:/secrets/db:password}: the secret lives elsewhere.
  return /^\$\{[^}]*\}$|^\$\([A-Za-z_][A-Za-z0-9_]*\)$|^\{\{[^}]*\}\}$/.test(v);
}

// ---------------------------------------------------------------------------------------------
// Values

const KNOWN_TOKENS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----/,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, // JWT
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/, // GitHub
  /\bglpat-[A-Za-z0-9_-]{20,}\b/, // GitLab
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API key
  /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b/, // Stripe
  /^(?:Bearer|Basic)\s+[A-Za-z0-9+/=._~-]{12,}$/i, // an Authorization header value
];

function shannonBits(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

/**
 * A random-looking token: one word of 20+ token characters mixing upper case, lower case and digits,
 * with high entropy. Hex strings (commit ids, digests, checksums) and UUIDs are identifiers, not
 * secrets, and are left alone; a hex secret is still caught by its key name.
 */
export function looksLikeRandomToken(value: string): boolean {
  const v = value.trim();
  if (v.length < 20 || v.length > 512 || !/^[A-Za-z0-9+/=_\-.~]+$/.test(v)) return false;
  if (/^[0-9a-f]+$/i.test(v) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return false;
  if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/[0-9]/.test(v)) return false;
  // Words joined by separators (a DNS name, a Java class, a dotted version) are not random.
  if (/^[A-Za-z][a-z]+([.\-_][A-Za-z][a-z0-9]+)+$/.test(v)) return false;
  return shannonBits(v) >= 3.7;
}

/** Spans of a string to mask, with why. */
interface Span { start: number; end: number; mask: string; why: string }

/**
 * Passwords inside connection strings: URL user info (`mysql://app:pw@db/shop`, `redis://:pw@cache`),
 * Go DSNs (`app:pw@tcp(db:3306)/shop`) and key=value parameters (`password=pw;`, `?pwd=pw&`).
 */
function connectionPasswordSpans(text: string): Span[] {
  const spans: Span[] = [];
  const add = (start: number, end: number) => {
    const value = text.slice(start, end);
    if (end > start && !isInertValue(value)) spans.push({ start, end, mask: MASK, why: 'connection-password' });
  };
  // The scheme starts a word and is short (RFC 3986 schemes are), so a long run of letters is not retried at every position.
  for (const m of text.matchAll(/(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/([^\s:@/?#]*):([^\s@/]+)@/gi)) {
    const start = m.index! + m[0].length - 1 - m[2].length;
    add(start, start + m[2].length);
  }
  for (const m of text.matchAll(/(?:^|[\s"'(])([A-Za-z0-9_.-]+):([^\s:@/]+)@tcp\(/g)) {
    const start = m.index! + m[0].indexOf(':' + m[2] + '@tcp(') + 1;
    add(start, start + m[2].length);
  }
  for (const m of text.matchAll(/(?:^|[;?&\s,])((?:password|passwd|pwd|pass|secret|token|access_token|api_key|apikey|sslpassword)\s*=\s*)("[^"]*"|'[^']*'|[^;&\s,]+)/gi)) {
    const start = m.index! + m[0].length - m[2].length;
    add(start, start + m[2].length);
  }
  return spans;
}

/**
 * Without a key to hint at names or addresses, only text with a digit, an "@" or Chinese characters
 * can be personal data the recognizers know (phones, IDs, cards, IBANs, emails, addresses): the rest
 * is not handed to the classifier at all, which keeps long config files fast.
 */
const MAY_HOLD_PII = /[0-9@\u3400-\u9fff]/;

/** PII the classifier recognises in one short value (IP addresses in configuration are infrastructure, not people). */
function piiOf(value: string, key: string | undefined): { entity: string; masked: string } | undefined {
  const v = value.trim();
  if (v.length === 0 || v.length > MAX_VALUE_LENGTH) return undefined;
  if (key === undefined && !MAY_HOLD_PII.test(v)) return undefined;
  const match = classifyValue(v, { fieldName: key }).find((m) => m.entity !== 'IP_ADDRESS');
  return match ? { entity: match.entity, masked: maskValue(match.entity, v) } : undefined;
}

/** Sensitive spans of one short value: the whole value, or the passwords inside it. */
function valueSpans(value: string, key: string | undefined, offset: number): Span[] {
  const v = value.trim();
  if (v === '' || isInertValue(v)) return [];
  const lead = offset + value.indexOf(v);
  const whole = (mask: string, why: string): Span[] => [{ start: lead, end: lead + v.length, mask, why }];
  const inside = connectionPasswordSpans(v).map((s) => ({ ...s, start: s.start + lead, end: s.end + lead }));
  if (inside.length > 0) return inside;
  if (isCredentialKey(key)) return whole(MASK, 'credential-name');
  if (KNOWN_TOKENS.some((re) => re.test(v)) || looksLikeRandomToken(v)) return whole(MASK, 'credential-value');
  const pii = piiOf(v, key);
  if (pii) return whole(pii.masked, `pii:${pii.entity}`);
  // A sentence ("call 138 1234 5678 or mail ops@example.com"): its words, one by one.
  return /\s/.test(v) ? wordSpans(v, lead, []) : [];
}

/** Credentials and PII among the words of a text that no other rule covered. */
function wordSpans(text: string, offset: number, covered: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const start = offset + m.index!;
    if (covered.some((s) => s.start < start + m[0].length && start < s.end)) continue;
    const word = m[0].replace(/[.:]+$/, '');
    if (KNOWN_TOKENS.some((re) => re.test(word)) || looksLikeRandomToken(word)) out.push({ start, end: start + word.length, mask: MASK, why: 'credential-value' });
    else {
      const pii = piiOf(word, undefined);
      if (pii) out.push({ start, end: start + word.length, mask: pii.masked, why: `pii:${pii.entity}` });
    }
  }
  return out;
}

const KEY_VALUE_LINE = /^(\s*(?:export\s+)?["']?([A-Za-z0-9_.\-[\]/]+)["']?\s*[=:]\s*)(.*?)\s*,?\s*$/;
const XML_ELEMENT = /<([A-Za-z_][\w.-]*)>([^<]{1,512})<\/\1>/g;
const TOKEN = /[^\s"'`,;()<>[\]{}=]{5,128}/g;

/**
 * Sensitive spans of a text that is not one short value (a mounted config file, a JSON annotation):
 * key=value and `key: value` lines judged by their key and value, XML elements by their name, and
 * every other word checked for credentials and PII.
 */
function textSpans(text: string): Span[] {
  const spans: Span[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const kv = KEY_VALUE_LINE.exec(line);
    const covered: Span[] = [];
    if (kv && kv[3] !== '') {
      const raw = kv[3];
      const unquoted = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
      const at = lineStart + kv[1].length + (unquoted === raw ? 0 : 1);
      covered.push(...valueSpans(unquoted, kv[2], at));
    }
    for (const m of line.matchAll(XML_ELEMENT)) covered.push(...valueSpans(m[2], m[1], lineStart + m.index! + m[1].length + 2));
    covered.push(...connectionPasswordSpans(line).map((s) => ({ ...s, start: s.start + lineStart, end: s.end + lineStart })));
    covered.push(...wordSpans(line, lineStart, covered));
    spans.push(...covered);
    lineStart += line.length + 1;
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY/.test(text)) spans.push({ start: 0, end: text.length, mask: MASK, why: 'credential-value' });
  return spans;
}

/** Applies spans (overlaps resolved to the widest), returns the masked text and the reasons. */
function applySpans(text: string, spans: Span[]): { preview: string; why: string[] } {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  const why = new Set<string>();
  for (const s of sorted) {
    if (s.start < pos) continue;
    out += text.slice(pos, s.start) + s.mask;
    pos = s.end;
    why.add(s.why);
  }
  out += text.slice(pos);
  return { preview: out, why: [...why] };
}

/** What the policy says of one value under a key: keep it, or hide it with this preview. */
export type ConfigValueVerdict = { hide: false } | { hide: true; preview: string; why: string[] };

/** Classifies one configuration value; `key` is the name it is stored under (env name, ConfigMap key, annotation). */
export function classifyConfigValue(value: string, key?: string): ConfigValueVerdict {
  if (value.length > MAX_SCANNED) return { hide: true, preview: `(${value.length} characters, not shown)`, why: ['credential-value'] };
  const short = value.length <= MAX_VALUE_LENGTH && !value.includes('\n');
  const spans = short ? valueSpans(value, key, 0) : textSpans(value);
  if (!short && isCredentialKey(key) && !isInertValue(value)) spans.push({ start: 0, end: value.length, mask: MASK, why: 'credential-name' });
  if (spans.length === 0) return { hide: false };
  const { preview, why } = applySpans(value, spans);
  return { hide: true, preview: preview.length > MAX_PREVIEW ? `${preview.slice(0, MAX_PREVIEW)}…` : preview, why };
}

/** The value as stored: itself, or hidden. */
export function protectConfigValue(value: string, key: string | undefined, fingerprint: Fingerprint): string | HiddenConfigValue {
  // Ciphertext says nothing of the value the cluster decrypts; it is kept marked so drift can say so.
  if (isSopsCiphertext(value)) return { $hash: fingerprint(value), $preview: 'ENC[…]', $why: ['sops-encrypted'] };
  const verdict = classifyConfigValue(value, key);
  if (!verdict.hide) return value;
  // The hash of a placeholder says nothing about the cluster's value: drift must know not to compare it.
  const why = hasUnresolvedVariable(value) ? [...verdict.why, 'flux-variable' as const] : verdict.why;
  return { $hash: fingerprint(value), $preview: verdict.preview, $why: why };
}

// ---------------------------------------------------------------------------------------------
// Objects

/** kubectl apply copies the whole manifest into this annotation: it is hashed whole, never read. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

function protectMap(map: Record<string, unknown>, fingerprint: Fingerprint): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) out[k] = typeof v === 'string' ? protectConfigValue(v, k, fingerprint) : v;
  return out;
}

function protectAnnotations(annotations: Record<string, unknown>, fingerprint: Fingerprint): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(annotations)) {
    if (typeof v !== 'string') out[k] = v;
    else if (k === LAST_APPLIED) out[k] = { $hash: fingerprint(v), $preview: `(${v.length} characters: the applied manifest, not shown)`, $why: ['credential-value'] } satisfies HiddenConfigValue;
    else out[k] = protectConfigValue(v, k, fingerprint);
  }
  return out;
}

/** args/command: `--password=x`, `--password x`, `-p=x`, a DSN, or a value holding PII. */
function protectArgs(args: unknown[], fingerprint: Fingerprint): unknown[] {
  return args.map((arg, i) => {
    if (typeof arg !== 'string') return arg;
    const flag = /^(-{1,2}[A-Za-z0-9][A-Za-z0-9_.-]*)=(.*)$/s.exec(arg);
    if (flag) {
      const protectedValue = protectConfigValue(flag[2], flag[1].replace(/^-+/, ''), fingerprint);
      if (typeof protectedValue === 'string') return arg;
      return { ...protectedValue, $hash: fingerprint(arg), $preview: `${flag[1]}=${protectedValue.$preview}` } satisfies HiddenConfigValue;
    }
    const previous = args[i - 1];
    const key = typeof previous === 'string' && /^-{1,2}[A-Za-z0-9]/.test(previous) && !previous.includes('=') ? previous.replace(/^-+/, '') : undefined;
    return protectConfigValue(arg, key, fingerprint);
  });
}

function protectContainer(container: Record<string, unknown>, fingerprint: Fingerprint): Record<string, unknown> {
  const out: Record<string, unknown> = { ...container };
  if (Array.isArray(container.env)) {
    out.env = container.env.map((env) => (isRecord(env) && typeof env.value === 'string' ? { ...env, value: protectConfigValue(env.value, typeof env.name === 'string' ? env.name : undefined, fingerprint) } : env));
  }
  for (const field of ['args', 'command']) if (Array.isArray(container[field])) out[field] = protectArgs(container[field] as unknown[], fingerprint);
  return out;
}

/**
 * A copy of a Kubernetes object (anything but a Secret, whose values are all hashed by the Secret
 * policy) with every sensitive configuration value hidden: ConfigMap `data` (and all of `binaryData`,
 * which is not text), annotations at any depth (pod templates included), container env values, args
 * and commands, and any string under a key that names a credential (a connector's
 * `database.password`). The walk is iterative and bounded: nesting cannot overflow the stack.
 */
export function hideConfigValues<T>(object: T, fingerprint: Fingerprint): T {
  if (!isRecord(object)) return object;
  const isConfigMap = object.kind === 'ConfigMap';
  let steps = 0;
  const root: Record<string, unknown> = { ...object };
  if (isConfigMap && isRecord(root.data)) root.data = protectMap(root.data, fingerprint);
  if (isConfigMap && isRecord(root.binaryData)) {
    const binary: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(root.binaryData)) binary[k] = typeof v === 'string' ? ({ $hash: fingerprint(`base64:${v}`), $preview: `(binary, ${Math.floor((v.length * 3) / 4)} bytes, not shown)`, $why: ['credential-value'] } satisfies HiddenConfigValue) : v;
    root.binaryData = binary;
  }
  // Depth-first over copies: each container is copied once, where it is found, and its children visited.
  const stack: { parent: Record<string, unknown> | unknown[]; key: string | number; value: unknown }[] = [];
  const pushChildren = (node: Record<string, unknown> | unknown[]) => {
    if (Array.isArray(node)) node.forEach((value, i) => stack.push({ parent: node, key: i, value }));
    else for (const [k, value] of Object.entries(node)) if (!(node === root && isConfigMap && (k === 'data' || k === 'binaryData'))) stack.push({ parent: node, key: k, value });
  };
  pushChildren(root);
  while (stack.length > 0) {
    if (++steps > MAX_WALK_STEPS) throw new Error(`the object has more than ${MAX_WALK_STEPS} values; refused`);
    const { parent, key, value } = stack.pop()!;
    const set = (v: unknown) => { (parent as Record<string | number, unknown>)[key] = v; };
    if (typeof value === 'string') {
      if (typeof key === 'string' && isCredentialKey(key)) set(protectConfigValue(value, key, fingerprint));
      continue;
    }
    if (Array.isArray(value)) {
      const copy = CONTAINER_LISTS.includes(String(key)) ? value.map((c) => (isRecord(c) ? protectContainer(c, fingerprint) : c)) : [...value];
      set(copy);
      pushChildren(copy);
      continue;
    }
    if (!isRecord(value) || isHiddenValue(value)) continue;
    let copy: Record<string, unknown> = { ...value };
    if (key === 'metadata' && isRecord(copy.annotations)) copy = { ...copy, annotations: protectAnnotations(copy.annotations, fingerprint) };
    set(copy);
    // Annotations are done: do not visit them again (their keys are not credential names).
    if (key === 'metadata') {
      for (const [k, child] of Object.entries(copy)) if (k !== 'annotations') stack.push({ parent: copy, key: k, value: child });
    } else pushChildren(copy);
  }
  return root as T;
}

