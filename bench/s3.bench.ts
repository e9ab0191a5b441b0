import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { collectCapture } from '../scripts/testing/capture-harness.js';
import { startS3Server, testS3Client } from '../scripts/testing/s3/index.js';
import { s3Source } from '../shared/node/sources/s3/index.js';

/**
 * Throughput of the s3 source against s3rver (a local, real S3 protocol server): objects listed per
 * second (ListObjectsV2 pages of 1,000) and objects sampled per second (ranged GET, parse, classify).
 * Anchor, in the same run against the same server: the AWS SDK alone listing the same keys and
 * reading the same number of objects (no parsing, no classification): what the protocol costs.
 * Numbers are for comparing changes on one machine, not for predicting AWS latency.
 */
const OBJECTS = 2000;
const TOPICS = 40;

export async function run(): Promise<void> {
  const s3 = await startS3Server();
  try {
    await s3.createBucket('bench');
    const keys = Array.from({ length: OBJECTS }, (_, i) => `topics/t${i % TOPICS}/partition=${i % 3}/t${i % TOPICS}+0+${String(i).padStart(10, '0')}.json`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys.slice(i, i + 50).map((k, j) =>
          s3.putObject('bench', k, Array.from({ length: 20 }, (_, r) => JSON.stringify({ id: i + j, email: `u${i + j}.${r}@example.com`, mobile: `138${String(10_000_000 + i + j + r).slice(-8)}`, city: 'Beijing' })).join('\n') + '\n'),
        ),
      );
    }
    process.env.DL_BENCH_S3_KEY = s3.accessKeyId;
    process.env.DL_BENCH_S3_SECRET = s3.secretAccessKey;
    const config = (sample: number) => ({ name: 'bench', kind: 's3', region: 'eu-west-1', endpoint: s3.endpoint, buckets: ['bench'], sampleObjectsPerPrefix: sample, accessKeyIdEnv: 'DL_BENCH_S3_KEY', secretAccessKeyEnv: 'DL_BENCH_S3_SECRET' });

    const time = async (sample: number) => {
      const t0 = performance.now();
      const cap = await collectCapture(s3Source, config(sample));
      const ms = performance.now() - t0;
      if (cap.failures.length) throw new Error(`bench capture failed: ${JSON.stringify(cap.failures)}`);
      return { ms, sampled: cap.progress.filter((p) => p.item?.startsWith('sampling ')).length };
    };
    await time(0); // warm-up: SDK, connections, s3rver's file cache
    const list = await time(0);
    const full = await time(5);
    const sampleMs = Math.max(full.ms - list.ms, 1);
    console.log(`s3: listed ${OBJECTS} objects in ${list.ms.toFixed(0)} ms → ${((OBJECTS / list.ms) * 1000).toFixed(0)} objects/s listed`);
    console.log(`s3: sampled ${full.sampled} objects (${TOPICS} prefixes × 5) in ${sampleMs.toFixed(0)} ms → ${((full.sampled / sampleMs) * 1000).toFixed(0)} objects/s sampled`);
    console.log(`s3: full capture ${full.ms.toFixed(0)} ms; sampling costs ${(full.ms / list.ms).toFixed(1)}× listing alone`);

    // Anchor: the raw SDK, same listing (pages of 1,000) and the same number of whole-object GETs, 4 in flight as the source reads.
    const client = testS3Client(s3.endpoint);
    let t0 = performance.now();
    let token: string | undefined;
    let listed = 0;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: 'bench', ContinuationToken: token, MaxKeys: 1000 }));
      listed += page.KeyCount ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    const rawListMs = performance.now() - t0;
    const toRead = keys.filter((_, i) => i % Math.max(1, Math.floor(OBJECTS / full.sampled)) === 0).slice(0, full.sampled);
    t0 = performance.now();
    for (let i = 0; i < toRead.length; i += 4) {
      await Promise.all(toRead.slice(i, i + 4).map(async (Key) => (await client.send(new GetObjectCommand({ Bucket: 'bench', Key }))).Body!.transformToString()));
    }
    const rawGetMs = performance.now() - t0;
    client.destroy();
    console.log(`anchor: raw AWS SDK lists ${listed} keys in ${rawListMs.toFixed(0)} ms (source ${(list.ms / rawListMs).toFixed(1)}× it, incl. bucket facts and prefix summaries) and GETs ${toRead.length} objects in ${rawGetMs.toFixed(0)} ms (sampling ${(sampleMs / rawGetMs).toFixed(1)}× it, incl. parse + PII classification)`);
  } finally {
    await s3.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
