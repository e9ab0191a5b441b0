import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import kafkajs from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader cannot see its named exports.
const { Kafka, logLevel } = kafkajs;

/**
 * TEST HELPER, NOT PRODUCT CODE: a tiny stand-in for Kafka Connect running Confluent's S3 sink
 * (io.confluent.connect.s3.S3SinkConnector, JsonFormat, DefaultPartitioner). It consumes the
 * configured topics in a consumer group, as Connect does (`connect-<connector name>`, offsets
 * committed), applies Debezium's ExtractNewRecordState when `transforms` asks for it, and writes
 * NDJSON objects named as the connector names them:
 * `<topics.dir>/<topic>/partition=<p>/<topic>+<p>+<start offset, 10 digits>.json`.
 * It reads up to the high watermarks seen when called, then stops.
 */
export interface S3SinkOptions {
  /** Connector name (the Connect group is `connect-<name>`). */
  name: string;
  /** The S3 sink connector config: topics, topics.dir, s3.bucket.name, flush.size, transforms.*. */
  connector: Record<string, string>;
  brokers: string[];
  /** Where to write (the bucket must exist: the connector does not create it). */
  s3: S3Client;
  /** Gives up (rejects) after this long; default 30 s. */
  timeoutMs?: number;
  /** Stops after consuming this many messages; default 100,000. */
  maxMessages?: number;
  clientId?: string;
}

export interface S3SinkResult {
  /** Object keys written, in order. */
  objects: string[];
  /** Rows written (after unwrapping: tombstones and deletes are dropped). */
  rows: number;
  consumed: number;
}

const EXTRACT_NEW_RECORD_STATE = 'io.debezium.transforms.ExtractNewRecordState';
const JSON_FORMAT = 'io.confluent.connect.s3.format.json.JsonFormat';
/** filename.offset.zero.pad.width's default. */
const OFFSET_PAD = 10;

/** Whether the config's `transforms` chain holds ExtractNewRecordState; other transforms are refused (not implemented). */
function unwraps(config: Record<string, string>): boolean {
  const aliases = (config.transforms ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const a of aliases) {
    const type = config[`transforms.${a}.type`];
    if (type !== EXTRACT_NEW_RECORD_STATE) throw new Error(`cdc-chain sink: transform ${a} (${type}) is not implemented by the stand-in`);
  }
  return aliases.length > 0;
}

/**
 * What ExtractNewRecordState makes of one message value with its defaults (drop.tombstones=true,
 * delete.handling.mode=drop): the `after` row of creates, updates and snapshot reads; nothing otherwise.
 */
export function unwrapChange(value: Buffer | null): Record<string, unknown> | undefined {
  if (value === null) return undefined;
  const env = JSON.parse(value.toString('utf8')) as { op?: string; after?: Record<string, unknown> | null };
  if (env.op === 'd' || !env.after) return undefined;
  return env.after;
}

export const sinkObjectKey = (topicsDir: string, topic: string, partition: number, startOffset: string): string =>
  `${topicsDir}/${topic}/partition=${partition}/${topic}+${partition}+${startOffset.padStart(OFFSET_PAD, '0')}.json`;

/** Consumes the configured topics up to their current end and writes them to S3; resolves with what was written. */
export async function sinkTopicToS3(opts: S3SinkOptions): Promise<S3SinkResult> {
  const cfg = opts.connector;
  const topics = (cfg.topics ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bucket = cfg['s3.bucket.name'];
  if (topics.length === 0 || !bucket) throw new Error('cdc-chain sink: the config needs topics and s3.bucket.name');
  const topicsDir = cfg['topics.dir'] ?? 'topics';
  const flushSize = Number(cfg['flush.size'] ?? 1000);
  const unwrap = unwraps(cfg);
  if (cfg['format.class'] !== undefined && cfg['format.class'] !== JSON_FORMAT) throw new Error(`cdc-chain sink: only ${JSON_FORMAT} is implemented, not ${cfg['format.class']}`);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxMessages = opts.maxMessages ?? 100_000;

  const kafka = new Kafka({ clientId: opts.clientId ?? 'connect-standin', brokers: opts.brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  // The end to read to: the high watermark of every partition now.
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const o of await admin.fetchTopicOffsets(topic)) if (BigInt(o.high) > BigInt(o.low)) remaining.set(`${topic}:${o.partition}`, BigInt(o.high));
    }
  } finally {
    await admin.disconnect();
  }

  const result: S3SinkResult = { objects: [], rows: 0, consumed: 0 };
  const buffers = new Map<string, { start: string; lines: string[] }>();
  const flush = async (topic: string, partition: number) => {
    const b = buffers.get(`${topic}:${partition}`);
    buffers.delete(`${topic}:${partition}`);
    if (!b || b.lines.length === 0) return;
    const key = sinkObjectKey(topicsDir, topic, partition, b.start);
    await opts.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: b.lines.join('\n') + '\n', ContentType: 'application/json' }));
    result.objects.push(key);
    result.rows += b.lines.length;
  };
  if (remaining.size === 0) return result;

  const consumer = kafka.consumer({ groupId: `connect-${opts.name}`, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`cdc-chain sink: ${[...remaining.keys()].join(', ')} not read to the end within ${timeoutMs} ms (${result.consumed} consumed)`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const id = `${topic}:${partition}`;
            const end = remaining.get(id);
            if (stopped || end === undefined) return;
            result.consumed++;
            const row = unwrap ? unwrapChange(message.value) : message.value && JSON.parse(message.value.toString('utf8'));
            if (row) {
              let b = buffers.get(id);
              if (!b) buffers.set(id, (b = { start: message.offset, lines: [] }));
              b.lines.push(JSON.stringify(row));
              if (b.lines.length >= flushSize) await flush(topic, partition);
            }
            if (BigInt(message.offset) + 1n >= end) {
              // Caught up with this partition: write what is buffered (Connect's rotate.interval.ms would).
              await flush(topic, partition);
              remaining.delete(id);
            }
            if (remaining.size === 0 || result.consumed >= maxMessages) {
              stopped = true;
              resolve();
            }
          },
        })
        .catch(reject);
    });
    for (const id of [...buffers.keys()]) {
      const i = id.lastIndexOf(':');
      await flush(id.slice(0, i), Number(id.slice(i + 1)));
    }
  } finally {
    clearTimeout(timer);
    // Disconnecting commits the consumed offsets and leaves the group, as a stopped Connect task does.
    await consumer.disconnect().catch(() => undefined);
  }
  return result;
}
