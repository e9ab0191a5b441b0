import ZongJi, { type AnyBinlogEvent } from '@vlasky/zongji';
import kafkajs, { type Message } from 'kafkajs';
import mysql from 'mysql2/promise';
import { capturesTable, changeEnvelope, changeKey, debeziumRow, parseDebeziumConfig, topicFor, type DebeziumOp, type DebeziumSettings } from './debezium-envelope.js';

// kafkajs is CommonJS: Node's ESM loader cannot see its named exports.
const { Kafka, logLevel } = kafkajs;

/**
 * TEST HELPER, NOT PRODUCT CODE: a tiny stand-in for Debezium's MySQL connector, so an e2e test can
 * move real rows from a real MariaDB binlog into real Kafka topics. It connects as a replica
 * (@vlasky/zongji, under `database.server.id`), turns each committed row change of an included table
 * into a Debezium change event (masks applied) and produces it to `<topic.prefix>.<db>.<table>` with
 * kafkajs. No snapshot phase, no schema history, no offsets topic: it relays one binlog range and stops.
 */
export interface BinlogPosition {
  file: string;
  pos: number;
}

export interface BinlogRelayOptions {
  /** The Debezium MySQL connector config (as in the KafkaConnector CR): topic.prefix, table.include.list, column.mask.with.N.chars, database.*. */
  connector: Record<string, string>;
  /** The replication user's password (the CR names a secret instead). */
  password: string;
  brokers: string[];
  /** Where to start reading; default: the oldest binlog the server keeps. */
  from?: BinlogPosition;
  /** Gives up (rejects) after this long; default 20 s. */
  timeoutMs?: number;
  /** Stops at the first transaction boundary at or past this many relayed rows; default 100,000. */
  maxRows?: number;
  /** Kafka client id of the stand-in (tests tell it apart from Driftline's by this). */
  clientId?: string;
}

export interface BinlogRelayResult {
  /** Rows produced per topic. */
  produced: Record<string, number>;
  /** The position after the last relayed transaction. */
  position: BinlogPosition;
  stoppedBy: 'end-of-binlog' | 'max-rows';
}

interface PendingRow {
  topic: string;
  message: Message;
}

/** Binlog events the relay needs: rows, their table maps, and transaction boundaries. */
const EVENTS = ['rotate', 'tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query'];

const seq = (file: string) => Number(/\.(\d+)$/.exec(file)?.[1] ?? 0);
const atOrPast = (a: BinlogPosition, b: BinlogPosition) => seq(a.file) > seq(b.file) || (seq(a.file) === seq(b.file) && a.pos >= b.pos);

/**
 * Relays every committed row change from `from` up to the binlog end seen when called, then resolves.
 * Rejects on a replication or produce error, or when `timeoutMs` passes first.
 */
export async function relayBinlogToKafka(opts: BinlogRelayOptions): Promise<BinlogRelayResult> {
  const settings = parseDebeziumConfig(opts.connector);
  const conn = {
    host: opts.connector['database.hostname'] ?? '127.0.0.1',
    port: Number(opts.connector['database.port'] ?? 3306),
    user: opts.connector['database.user'],
    password: opts.password,
  };
  const { start, end, serverId } = await binlogRange(conn, opts.from);
  const maxRows = opts.maxRows ?? 100_000;
  const timeoutMs = opts.timeoutMs ?? 20_000;

  if (atOrPast(start, end)) return { produced: {}, position: start, stoppedBy: 'end-of-binlog' };

  const producer = new Kafka({ clientId: opts.clientId ?? 'debezium-standin', brokers: opts.brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } }).producer({ allowAutoTopicCreation: false });
  const produced: Record<string, number> = {};
  const send = async (rows: PendingRow[]) => {
    const byTopic = new Map<string, Message[]>();
    for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r.message]);
    if (byTopic.size === 0) return;
    await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), acks: -1 });
    for (const [topic, messages] of byTopic) produced[topic] = (produced[topic] ?? 0) + messages.length;
  };
  let zongji: ZongJi | undefined;
  let position: BinlogPosition = { ...start };
  let timer: NodeJS.Timeout | undefined;
  try {
    await producer.connect();
    zongji = new ZongJi({ ...conn, charset: 'utf8mb4' });
    const replica = zongji;
    const stoppedBy = await new Promise<BinlogRelayResult['stoppedBy']>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`cdc-chain relay: did not reach ${end.file}:${end.pos} within ${timeoutMs} ms (at ${position.file}:${position.pos}, ${total(produced)} rows relayed)`)), timeoutMs);
      // Transactions are produced one after another, in binlog order, as Debezium does.
      let chain = Promise.resolve();
      let stopping = false;
      const relay = new TransactionRelay(settings, serverId, (rows, at) => {
        chain = chain.then(async () => {
          if (stopping) return;
          await send(rows);
          position = at;
          if (total(produced) >= maxRows) { stopping = true; resolve('max-rows'); }
          else if (atOrPast(at, end)) { stopping = true; resolve('end-of-binlog'); }
        }).catch(reject);
      });
      replica.on('binlog', (e: AnyBinlogEvent) => {
        try {
          if (!stopping) relay.onEvent(e);
        } catch (err) {
          reject(err);
        }
      });
      replica.on('error', reject);
      replica.start({ serverId: settings.serverId, filename: start.file, position: start.pos, includeEvents: EVENTS });
    });
    return { produced, position, stoppedBy };
  } finally {
    clearTimeout(timer);
    zongji?.removeAllListeners('binlog');
    zongji?.stop();
    await producer.disconnect().catch(() => undefined);
  }
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** The start (given, or the oldest binlog kept), the current end of the server's binlog, and the server's id. */
async function binlogRange(conn: mysql.ConnectionOptions, from: BinlogPosition | undefined): Promise<{ start: BinlogPosition; end: BinlogPosition; serverId: number }> {
  const c = await mysql.createConnection({ ...conn, connectTimeout: 5_000 });
  try {
    const [[{ id }]] = (await c.query('SELECT @@server_id AS id')) as unknown as [{ id: number }[]];
    const serverId = Number(id);
    const [status] = (await c.query('SHOW MASTER STATUS')) as unknown as [{ File: string; Position: number }[]];
    if (!status.length) throw new Error('cdc-chain relay: the binary log is off (SHOW MASTER STATUS is empty)');
    const end = { file: status[0].File, pos: Number(status[0].Position) };
    if (from) return { start: from, end, serverId };
    const [logs] = (await c.query('SHOW BINARY LOGS')) as unknown as [{ Log_name: string }[]];
    return { start: { file: logs[0].Log_name, pos: 4 }, end, serverId };
  } finally {
    await c.end();
  }
}

