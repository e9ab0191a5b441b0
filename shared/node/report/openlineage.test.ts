import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENLINEAGE_SCHEMA_URLS, type OpenLineageRunEvent } from '../../core/lineage/openlineage.js';
import { thirdPartyData } from '../../../scripts/testing/corpora.js';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { buildTestWorkspace } from '../../../scripts/testing/fixtures/report-workspace.js';
import { buildDemo } from '../../../scripts/build-demo.js';
import { Store } from '../store/index.js';
import { exportOpenLineage } from './exports.js';

/**
 * The OpenLineage export checked against the official OpenLineage JSON Schemas with ajv: what
 * Marquez, DataHub and OpenMetadata validate when they ingest a run event. The schemas are unchanged
 * copies from github.com/OpenLineage/OpenLineage in testdata/third-party/openlineage-spec (SOURCE.md
 * names the commit; Apache-2.0 LICENSE beside them).
 */
const SCHEMAS = thirdPartyData('openlineage-spec');
if (!existsSync(join(SCHEMAS, 'OpenLineage.json'))) {
  throw new Error(`the OpenLineage JSON Schemas were not found in ${SCHEMAS}: they are part of the repository (restore with git checkout testdata/third-party/openlineage-spec)`);
}
const schemaFile = (name: string) => JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')) as { $id: string };

// Strict, except ajv's two style checks that the official schemas do not follow (a `required` under
// `not`, unions without explicit types): they are valid JSON Schema 2020-12 all the same.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
addFormats(ajv);
ajv.addKeyword('example'); // an annotation the OpenLineage schemas use; not a JSON Schema keyword
for (const f of ['OpenLineage.json', 'SchemaDatasetFacet.json', 'ColumnLineageDatasetFacet.json', 'JobTypeJobFacet.json']) ajv.addSchema(schemaFile(f));
const validator = (url: string): ValidateFunction => {
  const v = ajv.getSchema(url);
  if (!v) throw new Error(`no schema at ${url}`);
  return v;
};
const validate = {
  runEvent: validator(OPENLINEAGE_SCHEMA_URLS.runEvent),
  schema: validator(OPENLINEAGE_SCHEMA_URLS.schema),
  columnLineage: validator(OPENLINEAGE_SCHEMA_URLS.columnLineage),
  jobType: validator(OPENLINEAGE_SCHEMA_URLS.jobType),
};

/** Every event against RunEvent, and every facet against its own facet schema (RunEvent checks only the base facet). */
function schemaErrors(events: OpenLineageRunEvent[]): string[] {
  const errors: string[] = [];
  const check = (what: string, v: ValidateFunction, value: unknown) => {
    if (!v(value)) errors.push(`${what}: ${ajv.errorsText(v.errors)}`);
  };
  for (const [i, e] of events.entries()) {
    check(`event ${i}`, validate.runEvent, e);
    if (e.job?.facets?.jobType) check(`event ${i} jobType`, validate.jobType, e.job.facets.jobType);
    for (const d of [...(e.inputs ?? []), ...(e.outputs ?? [])]) {
      if (d.facets.schema) check(`event ${i} ${d.name} schema`, validate.schema, d.facets.schema);
      if (d.facets.columnLineage) check(`event ${i} ${d.name} columnLineage`, validate.columnLineage, d.facets.columnLineage);
    }
  }
  return errors;
}

const readEvents = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as OpenLineageRunEvent);

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

