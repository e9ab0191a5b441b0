import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { AppError } from '../../core/api/errors.js';

/**
 * One writer per workspace (DESIGN.md "Decisions since the first build"). The holder is recorded in
 * the workspace itself (meta key `writer`: pid, the process's start time, host, purpose), and it is
 * read and claimed inside one `BEGIN IMMEDIATE` transaction: SQLite's own file lock makes the
 * check-and-claim atomic between processes, with no lock file to go stale beside the workspace.
 * A claim held by a process that is gone (its pid no longer runs, or runs a newer process) is taken
 * over; readers never claim, so they never disturb a scan.
 */
export interface WriterRecord {
  pid: number;
  /** The process's start time as the OS tells it (Linux: /proc/<pid>/stat field 22), so a reused pid is not mistaken for the holder. */
  start: string | null;
  host: string;
  /** What the writer is doing ("driftline scan", "driftline serve (scan)"). */
  purpose: string;
  since: string;
  /** Tells two writers of one process apart. */
  token: string;
}

const KEY = 'writer';
/** Claims of this process that are open now: a record with our pid and another token is stale. */
const liveTokens = new Set<string>();
const POLL_MS = 200;

/** The start time of a process, or null where the OS does not say (then only the pid is checked). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

const pidRuns = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether the recorded holder still runs. A holder on another host cannot be checked: it counts as live. */
export function holderIsLive(rec: WriterRecord): boolean {
  if (rec.host !== hostname()) return true;
  if (rec.pid === process.pid) return liveTokens.has(rec.token);
  if (!pidRuns(rec.pid)) return false;
  const start = processStartTime(rec.pid);
  return rec.start === null || start === null || start === rec.start;
}

export function describeHolder(rec: WriterRecord): string {
  return `process ${rec.pid}${rec.host !== hostname() ? ` on ${rec.host}` : ''} (${rec.purpose}, since ${rec.since})`;
}

function readRecord(db: Database.Database): WriterRecord | undefined {
  const raw = db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(KEY) as string | undefined;
  if (!raw) return undefined;
  try {
    const rec = JSON.parse(raw) as WriterRecord;
    return typeof rec?.pid === 'number' && typeof rec.token === 'string' ? rec : undefined;
  } catch {
    return undefined;
  }
}

/** The writer claim recorded in a workspace, live or left behind by a process that is gone, or undefined. */
export const currentWriterRecord = (db: Database.Database): WriterRecord | undefined => readRecord(db);

/** The writer of a workspace as a reader sees it (for messages and the studio), or undefined. */
export function currentWriter(db: Database.Database): WriterRecord | undefined {
  const rec = readRecord(db);
  return rec && holderIsLive(rec) ? rec : undefined;
}

export interface WriterClaim {
  record: WriterRecord;
  /** The holder whose claim was taken over because its process is gone. */
  previous?: WriterRecord;
  release(): void;
}

/** One attempt: our claim, or the live holder that has it. */
function tryClaim(db: Database.Database, purpose: string): { claim: WriterClaim } | { holder: WriterRecord } {
  const record: WriterRecord = { pid: process.pid, start: processStartTime(process.pid), host: hostname(), purpose, since: new Date().toISOString(), token: randomUUID() };
  const result = db.transaction(() => {
    const existing = readRecord(db);
    if (existing && holderIsLive(existing)) return { holder: existing };
    db.prepare(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(KEY, JSON.stringify(record));
    return { previous: existing };
  }).immediate();
  if ('holder' in result && result.holder) return { holder: result.holder };
  liveTokens.add(record.token);
  let released = false;
  return {
    claim: {
      record,
      previous: (result as { previous?: WriterRecord }).previous,
      release: () => {
        if (released) return;
        released = true;
        liveTokens.delete(record.token);
        try {
          db.transaction(() => {
            if (readRecord(db)?.token === record.token) db.prepare(`DELETE FROM meta WHERE key = ?`).run(KEY);
          }).immediate();
        } catch {
          // The file went away or is read-only now: the claim dies with this process anyway.
        }
      },
    },
  };
}

const busy = (path: string, holder: WriterRecord, waitedMs: number): AppError =>
  new AppError('WORKSPACE_BUSY', `${path} is being written by ${describeHolder(holder)}${waitedMs >= 1000 ? `; waited ${Math.round(waitedMs / 1000)} s` : ''} — wait for it to finish (or give --wait <seconds>), or stop that process; readers (findings, report, serve) can open it meanwhile`);

/** Claims the workspace for writing now, or throws WORKSPACE_BUSY naming the holder. */
export function claimWriter(db: Database.Database, path: string, purpose: string): WriterClaim {
  const r = tryClaim(db, purpose);
  if ('holder' in r) throw busy(path, r.holder, 0);
  return r.claim;
}

/**
 * Claims the workspace, waiting up to `waitMs` for the holder to finish (polling, bounded by time).
 * `onWait` hears once who is being waited for.
 */
export async function claimWriterWaiting(db: Database.Database, path: string, purpose: string, waitMs: number, onWait?: (holder: WriterRecord) => void, signal?: AbortSignal): Promise<WriterClaim> {
  const started = Date.now();
  let told = false;
  for (;;) {
    const r = tryClaim(db, purpose);
    if ('claim' in r) return r.claim;
    const waited = Date.now() - started;
    if (waited >= waitMs) throw busy(path, r.holder, waited);
    if (signal?.aborted) throw new AppError('CANCELLED', `${path}: stopped waiting for ${describeHolder(r.holder)}`);
    if (!told) {
      onWait?.(r.holder);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, waitMs - waited)));
  }
}
