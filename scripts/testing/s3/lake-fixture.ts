import { gzipSync } from 'node:zlib';
import { gb11643CheckChar } from '../../../shared/core/pii/checksums.js';

/**
 * A synthetic data lake with PII for the s3 source's tests: a Kafka-Connect sink layout, CSV
 * exports (one ragged row), gzip (one corrupt), a binary blob, a Parquet file and a large NDJSON
 * object. `raw` lists every PII value written, so tests can prove none reaches a record.
 */
export interface LakeObject {
  bucket: string;
  key: string;
  body: Buffer;
}

export interface LakeFixture {
  objects: LakeObject[];
  /** Every synthetic PII value in the objects. */
  raw: string[];
}

/** A valid CN resident ID (GB 11643-1999): Beijing Chaoyang area code, a real birth date, MOD 11-2 check. */
export function cnResidentId(i: number): string {
  // Birth dates from 1970 to 2022 (i mod 200 steps of 97 days): never in the future.
  const birth = new Date(Date.UTC(1970, 0, 1) + (i % 200) * 86_400_000 * 97);
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `110105${ymd}${String(100 + (i % 900)).padStart(3, '0')}`;
  return first17 + gb11643CheckChar(first17);
}

export const cnMobile = (i: number): string => `138${String(10_000_000 + i * 7919).slice(-8)}`;
export const email = (i: number, domain = 'example.com'): string => `user${i}.test@${domain}`;

const ndjson = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

export function lakeFixture(): LakeFixture {
  const raw: string[] = [];
  const pii = <T extends string>(v: T): T => (raw.push(v), v);
  const objects: LakeObject[] = [];
  const put = (bucket: string, key: string, body: string | Buffer) => objects.push({ bucket, key, body: typeof body === 'string' ? Buffer.from(body) : body });

  // Kafka Connect S3 sink, JsonFormat: one JSON record per line under a .json name.
  for (const partition of [0, 1]) {
    const rows = Array.from({ length: 20 }, (_, j) => {
      const i = partition * 100 + j;
      return { id: i, email: pii(email(i)), mobile: pii(cnMobile(i)), id_card: pii(cnResidentId(i)), profile: { city: j % 2 ? 'Beijing' : 'Shanghai' }, orders: [{ sku: `SKU-${j}` }, { sku: `SKU-${j + 1}` }] };
    });
    put('lake-eu', `topics/shop.shop.users/partition=${partition}/shop.shop.users+${partition}+0000000000.json`, ndjson(rows));
  }
  put('lake-eu', 'topics/shop.shop.orders/partition=0/shop.shop.orders+0+0000000000.json.gz', gzipSync(ndjson(Array.from({ length: 15 }, (_, i) => ({ order_id: 5000 + i, contact_email: pii(email(i + 500, 'shop.example')), total: 10 + i })))));

  // CSV export with a header; row 5 (header = row 1) has an extra field.
  const csvRows = ['name,phone,sfzh'];
  for (let i = 0; i < 12; i++) csvRows.push(`Customer ${i},${pii(cnMobile(i + 300))},${pii(cnResidentId(i + 300))}`);
  csvRows.splice(4, 0, `Customer X,${pii(cnMobile(399))},${pii(cnResidentId(399))},extra`);
  put('lake-eu', 'exports/customers.csv', csvRows.join('\r\n') + '\r\n');
  // A gzip header followed by garbage: corrupt.
  put('lake-eu', 'exports/broken.json.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03]), Buffer.from('this is not deflate data at all, sorry')]));
  put('lake-eu', 'exports/table.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from('PAR1')]));
  put('lake-eu', 'blobs/image.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256)));
  put('lake-eu', 'private/secret.json', JSON.stringify([{ email: pii(email(900)) }]));

  // About 5 MB of NDJSON: only the first maxObjectBytes may be read.
  const big: string[] = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const line = JSON.stringify({ seq: i, email: pii(email(10_000 + i, 'big.example')), note: 'x'.repeat(200) });
    big.push(line);
    size += line.length + 1;
  }
  put('lake-eu', 'big/events.ndjson', big.join('\n') + '\n');

  // A JSON document (array) in another region's bucket.
  put('lake-cn', 'users/users.json', JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ uid: i, shouji: pii(cnMobile(i + 700)), contact: { email: pii(email(i + 700)) } }))));
  put('scratch', 'readme.txt', 'just some notes, nothing structured\n');
  return { objects, raw };
}
