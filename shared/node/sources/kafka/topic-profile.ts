import { decodeSchemaEnvelope, FieldProfiler, fingerprintOrder } from '../../../core/pii/index.js';
import { kafkaUrn } from '../../../core/model/urn.js';
import type { GraphEdge, GraphNodeInput } from '../../../core/model/graph.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { decodePayload, forEachJsonLeaf, MAX_JSON_DEPTH, MAX_JSON_LEAVES, unwrapDebezium, unwrapSchemaPayload, type DebeziumInfo, type Encoding } from './decode.js';
import { WantedPaths } from './json-fields.js';
import type { FramedDecoder, SchemaSubject } from './schema-registry.js';


/** Facts about a topic that come from the cluster (live) or the dump (offline). */
export interface TopicFacts {
  partitions: number;
  replication?: number;
  configs?: Record<string, string | null>;
  /** Sum over partitions of (high watermark − log start): an upper bound on retained messages. */
  messageCount: number;
  consumerGroups?: { group: string; lag: number }[];
  acls?: { principal: string; host: string; operation: string; permission: string; pattern: string }[];
  /** Latest `<topic>-key`/`<topic>-value` subjects of the schema registry, when one is configured. */
  schemaSubjects?: SchemaSubject[];
}

export interface TopicProfileOptions {
  /**
   * The classification sample's stride: one message in `profileEvery` (the first one included) is
   * decoded whole and profiled; the others are counted and give the fingerprint candidates of the
   * fields the sample found could be identifying (read raw, json-fields.ts), so value lineage still
   * sees every message. 1 (the default) profiles every message.
   */
  profileEvery?: number;
  /** The source's region (national phone numbers), for the verdicts taken mid-stream. */
  region?: string;
}

/**
 * Profiled messages after which fields without any verdict stop being read out of the counted
 * messages: a field the sample has not found to hold PII by then gets no fingerprints for lineage
 * unless a verdict turns up later, which the scan report then says.
 */
export const PRUNE_AFTER_PROFILED = 500;

/**
 * Accumulates the sampled messages of one topic as field path → values, then classifies each
 * field and yields graph records. Values live only in memory here: records carry verdicts,
 * masked examples and keyed fingerprints, never a raw value.
 */
export class TopicProfile {
  readonly encodings: Record<Encoding, number> = { json: 0, text: 0, avro: 0, 'json-schema': 0, protobuf: 0, framed: 0, binary: 0, empty: 0 };
  /** Framed payloads (values or keys) the registry could not decode: problem → count and schema ids. */
  readonly undecoded = new Map<string, { count: number; schemaIds: Set<number> }>();
  /** Messages read and counted. */
  sampled = 0;
  /** Of those, the messages decoded whole and profiled (the classification sample); the others were counted and gave only their identifying fields. */
  profiled = 0;
  oversize = 0;
  /** Messages nested deeper than MAX_JSON_DEPTH or with more than MAX_JSON_LEAVES values: profiled only in part. */
  partial = 0;
  debezium?: DebeziumInfo;
  private readonly fields: FieldProfiler;
  /** Fields whose values the classification sample found could be identifying: read out of the other messages for fingerprints. */
  private readonly wanted = new WantedPaths();
  private readonly wantedInKeys = new WantedPaths('$key');
  private readonly profileEvery: number;
  /** Fields no longer read out of counted messages (no verdict after PRUNE_AFTER_PROFILED): path → messages counted by then. */
  private readonly pruned = new Map<string, number>();
  /** Pruned fields that had a verdict in the end (set by toRecords): their fingerprints miss the messages counted after pruning. */
  readonly prunedWithVerdicts = new Map<string, number>();
  /** Fields first seen in the classification sample after messages had been counted: path → messages counted by then. */
  readonly learntLate = new Map<string, number>();
  /** Path, value… read out of the message being counted (reused: messages are many). */
  private readonly found: (string | null)[] = [];
  /** Text keys (not JSON) the sample found could be identifying. */
  private textKeyWanted = false;
  /**
   * False once a profiled message was not plain JSON (a `{schema, payload}` wrapper, logical types, a
   * framed or text payload): field paths and values then differ from the raw bytes, so every message
   * is decoded whole.
   */
  private rawPathsHold = true;

