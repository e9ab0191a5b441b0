import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import { startKafkaBroker, type AclSpec, type TestKafkaBroker } from '../../../../scripts/testing/kafka-broker/index.js';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import { indexAccess, whoCanRead, type AccessAnswer } from '../../../core/access/resolve.js';
import { graphNodeSchema, type GraphEdge, type GraphNode } from '../../../core/model/graph.js';
import type { CaptureRecord } from '../source.js';
import { parseKafkaAclsList } from './acls.js';
import { kafkaSource } from './index.js';

/**
 * Kafka ACLs from the test broker's DescribeAcls (the real wire protocol, read by kafkajs) and from
 * `kafka-acls --list` text, resolved per PII field: literal, prefixed and `*` patterns, allow and
 * deny, hosts, and operations that do not read.
 */
const home = useTempHome('driftline-acls-test-');
let broker: TestKafkaBroker;

const ACLS: AclSpec[] = [
  { resourceType: 'topic', resourceName: 'customers', principal: 'User:analytics', operation: 'read', permission: 'allow' },
  { resourceType: 'group', resourceName: 'analytics', principal: 'User:analytics', operation: 'read', permission: 'allow' },
  { resourceType: 'topic', resourceName: 'cust', patternType: 'prefixed', principal: 'User:etl', operation: 'read', permission: 'allow' },
  { resourceType: 'topic', resourceName: 'customers', principal: 'User:intern', operation: 'read', permission: 'allow' },
  { resourceType: 'topic', resourceName: 'customers', principal: 'User:intern', operation: 'read', permission: 'deny' },
  { resourceType: 'topic', resourceName: 'customers', principal: 'User:partner', host: '10.1.2.3', operation: 'read', permission: 'allow' },
  { resourceType: 'topic', resourceName: 'public-', patternType: 'prefixed', principal: 'User:*', operation: 'read', permission: 'allow' },
  { resourceType: 'topic', resourceName: 'customers', principal: 'User:ops', operation: 'describe', permission: 'allow' },
  { resourceType: 'topic', resourceName: '*', principal: 'User:legacy', operation: 'all', permission: 'allow' },
  { resourceType: 'topic', resourceName: '*', principal: 'User:legacy', host: '10.9.9.9', operation: 'read', permission: 'deny' },
  { resourceType: 'topic', resourceName: 'customers', principal: 'User:writer', operation: 'write', permission: 'allow' },
];

const customers = (n: number) => Array.from({ length: n }, (_, i) => ({ value: JSON.stringify({ id: i, email: `customer${i}@example.org` }) }));

