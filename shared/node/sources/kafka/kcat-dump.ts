import { createReadStream } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../../core/api/errors.js';
import { kafkaUrn } from '../../../core/model/urn.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { MAX_DUMP_LINE_BYTES, type KafkaSourceConfig } from './config.js';
import { createFramedDecoder, readTopicSubjects } from './schema-registry.js';
import { profileWarnings, TopicProfile } from './topic-profile.js';
import { describeJsonError } from '../parse-errors.js';

/**
 * Reads lines of a file without ever holding one longer than `maxBytes`: a longer line (a huge
 * message in the dump) is reported by number and skipped, its bytes dropped as they stream by.
 */
export async function* readBoundedLines(path: string, maxBytes: number): AsyncGenerator<{ lineNo: number; line?: string; oversize?: true }> {
  let parts: Buffer[] = [];
  let size = 0;
  let oversize = false;
  let lineNo = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      lineNo++;
      if (oversize || size + (nl - from) > maxBytes) yield { lineNo, oversize: true };
      else yield { lineNo, line: Buffer.concat([...parts, chunk.subarray(from, nl)]).toString('utf8') };
      parts = [];
      size = 0;
      oversize = false;
      from = nl + 1;
    }
    const rest = chunk.length - from;
    if (!oversize && size + rest > maxBytes) {
      oversize = true;
      parts = [];
    }
    if (!oversize && rest > 0) {
      parts.push(chunk.subarray(from));
      size += rest;
    }
  }
  if (oversize) yield { lineNo: lineNo + 1, oversize: true };
  else if (size > 0) yield { lineNo: lineNo + 1, line: Buffer.concat(parts).toString('utf8') };
}

interface KcatLine {
  topic: string;
  partition: number;
  offset: number;
  key?: string | null;
  payload?: string | null;
}

function parseKcatLine(line: string): KcatLine | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return `not JSON (${describeJsonError(err)})`;
  }
  const o = v as Partial<KcatLine>;
  if (!o || typeof o !== 'object' || typeof o.topic !== 'string' || typeof o.partition !== 'number') return 'not a kcat -J message: needs "topic" and "partition"';
  if (o.payload !== undefined && o.payload !== null && typeof o.payload !== 'string') return '"payload" must be a string or null';
  return o as KcatLine;
}

/**
 * Offline capture from `kcat -C -J` output. Samples the first `sampleMessages` messages of each
 * topic (a dump is already a sample someone chose); counts all of them.
 */
export async function* captureKcatDump(config: KafkaSourceConfig, ctx: CaptureContext): AsyncGenerator<CaptureRecord> {
  const file = config.file!;
  const path = isAbsolute(file) ? file : resolve(ctx.baseDir, file);
  const where = `kafka://${config.name}: ${file}`;
  const topics = new Map<string, { profile: TopicProfile; partitions: Set<number>; count: number }>();
  const wanted = config.topics ? new Set(config.topics) : undefined;
  let lines = 0;
  // kcat -J writes payloads as strings, so framed binary (Avro) survives only when its bytes are
  // valid UTF-8; JSON Schema framed payloads do. What does not decode is reported per topic.
  const decoder = createFramedDecoder(config, ctx.signal);
  try {
    for await (const l of readBoundedLines(path, MAX_DUMP_LINE_BYTES)) {
      if (ctx.signal.aborted) throw new AppError('CANCELLED', `kafka://${config.name}: capture cancelled`);
      lines++;
      if (l.oversize) {
        ctx.warn(`${where}:${l.lineNo}`, `line longer than ${MAX_DUMP_LINE_BYTES} bytes skipped (an oversize message)`);
        continue;
      }
      if (!l.line || l.line.trim() === '') continue;
      const m = parseKcatLine(l.line);
      if (typeof m === 'string') {
        ctx.warn(`${where}:${l.lineNo}`, `line ${l.lineNo} skipped: ${m}`);
        continue;
      }
      if (wanted && !wanted.has(m.topic)) continue;
      let t = topics.get(m.topic);
      if (!t) topics.set(m.topic, (t = { profile: new TopicProfile(m.topic, decoder), partitions: new Set(), count: 0 }));
      t.partitions.add(m.partition);
      t.count++;
      if (t.profile.sampled < config.sampleMessages) {
        await t.profile.add(m.key == null ? null : Buffer.from(m.key, 'utf8'), m.payload == null ? null : Buffer.from(m.payload, 'utf8'), m.partition);
      }
      if (lines % 10_000 === 0) ctx.progress({ done: lines, item: file });
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `${where} does not exist — check file in sources.yaml`, { cause: err });
    throw new AppError('SOURCE_BAD_DATA', `${where}: could not read (${(err as Error).message})`, { cause: err });
  }
  for (const missing of config.topics?.filter((t) => !topics.has(t)) ?? []) {
    ctx.warn(kafkaUrn(config.name, missing), `topic ${missing} has no messages in ${file}`);
  }
  const subjects = decoder ? await readTopicSubjects(decoder, [...topics.keys()].sort(), ctx) : undefined;
  for (const [name, t] of [...topics].sort(([a], [b]) => a.localeCompare(b))) {
    for (const w of profileWarnings(t.profile, config.schemaRegistry)) ctx.warn(kafkaUrn(config.name, name), w);
    yield* t.profile.toRecords(ctx, { partitions: t.partitions.size, messageCount: t.count, schemaSubjects: subjects?.get(name) });
  }
  ctx.progress({ done: lines, total: lines, item: file });
}
