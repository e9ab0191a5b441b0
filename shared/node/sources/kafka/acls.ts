import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../../core/api/errors.js';
import { EVERYONE, GrantEdgeCollector, principalUrn, UNKNOWN_PRINCIPALS, type GrantEntry } from '../../../core/access/grant.js';
import { kafkaUrn } from '../../../core/model/urn.js';
import type { Phrase } from '../../../core/model/phrase.js';
import type { CaptureRecord } from '../source.js';

/**
 * Kafka ACLs as `grants` edges principal → topic (shared/core/access), from DescribeAcls (live) or,
 * offline, from `kafka-acls --list` output or a JSON file (`aclsFile`). Literal, prefixed and `*`
 * patterns are matched against the captured topics here; allow and deny, hosts and operations are
 * kept as written, so the resolver can apply Kafka's rule (a matching DENY wins over any ALLOW).
 * Group and cluster ACLs name no data and are not turned into edges.
 */
export interface AclEntry {
  /** topic | group | cluster | transactional_id | delegation_token */
  resourceType: string;
  resourceName: string;
  /** literal | prefixed */
  pattern: string;
  /** `User:alice`, `User:*` */
  principal: string;
  host: string;
  /** read | write | all | describe … (lower case) */
  operation: string;
  /** allow | deny */
  permission: string;
}

/** How the ACLs of a cluster are known. */
export type AclState =
  | { status: 'present'; acls: AclEntry[]; origin: string }
  /** No authorizer: ACLs do not restrict anything; whoever can connect reads every topic. */
  | { status: 'security-disabled'; origin: string }
  | { status: 'unknown'; reason: string; phrase?: Phrase };

/** The topics an ACL's resource pattern matches (https://kafka.apache.org/documentation/#security_authz). */
export function aclMatches(acl: Pick<AclEntry, 'resourceName' | 'pattern'>, topic: string): boolean {
  if (acl.pattern === 'prefixed') return topic.startsWith(acl.resourceName);
  return acl.resourceName === '*' || acl.resourceName === topic;
}

const scopeOf = (acl: AclEntry): GrantEntry['scope'] => (acl.pattern === 'prefixed' ? 'topic-prefix' : acl.resourceName === '*' ? 'topic-any' : 'topic');

/** Principal nodes and grants edges for the captured topics. */
export function* aclRecords(state: AclState, topics: string[], o: { source: string; region: string; fingerprint(value: string): string }): Generator<CaptureRecord> {
  const collector = new GrantEdgeCollector('grants.kafka');
  const principals = new Set<string>();
  if (state.status === 'present') {
    for (const acl of state.acls) {
      if (acl.resourceType !== 'topic') continue;
      for (const topic of topics.filter((t) => aclMatches(acl, t))) {
        principals.add(acl.principal);
        collector.add(principalUrn(o.source, acl.principal), kafkaUrn(o.source, topic), {
          privilege: acl.operation.toUpperCase(), effect: acl.permission === 'deny' ? 'deny' : 'allow', scope: scopeOf(acl),
          pattern: `${acl.pattern === 'prefixed' ? 'PREFIXED' : 'LITERAL'} topic ${acl.resourceName}`,
          ...(acl.host && acl.host !== '*' && { hosts: [acl.host] }),
          origin: state.origin,
        });
      }
    }
  } else {
    const name = state.status === 'security-disabled' ? EVERYONE : UNKNOWN_PRINCIPALS;
    principals.add(name);
    for (const topic of topics) {
      collector.add(principalUrn(o.source, name), kafkaUrn(o.source, topic), state.status === 'security-disabled'
        ? { privilege: 'READ', effect: 'allow', scope: 'open', pattern: `topic ${topic}`, origin: state.origin }
        : { privilege: 'READ', effect: 'unknown', scope: 'topic', pattern: `topic ${topic}`, origin: state.reason, ...(state.phrase && { originPhrase: state.phrase }) });
    }
  }
  for (const name of principals) {
    const user = /^User:(.+)$/.exec(name)?.[1];
    yield {
      type: 'node',
      node: {
        urn: principalUrn(o.source, name), kind: 'subject', name, source: o.source, region: o.region,
        props: {
          system: 'kafka',
          ...(name === EVERYONE && { everyone: true, reason: state.status === 'security-disabled' ? state.origin : undefined }),
          ...(name === UNKNOWN_PRINCIPALS && state.status === 'unknown' && { unknown: true, reason: state.reason }),
          // A SASL user name as a keyed hash: a Kubernetes Secret holding it is this principal's credential.
          ...(user && user !== '*' && { userHash: o.fingerprint(user) }),
        },
      },
    };
  }
  for (const edge of collector.toEdges()) yield { type: 'edge', edge };
}

const lower = (v: unknown) => String(v ?? '').toLowerCase();

/**
 * `kafka-acls --list` output: Kafka ≥2.0
 *   Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`:
 *     (principal=User:alice, host=*, operation=READ, permissionType=ALLOW)
 * and the 1.x form
 *   Current ACLs for resource `Topic:LITERAL:orders`:
 *     User:alice has Allow permission for operations: Read from hosts: *
 */
