import { spoken } from '../../../core/i18n/phrase.js';
import { deferredCapture, defineSource } from '../source.js';
import { kafkaConfigSchema, type KafkaSourceConfig } from './config.js';
import { toKafkaAppError } from './errors.js';
import { access } from 'node:fs/promises';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { aclRecords, readAclsFileState } from './acls.js';
import { isAbsolute, resolve } from 'node:path';

export { kafkaConfigSchema, type KafkaSourceConfig } from './config.js';

/**
 * Kafka source: a live cluster (metadata, configs, consumer groups, ACLs, and sampled messages
 * read WITHOUT joining a group or committing offsets) or, offline, a `kcat -C -J` dump.
 * Yields topic and field nodes with PII verdicts (masked examples, keyed fingerprints only).
 */
export const kafkaSource = defineSource<KafkaSourceConfig>({
  kind: 'kafka',
  configSchema: kafkaConfigSchema,

  async testConnection(config, ctx) {
    if (config.file) {
      const path = isAbsolute(config.file) ? config.file : resolve(ctx.baseDir, config.file);
      try {
        await access(path);
        return { ok: true, message: `kafka://${config.name}: dump ${config.file} is readable` };
      } catch {
        return { ok: false, message: `kafka://${config.name}: dump ${config.file} does not exist or is not readable — check file in sources.yaml` };
      }
    }
    // kafkajs loads only when a live cluster is reached (see deferredCapture).
    const { createKafkaClient } = await import('./live-capture.js');
    const admin = createKafkaClient(config, ctx).admin();
    try {
      await admin.connect();
      const topics = await admin.listTopics();
      return { ok: true, message: `kafka://${config.name}: connected to ${config.brokers!.join(', ')}; ${topics.length} topic(s) visible` };
    } catch (err) {
      return { ok: false, message: toKafkaAppError(err, config.name, config.brokers ?? [], 'connect').message };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },

  capture(config, ctx) {
    return config.file
      ? withOfflineAcls(config, ctx, deferredCapture(async () => (await import('./kcat-dump.js')).captureKcatDump(config, ctx)))
      : deferredCapture(async () => (await import('./live-capture.js')).captureLive(config, ctx));
  },
});

export default kafkaSource;

/**
 * A dump holds messages, not ACLs: with `aclsFile` its ACLs become grants for the dumped topics;
 * without, who can read them is unknown (and said so, with the fix).
 */
async function* withOfflineAcls(config: KafkaSourceConfig, ctx: CaptureContext, inner: AsyncIterable<CaptureRecord>): AsyncGenerator<CaptureRecord> {
  const topics: string[] = [];
  for await (const record of inner) {
    if (record.type === 'node' && record.node.kind === 'topic') topics.push(record.node.name);
    yield record;
  }
  const state = config.aclsFile
    ? await readAclsFileState(config, ctx)
    : (() => {
      const { text, phrase } = spoken('ev.unknown.kafkaNoAclsFile', { source: `kafka://${config.name}` });
      return { status: 'unknown' as const, reason: text, phrase };
    })();
  if (state.status === 'unknown' && !config.aclsFile) yield { type: 'gap', item: `kafka://${config.name} ACLs`, reason: state.reason, ...(state.phrase && { phrase: state.phrase }) };
  yield* aclRecords(state, topics, { source: config.name, region: ctx.region, fingerprint: ctx.fingerprint });
}
