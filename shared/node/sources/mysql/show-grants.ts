/**
 * Parses `SHOW GRANTS` output of MySQL 5.7/8 and MariaDB 10.x
 * (https://mariadb.com/kb/en/show-grants/, https://dev.mysql.com/doc/refman/8.0/en/show-grants.html):
 *
 *   GRANT USAGE ON *.* TO `report`@`%` IDENTIFIED BY PASSWORD '*A4B6…'
 *   GRANT SELECT, INSERT ON `shop`.* TO 'app'@'10.0.%'
 *   GRANT SELECT (`email`, `id`), UPDATE (`note`) ON `shop`.`users` TO `support`@`%`
 *   GRANT `reader` TO `bob`@`%`                 (a role; MySQL 8 writes `reader`@`%`)
 *   SET DEFAULT ROLE `reader` FOR `bob`@`%`
 *
 * Only privileges, levels, grantees and roles are kept. Everything after the grantee
 * (IDENTIFIED BY PASSWORD hashes, REQUIRE, WITH options) is dropped unread.
 */

export interface MysqlAccount {
  user: string;
  /** Undefined for a MariaDB role (roles have no host). */
  host?: string;
}

export interface ParsedPrivilegeGrant {
  grantee: MysqlAccount;
  /** Upper-case privilege names with the columns of a column grant. */
  privileges: { name: string; columns?: string[] }[];
  level: { kind: 'global' } | { kind: 'database'; database: string } | { kind: 'table'; database: string; table: string } | { kind: 'other'; text: string };
  /** The line as far as the grantee: for evidence, never holding a password hash. */
  statement: string;
}

export interface ParsedRoleGrant {
  grantee: MysqlAccount;
  roles: MysqlAccount[];
}

export interface ParsedGrants {
  privileges: ParsedPrivilegeGrant[];
  roles: ParsedRoleGrant[];
  /** `SET DEFAULT ROLE r FOR u`: account display name → its default roles. */
  defaultRoles: Map<string, string[]>;
  /** Lines that looked like a grant but could not be read, with why (never the line itself: it may hold a hash). */
  problems: string[];
}

/** `report@%`, or `reader` for a role: the principal's display name. */
export const accountName = (a: MysqlAccount): string => (a.host === undefined ? a.user : `${a.user}@${a.host}`);

/** Reads one quoted or bare identifier at `i`; returns it and the index after it. */
function readIdentifier(s: string, i: number): { value: string; end: number } | undefined {
  const q = s[i];
  if (q === '`' || q === "'" || q === '"') {
    let value = '';
    let j = i + 1;
    for (; j < s.length; j++) {
      if (s[j] === q) {
        if (s[j + 1] === q) {
          value += q;
          j++;
          continue;
        }
        return { value, end: j + 1 };
      }
      if (s[j] === '\\' && q !== '`' && j + 1 < s.length) {
        value += s[++j];
        continue;
      }
      value += s[j];
    }
    return undefined;
  }
  const m = /^[A-Za-z0-9_$*%.\-]+/.exec(s.slice(i));
  return m ? { value: m[0], end: i + m[0].length } : undefined;
}

/** `'user'@'host'`, `` `user`@`host` `` or a bare role name, at `i`. */
function readAccount(s: string, i: number): { account: MysqlAccount; end: number } | undefined {
  const user = readIdentifier(s, i);
  if (!user) return undefined;
  if (s[user.end] !== '@') return { account: { user: user.value }, end: user.end };
  const host = readIdentifier(s, user.end + 1);
  if (!host) return undefined;
  return { account: { user: user.value, host: host.value }, end: host.end };
}

function readAccountList(s: string): { accounts: MysqlAccount[]; end: number } {
  const accounts: MysqlAccount[] = [];
  let i = 0;
  for (let guard = 0; guard < 1000; guard++) {
    while (s[i] === ' ') i++;
    const a = readAccount(s, i);
    if (!a) break;
    accounts.push(a.account);
    i = a.end;
    while (s[i] === ' ') i++;
    if (s[i] !== ',') break;
    i++;
  }
  return { accounts, end: i };
}