export function parseKafkaAclsList(text: string): { acls: AclEntry[]; problems: string[] } {
  const acls: AclEntry[] = [];
  const problems: string[] = [];
  let resource: { type: string; name: string; pattern: string } | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && i < 1_000_000; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const modern = /^Current ACLs for resource `ResourcePattern\(resourceType=([A-Z_]+), name=(.*), patternType=([A-Z]+)\)`/.exec(line);
    const old = /^Current ACLs for resource `([A-Za-z]+):(?:(LITERAL|PREFIXED):)?(.*)`/.exec(line);
    if (modern) {
      resource = { type: lower(modern[1]), name: modern[2], pattern: lower(modern[3]) };
      continue;
    }
    if (old) {
      resource = { type: lower(old[1]), name: old[3], pattern: lower(old[2] ?? 'literal') };
      continue;
    }
    const entry = /^\(principal=(.*), host=(.*), operation=([A-Z_]+), permissionType=([A-Z]+)\)$/.exec(line);
    const oldEntry = /^(.+) has (Allow|Deny) permission for operations: (.+) from hosts: (.+)$/.exec(line);
    if ((entry || oldEntry) && !resource) {
      problems.push(`line ${i + 1}: an ACL before any "Current ACLs for resource" line`);
      continue;
    }
    if (entry && resource) {
      acls.push({ resourceType: resource.type, resourceName: resource.name, pattern: resource.pattern, principal: entry[1], host: entry[2], operation: lower(entry[3]), permission: lower(entry[4]) });
    } else if (oldEntry && resource) {
      for (const op of oldEntry[3].split(',').map((s) => s.trim())) {
        for (const host of oldEntry[4].split(',').map((s) => s.trim())) {
          acls.push({ resourceType: resource.type, resourceName: resource.name, pattern: resource.pattern, principal: oldEntry[1], host, operation: op.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase(), permission: lower(oldEntry[2]) });
        }
      }
    }
  }
  return { acls, problems };
}

/** JSON ACLs: a flat list (as kafkajs describeAcls flattened, or `{acls:[…]}`), or kafkajs's `{resources:[{…, acls}]}` with names. */
export function parseAclsJson(doc: unknown): AclEntry[] {
  const entry = (r: Record<string, unknown>, a: Record<string, unknown>): AclEntry => ({
    resourceType: lower(r.resourceType), resourceName: String(r.resourceName ?? r.name ?? ''), pattern: lower(r.resourcePatternType ?? r.patternType ?? r.pattern ?? 'literal'),
    principal: String(a.principal ?? ''), host: String(a.host ?? '*'), operation: lower(a.operation), permission: lower(a.permissionType ?? a.permission),
  });
  const obj = doc as Record<string, unknown>;
  if (obj && Array.isArray(obj.resources)) {
    return (obj.resources as Record<string, unknown>[]).flatMap((r) => (Array.isArray(r.acls) ? (r.acls as Record<string, unknown>[]).map((a) => entry(r, a)) : []));
  }
  const list = Array.isArray(doc) ? doc : Array.isArray(obj?.acls) ? (obj.acls as unknown[]) : undefined;
  if (!list) throw new AppError('SOURCE_BAD_DATA', 'expected a JSON list of ACLs, {"acls": […]} or {"resources": [{…, "acls": […]}]}');
  return (list as Record<string, unknown>[]).map((a) => entry(a, a));
}

/** Reads `aclsFile` (kafka-acls --list text, or JSON), relative to sources.yaml. */
export async function readAclsFile(file: string, source: string, baseDir: string): Promise<{ acls: AclEntry[]; problems: string[] }> {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('NOT_FOUND', `kafka://${source}: aclsFile ${file} is not readable (${(err as NodeJS.ErrnoException).code ?? 'error'}) — save \`kafka-acls --list\` output (or the ACLs as JSON) there`, { cause: err });
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      throw new AppError('SOURCE_BAD_DATA', `kafka://${source}: aclsFile ${file} is not valid JSON — save it again, or use the text of \`kafka-acls --list\``);
    }
    try {
      return { acls: parseAclsJson(doc), problems: [] };
    } catch (err) {
      throw new AppError('SOURCE_BAD_DATA', `kafka://${source}: aclsFile ${file}: ${(err as Error).message}`);
    }
  }
  return parseKafkaAclsList(text);
}

/** The ACL state from `aclsFile`: a parse problem is a warning, an unreadable file leaves the ACLs unknown. */
export async function readAclsFileState(config: { name: string; aclsFile?: string }, ctx: { baseDir: string; warn(item: string, message: string): void; fail(item: string, error: unknown): void }): Promise<AclState> {
  try {
    const { acls, problems } = await readAclsFile(config.aclsFile!, config.name, ctx.baseDir);
    for (const p of problems.slice(0, 20)) ctx.warn(`kafka://${config.name} ACLs`, `aclsFile ${config.aclsFile}: ${p} — that ACL is left out`);
    return { status: 'present', acls, origin: `aclsFile ${config.aclsFile}` };
  } catch (err) {
    ctx.fail(`kafka://${config.name} ACLs`, err);
    return { status: 'unknown', reason: err instanceof Error ? err.message : String(err) };
  }
}