  /**
   * `decoder`: resolves schema-registry framed payloads; without it they are only counted.
   * `options.profileEvery`: the classification sample's stride (see TopicProfileOptions). The shared
   * profiler (shared/core/pii) keeps a bounded sample per field for classification either way.
   */
  constructor(readonly topic: string, private readonly decoder?: FramedDecoder, options: TopicProfileOptions = {}) {
    this.profileEvery = options.profileEvery ?? 1;
    this.fields = new FieldProfiler({
      maxFields: 2_000,
      container: topic,
      region: options.region,
      fieldNameOf: (path) => (path === '$value' ? topic : lastSegment(path)),
    });
  }

  /** Distinct fields past the profiler's cap that were not kept (their values were counted, not classified). */
  get fieldsDropped(): number {
    return this.fields.fieldsDropped;
  }

  /** Adds one message of `partition` (each partition is a stratum of the sample). Oversize messages must be reported with `addOversize` instead. */
  async add(key: Buffer | null | undefined, value: Buffer | null | undefined, partition?: number): Promise<void> {
    if (this.countRaw(key, value)) return;
    this.sampled++;
    this.profiled++;
    const decoded = await this.resolve(value);
    this.encodings[decoded.encoding]++;
    // Both payloads are resolved before any value is offered: a message is profiled whole or not at all.
    const k = await this.resolve(key);
    const stratum = partition === undefined ? '' : String(partition);
    const offer = (path: string, v: string | null) => this.fields.add(path, v, stratum);
    // With a stride, the profiled messages also learn which fields to read out of the others.
    const learn = this.profileEvery > 1;
    const learnPath = (paths: WantedPaths, path: string, v: string | null) => {
      if (v === null || paths.has(path) || this.pruned.has(path) || fingerprintOrder(v) < 0) return;
      paths.add(path);
      // Messages counted before the field showed up gave it no candidates: said in the scan report.
      if (this.sampled > this.profiled && paths.has(path)) this.learntLate.set(path, this.sampled - this.profiled);
    };
    const offerAndLearn = (path: string, v: string | null) => {
      this.fields.add(path, v, stratum);
      learnPath(this.wanted, path, v);
    };
    const offerAndLearnKey = (path: string, v: string | null) => {
      this.fields.add(path, v, stratum);
      learnPath(this.wantedInKeys, path, v);
    };
    // Values decoded with a registry schema are profiled exactly like JSON messages (Debezium included).
    if (decoded.json !== undefined) {
      // Decode before classifying: `{schema, payload}` carries Debezium/Connect logical types
      // (a DATE as epoch days, a DECIMAL as base64 bytes) that are read back into text here.
      const json = decodeSchemaEnvelope(decoded.json);
      const dbz = unwrapDebezium(json);
      if (dbz) this.debezium ??= dbz.info;
      const profiled = dbz ? dbz.envelope : unwrapSchemaPayload(json);
      if (profiled !== decoded.json || decoded.encoding !== 'json') this.rawPathsHold = false;
      if (!forEachJsonLeaf(profiled, '', learn && this.rawPathsHold ? offerAndLearn : offer)) this.partial++;
    } else {
      if (decoded.encoding !== 'empty') this.rawPathsHold = false;
      if (decoded.text !== undefined) offer('$value', decoded.text);
    }
    if (learn && this.profiled === PRUNE_AFTER_PROFILED) this.prune();
    if (k.json !== undefined) {
      const profiledKey = unwrapSchemaPayload(decodeSchemaEnvelope(k.json));
      if (profiledKey !== k.json || k.encoding !== 'json') this.rawPathsHold = false;
      forEachJsonLeaf(profiledKey, '$key', learn && this.rawPathsHold ? offerAndLearnKey : offer);
    } else if (k.text !== undefined) {
      offer('$key', k.text);
      if (learn && !this.pruned.has('$key') && fingerprintOrder(k.text) >= 0) this.textKeyWanted = true;
    }
  }

  /** Stops reading fields without a verdict so far out of the counted messages (fingerprints only matter where there is PII). */
  private prune(): void {
    const counted = this.sampled - this.profiled;
    for (const paths of [this.wanted, this.wantedInKeys]) {
      for (const path of paths.paths()) {
        if (this.fields.verdictsOf(path)?.length) continue;
        paths.remove(path);
        this.pruned.set(path, counted);
      }
    }
    if (this.textKeyWanted && !this.fields.verdictsOf('$key')?.length) {
      this.textKeyWanted = false;
      this.pruned.set('$key', counted);
    }
  }