/**
 * Turns binlog events into Debezium messages, held until their transaction commits (so an aborted
 * or half-read transaction never reaches the topic), then hands them to `onCommit`.
 */
class TransactionRelay {
  private file = '';
  private pending: PendingRow[] = [];
  /** tableId → column name → MySQL type code, and primary-key columns (from the TableMap's FULL metadata). */
  private readonly tables = new Map<number, { types: Map<string, number>; primaryKey: string[] }>();

  /** `originServerId`: the MySQL server's own id, which Debezium reports as source.server_id. */
  constructor(
    private readonly settings: DebeziumSettings,
    private readonly originServerId: number,
    private readonly onCommit: (rows: PendingRow[], at: BinlogPosition) => void,
  ) {}

  onEvent(event: AnyBinlogEvent): void {
    const e = event as any;
    switch (event.getEventName()) {
      case 'rotate':
        this.file = e.binlogName;
        return;
      case 'tablemap': {
        const names: string[] = e.columnNames ?? e.tableMap[e.tableId]?.columns?.map((c: { name: string }) => c.name) ?? [];
        const types = new Map<string, number>(names.map((n, i) => [n, e.columnTypes[i]]));
        this.tables.set(e.tableId, { types, primaryKey: (e.primaryKey ?? []).map((i: number) => names[i]).filter(Boolean) });
        return;
      }
      case 'writerows':
      case 'updaterows':
      case 'deleterows':
        this.addRows(e, event.getEventName());
        return;
      case 'xid':
        this.commit(e.nextPosition);
        return;
      case 'query':
        // BEGIN opens a transaction; COMMIT (non-transactional engines) or DDL closes one.
        if (!/^\s*BEGIN\b/i.test(String(e.query ?? '')) && e.nextPosition > 0) this.commit(e.nextPosition);
        return;
      default:
        return;
    }
  }

  private addRows(e: any, name: string): void {
    const entry = e.tableMap[e.tableId];
    if (!entry) return;
    const db: string = entry.parentSchema;
    const table: string = entry.tableName;
    if (!capturesTable(this.settings, db, table)) return;
    const meta = this.tables.get(e.tableId) ?? { types: new Map<string, number>(), primaryKey: [] };
    const convert = (row: Record<string, unknown> | null) => (row ? debeziumRow(this.settings, db, table, row, meta.types) : null);
    const op: DebeziumOp = name === 'writerows' ? 'c' : name === 'updaterows' ? 'u' : 'd';
    const topic = topicFor(this.settings, db, table);
    (e.rows as any[]).forEach((r, row) => {
      const before = convert(op === 'u' ? r.before : op === 'd' ? r : null);
      const after = convert(op === 'u' ? r.after : op === 'c' ? r : null);
      const src = { db, table, serverId: this.originServerId, file: this.file, pos: e.nextPosition - e.size, row, tsMs: e.timestamp };
      const key = changeKey((after ?? before)!, meta.primaryKey);
      const keyText = key === null ? null : JSON.stringify(key);
      this.pending.push({ topic, message: { key: keyText, value: JSON.stringify(changeEnvelope(this.settings, op, before, after, src)) } });
      // tombstones.on.delete=true (Debezium's default): log compaction can then drop the key.
      if (op === 'd' && keyText !== null) this.pending.push({ topic, message: { key: keyText, value: null } });
    });
  }

  private commit(nextPosition: number): void {
    const rows = this.pending;
    this.pending = [];
    this.onCommit(rows, { file: this.file, pos: nextPosition });
  }
}