/** Splits `SELECT (a, b), INSERT` at top-level commas. */
function splitPrivileges(text: string): { name: string; columns?: string[] }[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let cur = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '`' || ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean).map((p) => {
    const m = /^([A-Za-z ]+?)\s*\((.*)\)$/.exec(p);
    if (!m) return { name: p.toUpperCase().replace(/\s+/g, ' ') };
    const columns: string[] = [];
    let i = 0;
    const inner = m[2];
    for (let guard = 0; guard < 10_000 && i < inner.length; guard++) {
      while (inner[i] === ' ' || inner[i] === ',') i++;
      const id = readIdentifier(inner, i);
      if (!id) break;
      columns.push(id.value);
      i = id.end;
    }
    return { name: m[1].toUpperCase().replace(/\s+/g, ' '), columns };
  });
}

/** `*.*`, `` `shop`.* ``, `` `shop`.`users` ``, `shop.users`. */
function parseLevel(text: string): ParsedPrivilegeGrant['level'] {
  const t = text.trim();
  if (t === '*.*' || t === '*') return { kind: 'global' };
  const db = readIdentifier(t, 0);
  if (!db || t[db.end] !== '.') return { kind: 'other', text: t };
  if (t.slice(db.end + 1) === '*') return { kind: 'database', database: db.value };
  const table = readIdentifier(t, db.end + 1);
  if (!table || table.end !== t.length) return { kind: 'other', text: t };
  return { kind: 'table', database: db.value, table: table.value };
}

/** Finds ` ON ` and ` TO ` outside quotes and parentheses. */
function topLevelKeyword(s: string, keyword: string, from = 0): number {
  let quote: string | undefined;
  let depth = 0;
  const upper = s.toUpperCase();
  for (let i = from; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '`' || ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && upper.startsWith(` ${keyword} `, i)) return i;
  }
  return -1;
}

/**
 * Parses SHOW GRANTS text: one statement per line, as `mysql -N -e "SHOW GRANTS FOR …"` prints it,
 * in a grid (`| GRANT … |`), or with a trailing `;`. Header lines (`Grants for report@%`) and
 * anything else are skipped.
 */
export function parseShowGrants(text: string): ParsedGrants {
  const out: ParsedGrants = { privileges: [], roles: [], defaultRoles: new Map(), problems: [] };
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length && n < 1_000_000; n++) {
    let line = lines[n].trim().replace(/^\|\s*/, '').replace(/\s*\|$/, '').replace(/;\s*$/, '').trim();
    if (/^SET DEFAULT ROLE /i.test(line)) {
      const body = line.slice('SET DEFAULT ROLE '.length);
      const forAt = topLevelKeyword(` ${body}`, 'FOR');
      if (forAt === -1) continue;
      const roles = /^NONE\b/i.test(body) ? [] : readAccountList(body.slice(0, Math.max(0, forAt - 1))).accounts.map(accountName);
      const user = readAccount(body, forAt + 4);
      if (user) out.defaultRoles.set(accountName(user.account), roles);
      continue;
    }
    if (!/^GRANT /i.test(line)) continue;
    line = line.slice(6);
    const toAt = topLevelKeyword(line, 'TO');
    if (toAt === -1) {
      out.problems.push(`line ${n + 1}: a GRANT without TO`);
      continue;
    }
    const grantee = readAccount(line, toAt + 4);
    if (!grantee) {
      out.problems.push(`line ${n + 1}: the grantee after TO could not be read`);
      continue;
    }
    const head = line.slice(0, toAt);
    const onAt = topLevelKeyword(head, 'ON');
    const statement = `GRANT ${line.slice(0, grantee.end)}`;
    if (onAt === -1) {
      // A role grant: GRANT role[, role] TO account.
      const roles = readAccountList(head).accounts;
      if (roles.length) out.roles.push({ grantee: grantee.account, roles });
      continue;
    }
    let target = head.slice(onAt + 4).trim();
    const objectType = /^(TABLE|FUNCTION|PROCEDURE|PACKAGE BODY|PACKAGE)\s+/i.exec(target);
    if (objectType && !/^TABLE/i.test(objectType[1])) {
      out.privileges.push({ grantee: grantee.account, privileges: splitPrivileges(head.slice(0, onAt)), level: { kind: 'other', text: target }, statement });
      continue;
    }
    if (objectType) target = target.slice(objectType[0].length);
    const privileges = splitPrivileges(head.slice(0, onAt));
    // GRANT PROXY ON ''@'%' names an account, not data.
    const level = privileges.some((p) => p.name === 'PROXY') ? { kind: 'other' as const, text: target } : parseLevel(target);
    out.privileges.push({ grantee: grantee.account, privileges, level, statement });
  }
  return out;
}

/** MySQL's LIKE-style database patterns in grants (`shop\_%`): `%` any run, `_` one character, `\` escapes. */
export function databasePatternMatches(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(name);
}
