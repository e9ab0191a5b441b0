import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import { startConnectServer, type TestConnectServer } from '../../../../scripts/testing/kafka-connect/index.js';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import { connectorsIn } from '../../../core/lineage/connectors.js';
import { kafkaConnectSource } from './index.js';

const run = promisify(execFile);
const home = useTempHome('driftline-kafka-connect-');
let server: TestConnectServer;
const PLAINTEXT_PASSWORD = 'dbz-plaintext-Pw1';

const debezium = {
  'connector.class': 'io.debezium.connector.mysql.MySqlConnector', 'topic.prefix': 'shop', 'table.include.list': 'shop.users',
  'database.user': 'debezium', 'database.password': PLAINTEXT_PASSWORD, 'column.mask.with.12.chars': 'shop.users.id_card',
};
const sink = { 'connector.class': 'io.confluent.connect.s3.S3SinkConnector', topics: 'shop.shop.users', 's3.bucket.name': 'lake-eu', 'aws.secret.access.key': '${file:/opt/secrets.properties:s3.secret}' };

beforeAll(async () => {
  server = await startConnectServer([{ name: 'shop-cdc', config: debezium }, { name: 'lake-sink', config: sink, state: 'PAUSED' }]);
});
afterAll(async () => {
  await server?.close();
  home.cleanup();
});

async function curl(path: string, method = 'GET'): Promise<{ code: number; body: unknown }> {
  const { stdout } = await run('curl', ['-s', '-X', method, '-w', '\n%{http_code}', `${server.url}${path}`]).catch((err) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('curl is not installed: apt-get install -y curl');
    throw err;
  });
  const i = stdout.lastIndexOf('\n');
  return { code: Number(stdout.slice(i + 1)), body: JSON.parse(stdout.slice(0, i)) };
}

describe('the test Connect REST server, seen by curl', () => {
  it('answers the REST read calls as a Connect worker does', async () => {
    expect(await curl('/connectors')).toEqual({ code: 200, body: ['shop-cdc', 'lake-sink'] });
    expect((await curl('/connectors/shop-cdc/config')).body).toMatchObject({ 'connector.class': debezium['connector.class'], name: 'shop-cdc' });
    expect((await curl('/connectors/lake-sink/status')).body).toMatchObject({ name: 'lake-sink', connector: { state: 'PAUSED' }, type: 'sink', tasks: [{ id: 0, state: 'PAUSED' }] });
    expect(await curl('/connectors/nope/config')).toEqual({ code: 404, body: { error_code: 404, message: 'Connector nope not found' } });
    expect((await curl('/connectors/shop-cdc', 'DELETE')).code).toBe(405);
  });
});

describe('kind: kafka-connect', () => {
  it('captures every connector as a process node and its config, sending only GET /connectors, …/config and …/status', async () => {
    const before = server.requests.length;
    const out = await collectCapture(kafkaConnectSource, { name: 'events-connect', kind: 'kafka-connect', region: 'cn-north-1', url: server.url });
    expect(out.failures).toEqual([]);
    const sent = server.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /connectors', 'GET /connectors/lake-sink/config', 'GET /connectors/lake-sink/status', 'GET /connectors/shop-cdc/config', 'GET /connectors/shop-cdc/status']);
    const nodes = out.records.flatMap((r) => (r.type === 'node' ? [r.node] : []));
    expect(nodes.map((n) => [n.urn, n.kind, n.props?.state])).toEqual([['connect://events-connect/shop-cdc', 'connector', 'RUNNING'], ['connect://events-connect/lake-sink', 'connector', 'PAUSED']]);
    const configs = out.records.flatMap((r) => (r.type === 'config' ? [r] : []));
    // The lineage rules find the connector in the captured config, under its own name and process URN.
    expect(connectorsIn(configs[0].urn, configs[0].content).map((c) => [c.name, c.className])).toEqual([['shop-cdc', debezium['connector.class']]]);
    // Secrets never leave the source: a plaintext password becomes a keyed hash; a provider reference stays.
    const text = JSON.stringify(out.records);
    expect(text).not.toContain(PLAINTEXT_PASSWORD);
    expect((configs[0].content as { config: Record<string, unknown> }).config['database.password']).toEqual({ $hash: out.fingerprint(PLAINTEXT_PASSWORD) });
    expect((configs[1].content as { config: Record<string, unknown> }).config['aws.secret.access.key']).toBe(sink['aws.secret.access.key']);
  });

  it('captures offline from the JSON of GET /connectors?expand=info&expand=status', async () => {
    const { stdout } = await run('curl', ['-s', `${server.url}/connectors?expand=info&expand=status`]);
    await writeFile(home.path('connectors.json'), stdout);
    const out = await collectCapture(kafkaConnectSource, { name: 'events-connect', kind: 'kafka-connect', region: 'cn-north-1', file: 'connectors.json' }, { baseDir: home.dir });
    const nodes = out.records.flatMap((r) => (r.type === 'node' ? [r.node] : []));
    expect(nodes.map((n) => [n.urn, n.props?.className, n.props?.state])).toEqual([
      ['connect://events-connect/shop-cdc', debezium['connector.class'], 'RUNNING'], ['connect://events-connect/lake-sink', sink['connector.class'], 'PAUSED'],
    ]);
    expect(JSON.stringify(out.records)).not.toContain(PLAINTEXT_PASSWORD);
  });

  it.each([
    ['not JSON', 'nope{', /is not JSON/],
    ['missing', undefined, /cannot be read .* check file in sources\.yaml/],
  ])('says what is wrong with an offline file that is %s', async (_why, text, error) => {
    if (text !== undefined) await writeFile(home.path('bad.json'), text);
    const file = text !== undefined ? 'bad.json' : 'missing.json';
    await expect(collectCapture(kafkaConnectSource, { name: 'c', kind: 'kafka-connect', region: 'cn-north-1', file }, { baseDir: home.dir })).rejects.toThrow(error);
  });

  it('names the URL when no Connect worker answers there', async () => {
    await expect(collectCapture(kafkaConnectSource, { name: 'c', kind: 'kafka-connect', region: 'cn-north-1', url: 'http://127.0.0.1:1' })).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:1 .* check url in sources\.yaml/);
  });
});
