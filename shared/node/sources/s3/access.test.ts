import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import { startS3Server, type TestS3Server } from '../../../../scripts/testing/s3/index.js';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import { indexAccess, whoCanRead, type AccessAnswer } from '../../../core/access/resolve.js';
import { graphNodeSchema, type GraphEdge, type GraphNode } from '../../../core/model/graph.js';
import type { CaptureRecord } from '../source.js';
import { s3Source } from './index.js';

/**
 * Bucket policies, identity policies, the public access block and replication. s3rver has no
 * policies or replication: the recording proxy answers them as AWS's XML, and Debian's awscli (an
 * independent client) proves those answers parse as AWS's do. Each test asserts the exact
 * principals per field, with deny, conditions, prefixes and RestrictPublicBuckets.
 */
const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const home = useTempHome('driftline-s3-access-test-');
let s3: TestS3Server;

const ACCOUNT = 'arn:aws:iam::111122223333';
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AnalyticsReadsPii', Effect: 'Allow', Principal: { AWS: `${ACCOUNT}:role/analytics` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/pii/*' },
    { Sid: 'EtlReadsAll', Effect: 'Allow', Principal: { AWS: `${ACCOUNT}:role/etl` }, Action: 's3:Get*', Resource: 'arn:aws:s3:::lake/*' },
    { Sid: 'EtlNotPii', Effect: 'Deny', Principal: { AWS: `${ACCOUNT}:role/etl` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/pii/*' },
    { Sid: 'PublicNews', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/public/*' },
    { Sid: 'VpnOnly', Effect: 'Allow', Principal: { AWS: `${ACCOUNT}:role/vpn` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    { Sid: 'ListerLists', Effect: 'Allow', Principal: { AWS: `${ACCOUNT}:role/lister` }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::lake' },
  ],
};
const REPLICATION = {
  Role: `${ACCOUNT}:role/replication`,
  Rules: [{ ID: 'pii-to-us', Priority: 1, Filter: { Prefix: 'pii/' }, Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::lake-backup-us', StorageClass: 'STANDARD' }, DeleteMarkerReplication: { Status: 'Disabled' } }],
};
const IDENTITY = [
  { principal: `AWS:${ACCOUNT}:user/reporter`, accessKeyIds: ['AKIAREPORTER0000001'], policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::lake/pii/users/*'] }] } },
  // `mc admin policy info readall` as MinIO prints it.
  { principal: 'minio:user/backup', policy: { PolicyName: 'readall', Policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::*'] }] } } },
];

const people = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, email: `person${i}@example.org` })).join('\n') + '\n';

function graphOf(records: CaptureRecord[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  for (const r of records) if (r.type === 'node') nodes.set(r.node.urn, graphNodeSchema.parse(r.node));
  return { nodes: [...nodes.values()], edges: records.flatMap((r) => (r.type === 'edge' ? [r.edge] : [])) };
}
const answerFor = (records: CaptureRecord[], urn: string): AccessAnswer => {
  const { nodes, edges } = graphOf(records);
  return whoCanRead(indexAccess(nodes, edges), urn);
};
const readers = (a: AccessAnswer) => Object.fromEntries(a.readers.map((r) => [r.principal, r.conditions]).sort(([x], [y]) => String(x).localeCompare(String(y))));

function aws(...args: string[]): Promise<{ stdout: string }> {
  if (!existsSync(AWS)) throw new Error('Debian\'s awscli is missing: apt-get install -y --no-install-recommends awscli');
  return run(AWS, [...args, '--endpoint-url', s3.endpoint, '--output', 'json'], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' },
    timeout: 60_000,
  });
}

let identityFile: string;
beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('lake', { policy: POLICY, replication: REPLICATION });
  await s3.createBucket('lake2', { policy: { Version: '2012-10-17', Statement: [POLICY.Statement[3]].map((st) => ({ ...st, Resource: 'arn:aws:s3:::lake2/public/*' })) }, publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } });
  for (const b of ['lake', 'lake2']) {
    await s3.putObject(b, 'pii/users/part-0.jsonl', people(30));
    await s3.putObject(b, 'public/news/part-0.jsonl', people(30));
  }
  identityFile = join(home.dir, 'identity.json');
  await writeFile(identityFile, JSON.stringify(IDENTITY));
});

afterAll(async () => {
  await s3?.close();
  home.cleanup();
});

const config = (extra: Record<string, unknown> = {}) => ({ name: 'lake-src', kind: 's3', region: 'cn-north-1', endpoint: s3.endpoint, accessKeyIdEnv: 'DL_TEST_S3_KEY', secretAccessKeyEnv: 'DL_TEST_S3_SECRET', ...extra });

describe('the proxy answers policy, replication and public access block as AWS does (awscli)', () => {
  it('get-bucket-replication prints the configuration the proxy holds', async () => {
    const { stdout } = await aws('s3api', 'get-bucket-replication', '--bucket', 'lake');
    expect(JSON.parse(stdout)).toEqual({ ReplicationConfiguration: REPLICATION });
  });

  it('a bucket without replication is ReplicationConfigurationNotFoundError, as on AWS', async () => {
    const err = await aws('s3api', 'get-bucket-replication', '--bucket', 'lake2').catch((e: { stderr: string }) => e);
    expect((err as { stderr: string }).stderr).toMatch(/ReplicationConfigurationNotFoundError/);
  });

  it('get-public-access-block and get-bucket-policy parse', async () => {
    expect(JSON.parse((await aws('s3api', 'get-public-access-block', '--bucket', 'lake2')).stdout)).toEqual({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } });
    const err = await aws('s3api', 'get-public-access-block', '--bucket', 'lake').catch((e: { stderr: string }) => e);
    expect((err as { stderr: string }).stderr).toMatch(/NoSuchPublicAccessBlockConfiguration/);
    expect(JSON.parse(JSON.parse((await aws('s3api', 'get-bucket-policy', '--bucket', 'lake')).stdout).Policy)).toEqual(POLICY);
  });
});

describe('who can read each field of a live bucket', () => {
  let records: CaptureRecord[];
  beforeAll(async () => {
    process.env.DL_TEST_S3_KEY = s3.accessKeyId;
    process.env.DL_TEST_S3_SECRET = s3.secretAccessKey;
    s3.requests.length = 0;
    records = (await collectCapture(s3Source, config({ identityPolicies: identityFile }))).records;
  });

  it('pii/users: policy and identity principals, the deny honoured, the condition named', () => {
    const a = answerFor(records, 's3://lake-src/lake/pii/users#email');
    expect(a.entities).toEqual(['EMAIL']);
    expect(readers(a)).toEqual({
      [`AWS:${ACCOUNT}:role/analytics`]: [],
      [`AWS:${ACCOUNT}:role/vpn`]: ['only if aws:SourceIp'],
      [`AWS:${ACCOUNT}:user/reporter`]: [],
      'minio:user/backup': [],
    });
    expect(a.denied.map((d) => d.principal)).toEqual([`AWS:${ACCOUNT}:role/etl`]);
    expect(a.unknown).toEqual([]);
  });

  it('public/news: anyone, etl (no deny there), vpn and backup; not the pii-only principals nor the lister', () => {
    const a = answerFor(records, 's3://lake-src/lake/public/news#email');
    expect(readers(a)).toEqual({
      '*': [],
      [`AWS:${ACCOUNT}:role/etl`]: [],
      [`AWS:${ACCOUNT}:role/vpn`]: ['only if aws:SourceIp'],
      'minio:user/backup': [],
    });
    expect(a.readers[0]).toMatchObject({ principal: '*', everyone: true });
  });

  it('RestrictPublicBuckets: the public statement grants nothing', () => {
    const a = answerFor(records, 's3://lake-src/lake2/public/news#email');
    expect(Object.keys(readers(a))).toEqual(['minio:user/backup']);
  });

  it('replication is a replicates edge to the destination bucket, with its prefix', () => {
    const edge = records.find((r) => r.type === 'edge' && r.edge.kind === 'replicates');
    expect(edge).toMatchObject({ type: 'edge', edge: { from: 's3://lake-src/lake', to: 'net://s3/lake-backup-us', evidence: { rule: 'replicates.s3-bucket', prefixes: ['pii/'], destinationBucket: 'lake-backup-us' } } });
  });

  it('only read: every request the capture sent was a GET or HEAD', () => {
    expect(s3.requests.length).toBeGreaterThan(0);
    expect(s3.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    expect(s3.requests.some((r) => 'replication' in r.query)).toBe(true);
    expect(s3.requests.some((r) => 'publicAccessBlock' in r.query)).toBe(true);
  });

  it('access key ids are kept as keyed hashes only', () => {
    const text = JSON.stringify(records);
    expect(text).not.toContain('AKIAREPORTER0000001');
    expect(graphOf(records).nodes.find((n) => n.name === `AWS:${ACCOUNT}:user/reporter`)?.props.accessKeyHashes).toHaveLength(1);
  });

  it('without identity policies the answer says it is incomplete, with the fix', async () => {
    const out = await collectCapture(s3Source, config({ buckets: ['lake'] }));
    const a = answerFor(out.records, 's3://lake-src/lake/pii/users#email');
    expect(Object.keys(readers(a))).toEqual([`AWS:${ACCOUNT}:role/analytics`, `AWS:${ACCOUNT}:role/vpn`]);
    expect(a.unknown[0].reason).toMatch(/identity policies were not given.*identityPolicies/);
  });
});

describe('a copied bucket with the AWS CLI output beside it', () => {
  it('gives the same readers and replication as the live bucket', async () => {
    const dir = join(home.dir, 'copy');
    await mkdir(join(dir, 'lake', 'pii', 'users'), { recursive: true });
    await writeFile(join(dir, 'lake', 'pii', 'users', 'part-0.jsonl'), people(30));
    await writeFile(join(dir, 'lake.policy.json'), (await aws('s3api', 'get-bucket-policy', '--bucket', 'lake')).stdout);
    await writeFile(join(dir, 'lake.replication.json'), (await aws('s3api', 'get-bucket-replication', '--bucket', 'lake')).stdout);
    const { records } = await collectCapture(s3Source, { name: 'lake-src', kind: 's3', region: 'cn-north-1', dir, identityPolicies: identityFile });
    expect(readers(answerFor(records, 's3://lake-src/lake/pii/users#email'))).toEqual({
      [`AWS:${ACCOUNT}:role/analytics`]: [],
      [`AWS:${ACCOUNT}:role/vpn`]: ['only if aws:SourceIp'],
      [`AWS:${ACCOUNT}:user/reporter`]: [],
      'minio:user/backup': [],
    });
    expect(records.some((r) => r.type === 'edge' && r.edge.kind === 'replicates' && r.edge.to === 'net://s3/lake-backup-us')).toBe(true);
  });

  it('a copy without a policy file: unknown, with what to save', async () => {
    const dir = join(home.dir, 'copy2');
    await mkdir(join(dir, 'lake', 'pii', 'users'), { recursive: true });
    await writeFile(join(dir, 'lake', 'pii', 'users', 'part-0.jsonl'), people(30));
    const { records } = await collectCapture(s3Source, { name: 'lake-src', kind: 's3', region: 'cn-north-1', dir, identityPolicies: identityFile });
    const a = answerFor(records, 's3://lake-src/lake/pii/users#email');
    expect(a.unknown.map((u) => u.reason)).toEqual([expect.stringMatching(/without lake\.policy\.json.*get-bucket-policy/)]);
  });
});