describe('OpenLineage export', () => {
  let demoEvents: OpenLineageRunEvent[];
  let demoOmitted: { reason: string; edges: number }[];
  beforeAll(async () => {
    const path = tmp.path('demo.driftline');
    await buildDemo(path, { quiet: true });
    const store = Store.open(path, { readOnly: true });
    const r = await exportOpenLineage(store, tmp.path('demo.ndjson'));
    store.close();
    demoEvents = readEvents(r.path);
    demoOmitted = r.omitted;
    expect(r.events).toBe(demoEvents.length);
  }, 120_000);

  it('writes run events that validate against the official RunEvent, SchemaDatasetFacet, ColumnLineageDatasetFacet and JobTypeJobFacet schemas', () => {
    expect(demoEvents.length).toBeGreaterThan(2);
    expect(schemaErrors(demoEvents)).toEqual([]);
    for (const e of demoEvents) {
      expect(e.schemaURL).toBe(`${schemaFile('OpenLineage.json').$id}#/$defs/RunEvent`);
      expect(e.job.facets.jobType._schemaURL).toBe(`${schemaFile('JobTypeJobFacet.json').$id}#/$defs/JobTypeJobFacet`);
      for (const d of e.outputs) {
        if (d.facets.schema) expect(d.facets.schema._schemaURL).toBe(`${schemaFile('SchemaDatasetFacet.json').$id}#/$defs/SchemaDatasetFacet`);
        if (d.facets.columnLineage) expect(d.facets.columnLineage._schemaURL).toBe(`${schemaFile('ColumnLineageDatasetFacet.json').$id}#/$defs/ColumnLineageDatasetFacet`);
      }
    }
  });

  it('names each connector as a job with all it reads and writes, with column lineage and the masks applied on the way', () => {
    const cdc = demoEvents.find((e) => e.job.facets.jobType.jobType === 'CDC')!;
    expect(cdc.job.name).toBe('connect://prod-cn/kafka/shop-mysql-cdc'); // the connector's process node
    // The demo's captures are offline files: no server to name, so Driftline's own namespace.
    expect(cdc.inputs.map((d) => d.namespace)).toEqual(cdc.inputs.map(() => 'driftline://shop-db'));
    expect(cdc.inputs.map((d) => d.name)).toContain('shop.users');
    expect(cdc.outputs.map((d) => d.namespace)).toEqual(cdc.outputs.map(() => 'driftline://events'));
    const users = cdc.outputs.find((d) => d.name === 'shop.shop.users')!;
    const lineage = Object.entries(users.facets.columnLineage!.fields);
    expect(lineage.length).toBeGreaterThan(2);
    // Debezium's column.mask.with.12.chars on shop.users.id_card, said the OpenLineage way.
    expect(users.facets.columnLineage!.fields['after.id_card'].inputFields).toEqual([expect.objectContaining({ field: 'id_card', transformations: [expect.objectContaining({ subtype: 'TRANSFORMATION', masking: true, description: expect.stringMatching(/column\.mask\.with\.12\.chars/) })] })]);
    const transformations = lineage.flatMap(([, f]) => f.inputFields.flatMap((i) => i.transformations));
    expect(transformations).toContainEqual(expect.objectContaining({ subtype: 'TRANSFORMATION', masking: true }));
    expect(transformations).toContainEqual({ type: 'DIRECT', subtype: 'IDENTITY', masking: false });
    const sink = demoEvents.find((e) => e.job.facets.jobType.jobType === 'SINK')!;
    expect(sink.outputs.some((d) => d.namespace.startsWith('s3://'))).toBe(true);
    // Field lists with the PII found, no value: only entity names.
    const fields = demoEvents.flatMap((e) => [...e.inputs, ...e.outputs]).flatMap((d) => d.facets.schema?.fields ?? []);
    expect(fields.some((f) => /personal data found by Driftline: [A-Z_]+/.test(f.description ?? ''))).toBe(true);
    expect(JSON.stringify(demoEvents)).not.toMatch(/1[3-9]\d{9}/); // no raw mobile number anywhere
    // The demo's one read whose direction the configuration does not say is left out, and counted.
    expect(demoOmitted).toEqual([{ reason: 'direction-unproven', edges: 1 }]);
    expect(demoEvents.filter((e) => e.job.facets.jobType.jobType === 'WORKLOAD').map((e) => e.job.name)).toContain('k8s://prod-cn/shop/Deployment/checkout');
  });

  it('names datasets as OpenLineage does when the server is known, and is stable across exports', async () => {
    const ws = buildTestWorkspace(tmp.path('named.driftline'));
    ws.store.upsertSource({ name: 'shop-db', kind: 'mysql', region: 'cn-north-1', config: { name: 'shop-db', kind: 'mysql', region: 'cn-north-1', host: 'db.internal', port: 3307 }, baseDir: '/' });
    ws.store.upsertSource({ name: 'events', kind: 'kafka', region: 'cn-north-1', config: { name: 'events', kind: 'kafka', region: 'cn-north-1', brokers: ['kafka-1.internal:9092', 'kafka-2.internal:9092'] }, baseDir: '/' });
    const first = readEvents((await exportOpenLineage(ws.store, tmp.path('a.ndjson'))).path);
    const again = readEvents((await exportOpenLineage(ws.store, tmp.path('b.ndjson'))).path);
    ws.store.close();
    expect(schemaErrors(first)).toEqual([]);
    const cdc = first.find((e) => e.job.facets.jobType.jobType === 'CDC')!;
    expect(cdc.inputs).toMatchObject([{ namespace: 'mysql://db.internal:3307', name: 'shop.users' }]);
    expect(cdc.outputs).toMatchObject([{ namespace: 'kafka://kafka-1.internal:9092', name: 'shop.users' }]);
    expect(cdc.outputs[0].facets.columnLineage!.fields['after.phone'].inputFields).toEqual([{ namespace: 'mysql://db.internal:3307', name: 'shop.users', field: 'phone', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY', masking: false }] }]);
    const sink = first.find((e) => e.job.facets.jobType.jobType === 'SINK')!;
    expect(sink.outputs).toMatchObject([{ namespace: 's3://lake-eu', name: 'users' }]);
    expect(again.map((e) => e.run.runId)).toEqual(first.map((e) => e.run.runId));
  });

  it('is checked by validators that do reject a broken event (so the checks above can fail)', () => {
    const good = structuredClone(demoEvents[0]);
    const broken: [string, (e: any) => void][] = [
      ['run id not a UUID', (e) => { e.run.runId = 'run-1'; }],
      ['unknown event type', (e) => { e.eventType = 'DONE'; }],
      ['no job', (e) => { delete e.job; }],
      ['facet without _producer', (e) => { delete e.job.facets.jobType._producer; }],
      ['input field without its dataset', (e) => { const d = e.outputs.find((o: any) => o.facets.columnLineage); const [f] = Object.values(d.facets.columnLineage.fields) as any[]; delete f.inputFields[0].namespace; }],
    ];
    for (const [what, breakIt] of broken) {
      const e = structuredClone(good);
      if (what === 'input field without its dataset' && !e.outputs.some((o) => o.facets.columnLineage)) continue;
      breakIt(e);
      expect(schemaErrors([e]), what).not.toEqual([]);
    }
  });
});