  /**
   * Counts a message past the classification sample without decoding it whole, when it can: its key
   * and value (plain JSON text) are read raw for the identifying fields the sample found, and
   * nothing else of them is kept. Synchronous, so a sampler avoids a promise per message; false
   * when the message is in the classification sample or cannot be read raw (not UTF-8, not a JSON
   * object or array, malformed) — then `add` it, and it is profiled as what it is.
   */
  countRaw(key: Buffer | null | undefined, value: Buffer | null | undefined): boolean {
    if (this.profileEvery <= 1 || this.sampled % this.profileEvery === 0 || !this.rawPathsHold || !value || !this.count(key, value)) return false;
    this.sampled++;
    return true;
  }

  private count(key: Buffer | null | undefined, value: Buffer): boolean {
    if (value[0] !== 0x7b && value[0] !== 0x5b) return false;
    // Key and value are read before any value is offered: a message gives its candidates whole, or is decoded whole.
    const found = this.found;
    found.length = 0;
    if (!this.wanted.readInto(value, found)) return false;
    if (key && key.length > 0) {
      if (key[0] === 0x7b || key[0] === 0x5b) {
        if (!this.wantedInKeys.readInto(key, found)) return false;
      } else {
        // A text key (`user-42`) is small: decoded as the profiled messages' keys are.
        const k = decodePayload(key);
        if (k.encoding !== 'text') return false;
        if (this.textKeyWanted) found.push('$key', k.text);
      }
    }
    for (let i = 0; i < found.length; i += 2) this.fields.addCandidate(found[i]!, found[i + 1]);
    return true;
  }

  /** Decodes one payload; framed ones through the registry when there is one. */
  private async resolve(bytes: Buffer | null | undefined): Promise<{ encoding: Encoding; json?: unknown; text?: string }> {
    const d = decodePayload(bytes);
    if (d.encoding === 'json') return { encoding: 'json', json: d.json };
    if (d.encoding === 'text') return { encoding: 'text', text: d.text };
    if (d.encoding !== 'framed' || !this.decoder) return { encoding: d.encoding };
    const r = await this.decoder.decode(d.schemaId, d.body);
    if (r.decoded) return { encoding: r.encoding, json: r.value };
    let u = this.undecoded.get(r.problem);
    if (!u) this.undecoded.set(r.problem, (u = { count: 0, schemaIds: new Set() }));
    u.count++;
    u.schemaIds.add(d.schemaId);
    return { encoding: r.encoding };
  }

  addOversize(): void {
    this.oversize++;
  }

  /** The dominant encoding, or 'mixed' when no kind has a clear majority. */
  get encoding(): Encoding | 'mixed' {
    const seen = (Object.entries(this.encodings) as [Encoding, number][]).filter(([e, n]) => n > 0 && e !== 'empty');
    if (seen.length === 0) return 'empty';
    seen.sort((a, b) => b[1] - a[1]);
    const total = seen.reduce((s, [, n]) => s + n, 0);
    return seen[0][1] / total >= 0.8 ? seen[0][0] : 'mixed';
  }

