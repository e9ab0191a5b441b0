/**
 * The topic bench/kafka.bench.ts reads: ~1 KB JSON order events holding PII (CN mobile, email,
 * resident ID, name, address), built the same way in every process of the bench (the broker child
 * seeds them, the parent decodes them in-process), so all of them see the same bytes.
 */
import { makePeople, type Person } from '../scripts/demo/synthetic-people.js';

export const TOPIC = 'shop.orders.enriched';
export const PARTITIONS = 4;
/** Messages per produced record batch: ~100 KB, well under the source's 1 MB per-partition fetch cap. */
export const BATCH = 100;
const TARGET_BYTES = 1024;
const FILLER = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ';

/** One order event of about 1 KB: a customer with PII, two line items, and a free-text note to fill up. */
function orderMessage(p: Person, i: number): Buffer {
  const event = {
    order_no: `SO${String(1_000_000 + i)}`,
    created_at: p.createdAt,
    customer: { id: p.id, name: p.name, mobile: p.phone, email: p.email, id_card: p.idCard, address: p.address },
    items: [{ sku: `SKU-${i % 97}`, qty: 1 + (i % 3), price_cents: 1999 + (i % 500) }, { sku: `SKU-${(i * 7) % 97}`, qty: 1, price_cents: 499 }],
    channel: ['app', 'web', 'mini-program'][i % 3],
    note: '',
  };
  const base = Buffer.byteLength(JSON.stringify(event));
  event.note = FILLER.repeat(Math.ceil(TARGET_BYTES / FILLER.length)).slice(0, Math.max(0, TARGET_BYTES - base));
  return Buffer.from(JSON.stringify(event));
}

/** The bench topic's messages: keys, values (deterministic for a count) and their payload bytes. */
export function orderMessages(count: number): { keys: Buffer[]; values: Buffer[]; totalBytes: number } {
  const people = makePeople(count);
  const values = people.map((p, i) => orderMessage(p, i));
  const keys = people.map((p) => Buffer.from(JSON.stringify({ order_no: `SO${String(1_000_000 + p.id - 1)}` })));
  return { keys, values, totalBytes: values.reduce((s, v) => s + v.length, 0) };
}
