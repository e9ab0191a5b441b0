/** One commit along the first-parent history, with the files it changed. */
export interface GitCommit {
  sha: string;
  author: string;
  /** Author date, ISO 8601. */
  time: string;
  message: string;
  changes: { status: 'A' | 'M' | 'D' | 'T'; blob: string; path: string }[];
}

const RS = '\x1e';
const US = '\x1f';

/**
 * `git log` arguments for the history of manifests. First-parent with -m: a merge shows what it
 * brought into the branch (attributed to whoever merged — in GitOps, the approver), so that walking
 * the commits oldest-first always ends at exactly the tree of `ref`.
 */
export const logArgs = (ref: string, dir: string | undefined): string[] => [
  '--reverse', '--first-parent', '-m', '--no-renames', '--raw', '--no-abbrev',
  `--format=${RS}%H${US}%an <%ae>${US}%aI${US}%s`, ref, '--', ...(dir ? [dir] : []),
];

/** Unquotes a path git printed in C style (only for tabs, newlines, quotes and backslashes with core.quotePath=false). */
const unquote = (p: string): string => (p.startsWith('"') && p.endsWith('"') ? JSON.parse(p) : p);

export function parseLog(out: string): GitCommit[] {
  const commits: GitCommit[] = [];
  for (const record of out.split(RS)) {
    if (!record.trim()) continue;
    const [headerLine, ...rest] = record.split('\n');
    const [sha, author, time, message] = headerLine.split(US);
    const changes: GitCommit['changes'] = [];
    for (const line of rest) {
      // :100644 100644 <old> <new> M\tpath
      const m = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) ([AMDT])\d*\t(.*)$/.exec(line);
      if (m) changes.push({ blob: m[1], status: m[2] as GitCommit['changes'][number]['status'], path: unquote(m[3]) });
    }
    commits.push({ sha, author, time, message: message ?? '', changes });
  }
  return commits;
}