function graphOf(records: CaptureRecord[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  for (const r of records) if (r.type === 'node') nodes.set(r.node.urn, graphNodeSchema.parse(r.node));
  return { nodes: [...nodes.values()], edges: records.flatMap((r) => (r.type === 'edge' ? [r.edge] : [])) };
}

function answerFor(records: CaptureRecord[], urn: string): AccessAnswer {
  const { nodes, edges } = graphOf(records);
  return whoCanRead(indexAccess(nodes, edges), urn);
}

const readers = (a: AccessAnswer) => Object.fromEntries(a.readers.map((r) => [r.principal, r.conditions]));

beforeAll(async () => {
  broker = await startKafkaBroker({ topics: [{ name: 'customers', partitions: 1 }, { name: 'public-news', partitions: 1 }], acls: ACLS });
  broker.produce('customers', 0, customers(30));
  broker.produce('public-news', 0, customers(30));
});

afterAll(async () => {
  await broker?.close();
  home.cleanup();
});

const EXPECTED_CUSTOMERS = {
  'User:analytics': [],
  'User:etl': [],
  'User:legacy': ['except from host 10.9.9.9 (DescribeAcls on BROKER)'],
  'User:partner': ['only from host 10.1.2.3'],
};

describe('Kafka ACLs from DescribeAcls', () => {
  let records: CaptureRecord[];
  beforeAll(async () => {
    records = (await collectCapture(kafkaSource, { name: 'events', kind: 'kafka', region: 'cn-north-1', brokers: [broker.bootstrap], sampleMessages: 30 })).records;
  });

  it('lists exactly the principals that can read the PII field, honouring deny and hosts', () => {
    const a = answerFor(records, 'kafka://events/customers#email');
    expect(a.entities).toEqual(['EMAIL']);
    expect(readers(a)).toEqual(JSON.parse(JSON.stringify(EXPECTED_CUSTOMERS).replace('BROKER', `${broker.bootstrap}`)));
    expect(a.denied.map((d) => d.principal)).toEqual(['User:intern']);
  });

  it('a prefixed wildcard-principal ACL reaches its topics only: everyone reads public-news', () => {
    const a = answerFor(records, 'kafka://events/public-news#email');
    expect(Object.keys(readers(a)).sort()).toEqual(['User:*', 'User:legacy']);
    expect(a.readers.find((r) => r.principal === 'User:*')?.everyone).toBe(true);
  });

  it('the broker saw only DescribeAcls and reads, never an ACL change', () => {
    const names = new Set(broker.requests.map((r) => r.apiName));
    expect(names.has('DescribeAcls')).toBe(true);
    for (const n of names) expect(['ApiVersions', 'Metadata', 'DescribeAcls', 'DescribeConfigs', 'ListGroups', 'DescribeGroups', 'OffsetFetch', 'FindCoordinator', 'ListOffsets', 'Fetch']).toContain(n);
  });

  it('hashes SASL user names so a Secret holding one can be matched, never stores them raw in props', () => {
    const { nodes } = graphOf(records);
    const etl = nodes.find((n) => n.name === 'User:etl')!;
    expect(etl.props.userHash).toMatch(/^[0-9a-f]{32,}$/);
  });
});

describe('no authorizer', () => {
  it('everyone who can connect reads every topic: said so, as a reader "*"', async () => {
    const open = await startKafkaBroker({ topics: [{ name: 'customers', partitions: 1 }] });
    try {
      open.produce('customers', 0, customers(20));
      const { records } = await collectCapture(kafkaSource, { name: 'open', kind: 'kafka', region: 'cn-north-1', brokers: [open.bootstrap] });
      const a = answerFor(records, 'kafka://open/customers#email');
      expect(a.readers.map((r) => [r.principal, r.everyone])).toEqual([['*', true]]);
      expect(a.readers[0].chain[0].text).toMatch(/no authorizer/);
    } finally {
      await open.close();
    }
  });
});

describe('Kafka ACLs offline', () => {
  const LIST = `Current ACLs for resource \`ResourcePattern(resourceType=TOPIC, name=customers, patternType=LITERAL)\`:
 	(principal=User:analytics, host=*, operation=READ, permissionType=ALLOW)
	(principal=User:intern, host=*, operation=READ, permissionType=ALLOW)
	(principal=User:intern, host=*, operation=READ, permissionType=DENY)
	(principal=User:partner, host=10.1.2.3, operation=READ, permissionType=ALLOW)
	(principal=User:ops, host=*, operation=DESCRIBE, permissionType=ALLOW)

Current ACLs for resource \`ResourcePattern(resourceType=TOPIC, name=cust, patternType=PREFIXED)\`:
 	(principal=User:etl, host=*, operation=READ, permissionType=ALLOW)

Current ACLs for resource \`ResourcePattern(resourceType=TOPIC, name=*, patternType=LITERAL)\`:
 	(principal=User:legacy, host=*, operation=ALL, permissionType=ALLOW)
	(principal=User:legacy, host=10.9.9.9, operation=READ, permissionType=DENY)

Current ACLs for resource \`ResourcePattern(resourceType=GROUP, name=analytics, patternType=LITERAL)\`:
 	(principal=User:analytics, host=*, operation=READ, permissionType=ALLOW)
`;

  it('kafka-acls --list beside a kcat dump gives the same readers as DescribeAcls', async () => {
    const dump = join(home.dir, 'events.jsonl');
    await writeFile(dump, customers(20).map((m, i) => JSON.stringify({ topic: 'customers', partition: 0, offset: i, key: null, payload: m.value })).join('\n') + '\n');
    const acls = join(home.dir, 'acls.txt');
    await writeFile(acls, LIST);
    const { records } = await collectCapture(kafkaSource, { name: 'events', kind: 'kafka', region: 'cn-north-1', file: dump, aclsFile: acls });
    const a = answerFor(records, 'kafka://events/customers#email');
    expect(readers(a)).toEqual(JSON.parse(JSON.stringify(EXPECTED_CUSTOMERS).replace('DescribeAcls on BROKER', `aclsFile ${acls}`)));
    expect(a.denied.map((d) => d.principal)).toEqual(['User:intern']);
  });

  it('a dump without aclsFile: who can read is unknown, with the fix', async () => {
    const dump = join(home.dir, 'events2.jsonl');
    await writeFile(dump, customers(20).map((m, i) => JSON.stringify({ topic: 'customers', partition: 0, offset: i, key: null, payload: m.value })).join('\n') + '\n');
    const { records } = await collectCapture(kafkaSource, { name: 'events', kind: 'kafka', region: 'cn-north-1', file: dump });
    const a = answerFor(records, 'kafka://events/customers#email');
    expect(a.readers).toEqual([]);
    expect(a.unknown[0].reason).toMatch(/without aclsFile.*kafka-acls --list/);
  });

  it('a DENY for a principal with no ALLOW of its own stops it even though User:* may read (User:bob denied)', async () => {
    const dump = join(home.dir, 'events3.jsonl');
    await writeFile(dump, customers(20).map((m, i) => JSON.stringify({ topic: 'customers', partition: 0, offset: i, key: null, payload: m.value })).join('\n') + '\n');
    const acls = join(home.dir, 'acls-everyone.txt');
    await writeFile(acls, `Current ACLs for resource \`ResourcePattern(resourceType=TOPIC, name=customers, patternType=LITERAL)\`:
 \t(principal=User:*, host=*, operation=READ, permissionType=ALLOW)
\t(principal=User:bob, host=*, operation=READ, permissionType=DENY)
\t(principal=User:carol, host=10.0.0.9, operation=ALL, permissionType=DENY)
\t(principal=User:dave, host=*, operation=WRITE, permissionType=DENY)
`);
    const { records } = await collectCapture(kafkaSource, { name: 'events', kind: 'kafka', region: 'cn-north-1', file: dump, aclsFile: acls });
    const a = answerFor(records, 'kafka://events/customers#email');
    expect(a.denied.map((d) => [d.principal, d.deny.map((g) => `${g.effect} ${g.privilege}`)])).toEqual([['User:bob', ['deny READ']]]);
    expect(readers(a)).toEqual({ 'User:*': [
      `except User:bob, whom a DENY stops (aclsFile ${acls})`,
      `except User:carol from host 10.0.0.9, where a DENY stops it (aclsFile ${acls})`,
    ] });
    // A DENY of an operation that does not read (dave may not write) changes nothing for readers.
    expect(JSON.stringify(a)).not.toContain('User:dave');
  });

  it('reads the Kafka 1.x text form too', () => {
    const { acls } = parseKafkaAclsList('Current ACLs for resource `Topic:LITERAL:orders`:\n \tUser:alice has Allow permission for operations: Read,DescribeConfigs from hosts: *\n');
    expect(acls.map((a) => [a.principal, a.operation, a.permission, a.host])).toEqual([['User:alice', 'read', 'allow', '*'], ['User:alice', 'describe_configs', 'allow', '*']]);
  });
});