  /** Classifies every field and returns the topic node, field nodes and contains edges. */
  toRecords(ctx: Pick<CaptureContext, 'sourceName' | 'region' | 'fingerprint'>, facts: TopicFacts): CaptureRecord[] {
    const topicUrn = kafkaUrn(ctx.sourceName, this.topic);
    const topicNode: GraphNodeInput = {
      urn: topicUrn,
      kind: 'topic',
      name: this.topic,
      source: ctx.sourceName,
      region: ctx.region,
      props: {
        partitions: facts.partitions,
        ...(facts.replication !== undefined && { replication: facts.replication }),
        ...(facts.configs && { configs: facts.configs }),
        messageCount: facts.messageCount,
        sampled: this.sampled,
        // Fewer profiled than read: the rest were counted and read only for their identifying fields.
        ...(this.profiled < this.sampled && { profiled: this.profiled }),
        encoding: this.encoding,
        encodings: Object.fromEntries(Object.entries(this.encodings).filter(([, n]) => n > 0)),
        ...(this.oversize > 0 && { oversizeSkipped: this.oversize }),
        ...(this.debezium && { debezium: this.debezium }),
        ...(facts.consumerGroups && { consumerGroups: facts.consumerGroups }),
        ...(facts.acls && { acls: facts.acls }),
        ...(facts.schemaSubjects?.length && { schemaSubjects: facts.schemaSubjects }),
      },
    };
    const records: CaptureRecord[] = [{ type: 'node', node: topicNode }];
    const edges: GraphEdge[] = [];
    for (const { path, verdicts, counts, fingerprints: fps } of this.fields.profile(ctx.fingerprint, { region: ctx.region })) {
      if (verdicts.length > 0 && fps.length > 0 && this.pruned.has(path)) this.prunedWithVerdicts.set(path, this.pruned.get(path)!);
      const fingerprints = new Set(fps);
      const values = { length: counts.sampled };
      const urn = kafkaUrn(ctx.sourceName, this.topic, path);
      const column = this.debezium?.db && this.debezium.table && path.startsWith('after.') && !path.slice(6).includes('.') && !path.includes('[]')
        ? `${this.debezium.db}.${this.debezium.table}.${path.slice(6)}`
        : undefined;
      records.push({
        type: 'node',
        node: {
          urn,
          kind: 'field',
          name: path,
          source: ctx.sourceName,
          region: ctx.region,
          parent: topicUrn,
          props: {
            path,
            sampled: values.length,
            ...(column && { column }),
            ...(fingerprints.size > 0 && { fingerprints: [...fingerprints] }),
          },
          pii: verdicts.map((v) => ({ entity: v.entity, confidence: v.confidence, matches: v.matches, sampled: v.sampled, examples: v.examples, basis: v.basis })),
        },
      });
      edges.push({ from: topicUrn, to: urn, kind: 'contains', confidence: 1, evidence: { rule: 'kafka.sampled-field', detail: `field ${path} seen in ${values.length} sampled values of ${this.topic}` } });
    }
    return [...records, ...edges.map((edge): CaptureRecord => ({ type: 'edge', edge }))];
  }
}

/** `after.address.city` → `city`; `items[].email` → `email`; `$key` → `key`. */
function lastSegment(path: string): string {
  const seg = path.split('.').pop() ?? path;
  return seg.replace(/\[\]$/g, '').replace(/^\$/, '');
}

/** Per-topic warnings known once the topic's records were made (toRecords): fingerprints drawn from part of the stream. */
export function fingerprintWarnings(profile: TopicProfile): string[] {
  if (profile.prunedWithVerdicts.size === 0) return [];
  const paths = [...profile.prunedWithVerdicts.keys()].sort();
  return [`${paths.length} field(s) showed PII only after ${PRUNE_AFTER_PROFILED} profiled messages (${paths.slice(0, 5).join(', ')}): from then on their fingerprints were drawn from the profiled messages only, not from every message counted`];
}

/** Per-topic warnings about what could not be profiled, for the scan report. */
export function profileWarnings(profile: TopicProfile, schemaRegistry: { url: string } | undefined): string[] {
  const out: string[] = [];
  if (!schemaRegistry && profile.encodings.framed > 0) out.push('Avro without a schema registry: configure schemaRegistry.url');
  for (const [problem, u] of profile.undecoded) {
    out.push(`${u.count} schema-registry framed payload(s) with schema id ${[...u.schemaIds].sort((a, b) => a - b).join(', ')} not profiled: ${problem}`);
  }
  if (profile.fieldsDropped > 0) out.push(`more than 2000 distinct fields: ${profile.fieldsDropped} value(s) of further fields were not profiled`);
  if (profile.partial > 0) out.push(`${profile.partial} message(s) nested deeper than ${MAX_JSON_DEPTH} levels or holding more than ${MAX_JSON_LEAVES} values were profiled only to that depth and count`);
  if (profile.learntLate.size > 0) {
    const [path, counted] = [...profile.learntLate].sort((a, b) => b[1] - a[1])[0];
    out.push(`${profile.learntLate.size} field(s) first appeared in the classification sample after messages had been counted (${path}: after ${counted}): their fingerprints are drawn from the messages read from then on`);
  }
  if (profile.encodings.binary > 0) out.push(`${profile.encodings.binary} binary message(s) (neither UTF-8 text nor JSON) were counted, not profiled`);
  return out;
}
