import { open, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../core/api/errors.js';
import type { S3SourceConfig } from './config.js';
import { MAX_OBJECTS_LISTED, type ListedObject, type ListPage } from './listing.js';
import type { PublicAccessBlock } from './access.js';
import { summarisePolicy } from './policy.js';
import { summariseReplication } from './replication.js';
import type { BucketFacts, ObjectStore } from './store.js';

/** Largest policy/replication file read beside a copied bucket (real ones are a few KB). */
const MAX_BESIDE_BYTES = 1024 * 1024;

/** Directory levels walked under a bucket at most (object keys are rarely deeper; loops are cut anyway). */
const MAX_WALK_DEPTH = 64;

/** True when `child` is `root` or inside it (both real, absolute paths). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/**
 * A copied store, `<dir>/<bucket>/<key>`, read like a live one. Symlinks are resolved and followed
 * only when their target stays inside `dir`: a hostile copy cannot make the capture read
 * /etc/passwd or a home directory. Each skipped link is reported through `onOutside`.
 */
export class OfflineDirStore implements ObjectStore {
  private root?: string;
  /** Bucket → its keys, from one walk (the listing is one page). */
  private readonly listings = new Map<string, ListedObject[]>();

  constructor(
    private readonly config: S3SourceConfig & { dir: string },
    private readonly baseDir: string,
    private readonly onOutside: (item: string, message: string) => void,
  ) {}

  private async rootDir(): Promise<string> {
    if (this.root) return this.root;
    const dir = resolve(this.baseDir, this.config.dir);
    try {
      const real = await realpath(dir);
      if (!(await stat(real)).isDirectory()) throw new Error('not a directory');
      return (this.root = real);
    } catch (err) {
      throw new AppError('NOT_FOUND', `s3://${this.config.name}: dir ${dir} is not a readable directory — point "dir" at a copied store laid out as <dir>/<bucket>/<key>`, { cause: err });
    }
  }

  /** Resolves a path found in the walk; undefined (and reported) when it leads outside the root. */
  private async safeReal(root: string, path: string, item: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      this.onOutside(item, `s3://${this.config.name}: ${item} is a dangling link — skipped`);
      return undefined;
    }
    if (!isInside(root, real)) {
      this.onOutside(item, `s3://${this.config.name}: ${item} links outside ${root} — not followed (a copied store must be self-contained)`);
      return undefined;
    }
    return real;
  }

  async listBuckets(): Promise<string[]> {
    const root = await this.rootDir();
    const entries = await readdir(root, { withFileTypes: true });
    const buckets: string[] = [];
    for (const e of entries) {
      if (e.isDirectory()) buckets.push(e.name);
      else if (e.isSymbolicLink()) {
        const real = await this.safeReal(root, join(root, e.name), e.name);
        if (real && (await stat(real)).isDirectory()) buckets.push(e.name);
      }
    }
    const wanted = this.config.buckets;
    return (wanted ? buckets.filter((b) => wanted.includes(b)) : buckets).sort();
  }

  /**
   * A copied folder carries no bucket metadata (the region is the source's, DESIGN.md sources.yaml),
   * except what the auditor saved beside it as the AWS CLI printed it: `<bucket>.policy.json`
   * (get-bucket-policy), `<bucket>.replication.json` (get-bucket-replication) and
   * `<bucket>.public-access-block.json` (get-public-access-block).
   */
  async bucketFacts(bucket: string): Promise<BucketFacts> {
    const gaps: BucketFacts['gaps'] = [];
    const policyDoc = await this.besideBucket(bucket, 'policy', gaps);
    const replicationDoc = await this.besideBucket(bucket, 'replication', gaps);
    const pabDoc = await this.besideBucket(bucket, 'public-access-block', gaps) as { PublicAccessBlockConfiguration?: PublicAccessBlock } | undefined;
    // get-bucket-policy prints {"Policy": "<the document as a string>"}; a bare document is accepted too.
    const policyText = policyDoc === undefined ? undefined : typeof (policyDoc as { Policy?: unknown }).Policy === 'string' ? (policyDoc as { Policy: string }).Policy : JSON.stringify(policyDoc);
    return {
      versioning: 'offline',
      policy: policyText === undefined ? { status: 'offline' } : summarisePolicy(policyText),
      acl: { status: 'offline' },
      replication: replicationDoc === undefined ? { status: 'offline' } : summariseReplication(replicationDoc),
      publicAccessBlock: pabDoc === undefined ? { status: 'offline' } : { status: 'present', config: pabDoc.PublicAccessBlockConfiguration ?? (pabDoc as PublicAccessBlock) },
      gaps,
    };
  }

  /** `<dir>/<bucket>.<what>.json`, parsed; undefined when absent; a broken file is a gap. */
  private async besideBucket(bucket: string, what: string, gaps: BucketFacts['gaps']): Promise<unknown> {
    const root = await this.rootDir();
    const name = `${bucket}.${what}.json`;
    const path = join(root, name);
    try {
      await stat(path);
    } catch {
      return undefined;
    }
    const real = await this.safeReal(root, path, name);
    if (!real) return undefined;
    try {
      const fh = await open(real, 'r');
      try {
        const { size } = await fh.stat();
        if (size > MAX_BESIDE_BYTES) throw new Error(`larger than ${MAX_BESIDE_BYTES} bytes`);
        return JSON.parse((await fh.readFile()).toString('utf8'));
      } finally {
        await fh.close();
      }
    } catch (err) {
      gaps.push({ item: `s3://${this.config.name}/${bucket} (${name})`, reason: `${name} could not be read (${err instanceof SyntaxError ? 'not valid JSON' : (err as Error).message}) — save it again as the AWS CLI prints it` });
      return undefined;
    }
  }

  private async walkBucket(bucket: string): Promise<ListedObject[]> {
    const root = await this.rootDir();
    if (bucket.includes('/') || bucket.includes('\\') || bucket === '..' || bucket === '.') {
      throw new AppError('CONFIG_INVALID', `s3://${this.config.name}: "${bucket}" is not a bucket name`);
    }
    const bucketDir = await this.safeReal(root, join(root, bucket), bucket);
    if (!bucketDir) return [];
    const out: ListedObject[] = [];
    const visited = new Set<string>();
    const walk = async (realDir: string, keyPrefix: string, depth: number): Promise<void> => {
      // A link back to an ancestor would loop: each real directory is walked once.
      if (depth > MAX_WALK_DEPTH || visited.has(realDir) || out.length >= MAX_OBJECTS_LISTED) return;
      visited.add(realDir);
      const entries = (await readdir(realDir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) {
        if (out.length >= MAX_OBJECTS_LISTED) return;
        const key = keyPrefix + e.name;
        let real = join(realDir, e.name);
        if (e.isSymbolicLink()) {
          const r = await this.safeReal(root, real, `${bucket}/${key}`);
          if (!r) continue;
          real = r;
        }
        const st = await stat(real);
        if (st.isDirectory()) await walk(real, `${key}/`, depth + 1);
        else if (st.isFile()) out.push({ key, size: st.size, lastModified: st.mtime });
      }
    };
    await walk(bucketDir, '', 0);
    return out;
  }

  async listPage(bucket: string): Promise<ListPage> {
    let objects = this.listings.get(bucket);
    if (!objects) this.listings.set(bucket, (objects = await this.walkBucket(bucket)));
    return { objects };
  }

  async readHead(bucket: string, key: string, _size: number, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
    const root = await this.rootDir();
    const path = join(root, bucket, ...key.split('/'));
    // Checked again at read time: the folder may have changed since the walk.
    const real = await this.safeReal(root, path, `${bucket}/${key}`);
    if (!real) throw new AppError('SOURCE_PERMISSION', `s3://${this.config.name}: ${bucket}/${key} resolves outside ${root} — not read`);
    const fh = await open(real, 'r');
    try {
      const buf = Buffer.alloc(maxBytes);
      let filled = 0;
      // read() may return less than asked; loop until full or end of file (bounded by maxBytes).
      while (filled < maxBytes) {
        const { bytesRead } = await fh.read(buf, filled, maxBytes - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      const size = (await fh.stat()).size;
      return { bytes: buf.subarray(0, filled), truncated: size > filled };
    } finally {
      await fh.close();
    }
  }

  close(): void {
    this.listings.clear();
  }
}
