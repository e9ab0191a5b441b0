/** One commit along the first-parent history, with the files it changed. */
export interface GitCommit {
  sha: string;
  author: string;
  /** Author date, ISO 8601. */
  time: string;
  message: string;
  changes: { status: 'A' | 'M' | 'D' | 'T'; blob: string; path: string }[];
}

/**
 * `git log` arguments for the history of manifests. First-parent with -m: a merge shows what it
 * brought into the branch (attributed to whoever merged — in GitOps, the approver), so that walking
 * the commits oldest-first always ends at exactly the tree of `commit`. `-z` makes every field end
 * in NUL — paths come out byte for byte, never C-quoted — and `--end-of-options` keeps the commit
 * from ever being read as an option. No content is shown (`--raw`), so no textconv or external diff.
 */
export const logArgs = (commit: string, dir: string | undefined): string[] => [
  '--reverse', '--first-parent', '-m', '--no-renames', '--raw', '--no-abbrev', '-z', '--no-ext-diff', '--no-textconv', '--no-show-signature',
  '--format=%H%x00%an <%ae>%x00%aI%x00%s', '--end-of-options', commit, '--', ...(dir ? [dir] : []),
];

const SHA = /^[0-9a-f]{40,64}$/;
// :100644 100644 <old> <new> M
const RAW = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) ([AMDT])\d*$/;

/**
 * Parses `git log` output made with logArgs, given as its NUL-separated fields: each commit is
 * four header fields (sha, author, date, subject), then pairs of raw-diff status and path. Nothing
 * in a field is unquoted or interpreted, so any byte a file name may hold survives.
 */
export function parseLog(fields: readonly string[]): GitCommit[] {
  const commits: GitCommit[] = [];
  let i = 0;
  while (i < fields.length) {
    const sha = fields[i].replace(/^\n+/, '');
    if (sha === '') {
      i++;
      continue;
    }
    if (!SHA.test(sha) || i + 3 >= fields.length) break;
    const commit: GitCommit = { sha, author: fields[i + 1], time: fields[i + 2], message: fields[i + 3] ?? '', changes: [] };
    i += 4;
    while (i + 1 < fields.length) {
      const m = RAW.exec(fields[i].replace(/^\n+/, ''));
      if (!m) break;
      commit.changes.push({ blob: m[1], status: m[2] as GitCommit['changes'][number]['status'], path: fields[i + 1] });
      i += 2;
    }
    commits.push(commit);
  }
  return commits;
}

/** One entry of `git ls-tree -r -z`: `<mode> SP <type> SP <object> TAB <path>`. */
export interface TreeEntry {
  type: string;
  blob: string;
  path: string;
}

/** `git ls-tree` arguments: the tree of one commit, recursively, NUL-terminated, limited to `dir`. */
export const lsTreeArgs = (commit: string, dir: string | undefined): string[] =>
  // ls-tree takes paths after the tree-ish and no "--" once options have ended.
  ['-r', '-z', '--full-tree', '--end-of-options', commit, ...(dir ? [dir] : [])];

export function parseTree(fields: readonly string[]): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const field of fields) {
    const tab = field.indexOf('\t');
    if (tab < 0) continue;
    const [, type, blob] = field.slice(0, tab).split(' ');
    if (!type || !blob) continue;
    out.push({ type, blob, path: field.slice(tab + 1) });
  }
  return out;
}
