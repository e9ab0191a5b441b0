import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import { main } from '../../../../scripts/cli/main.js';
import type { Io } from '../../../../scripts/cli/args.js';
import { isAppError } from '../../../core/api/errors.js';
import { Store } from '../../store/index.js';
import { gitSource } from './index.js';
import { findKubectl } from './kustomize.js';

/*
 * A scanned repository is input from a stranger. Its .git/config, the user's global config and
 * the system config may all name programs; none may run while Driftline reads the repository.
 */
const tmp = useTempHome('driftline-git-safety-');
const repo = tmp.path('evil-repo');
const marker = tmp.path('pwned.log');
const evil = tmp.path('evil.sh');
const ESC_NAME = 'we\u001bird\tname.yaml';

const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: 'Mallory', GIT_AUTHOR_EMAIL: 'm@example.com', GIT_COMMITTER_NAME: 'Mallory', GIT_COMMITTER_EMAIL: 'm@example.com', GIT_AUTHOR_DATE: '2026-01-05T10:00:00Z', GIT_COMMITTER_DATE: '2026-01-05T10:00:00Z' } }).toString().trim();

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; }, isTTY: false };
  return { code: await main(argv, io), out: () => out, err: () => err };
}

const planted = () => (existsSync(marker) ? readFileSync(marker, 'utf8') : '');
const savedEnv = { ...process.env };
let head = '';

beforeAll(() => {
  // Every program a config could name is this script: it leaves a line in the marker file.
  writeFileSync(evil, `#!/bin/sh\necho "ran: $0 $*" >> '${marker}'\ncat >/dev/null 2>&1\nexit 0\n`);
  chmodSync(evil, 0o755);
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: shop\ndata:\n  LOG_LEVEL: info\n');
  writeFileSync(join(repo, ESC_NAME), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: oddly-named\n  namespace: shop\ndata:\n  a: b\n');
  writeFileSync(join(repo, '.gitattributes'), '* diff=evil filter=evil merge=evil\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  // A commit carrying a (fake) PGP signature: with log.showSignature, git would hand it to gpg.program.
  const raw = git('cat-file', 'commit', 'HEAD');
  const [headers, ...body] = raw.split('\n\n');
  const signed = `${headers}\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEEfakefakefakefakefakefakefakefakeFAKE=\n =fake\n -----END PGP SIGNATURE-----\n\n${body.join('\n\n')}\n`;
  const sha = execFileSync('git', ['-C', repo, 'hash-object', '-t', 'commit', '-w', '--stdin'], { input: signed }).toString().trim();
  git('update-ref', 'refs/heads/main', sha);
  git('tag', 'v1');
  head = sha;

  const hooks = join(repo, '.git', 'hooks');
  for (const hook of ['pre-commit', 'post-checkout', 'post-merge', 'reference-transaction', 'post-index-change', 'pre-auto-gc', 'fsmonitor-watchman']) {
    writeFileSync(join(hooks, hook), `#!/bin/sh\nexec '${evil}' hook-${hook}\n`);
    chmodSync(join(hooks, hook), 0o755);
  }
  const programs = [
    '[log]', `\tshowSignature = true`,
    '[gpg]', `\tprogram = ${evil}`, '[gpg "ssh"]', `\tprogram = ${evil}`, '[gpg "x509"]', `\tprogram = ${evil}`,
    '[core]', `\tfsmonitor = ${evil}`, `\thooksPath = ${hooks}`, `\tpager = ${evil}`, `\tsshCommand = ${evil}`, `\taskPass = ${evil}`, `\teditor = ${evil}`, `\tattributesFile = ${join(repo, '.gitattributes')}`,
    '[pager]', `\tlog = ${evil}`, `\tshow = ${evil}`,
    '[diff]', `\texternal = ${evil}`, '[diff "evil"]', `\ttextconv = ${evil}`, `\tcommand = ${evil}`,
    '[filter "evil"]', `\tclean = ${evil}`, `\tsmudge = ${evil}`, `\tprocess = ${evil}`,
    '[credential]', `\thelper = !${evil}`,
  ].join('\n') + '\n';
  writeFileSync(join(repo, '.git', 'config'), readFileSync(join(repo, '.git', 'config'), 'utf8') + programs);
  // The same programs from the user's global and the system config (via the environment git reads).
  writeFileSync(tmp.path('evil-global.gitconfig'), programs);
  mkdirSync(tmp.path('home/.config/git'), { recursive: true });
  writeFileSync(tmp.path('home/.gitconfig'), programs);
  writeFileSync(tmp.path('home/.config/git/config'), programs);
  process.env.HOME = tmp.path('home');
  process.env.XDG_CONFIG_HOME = tmp.path('home/.config');
  process.env.GIT_CONFIG_GLOBAL = tmp.path('evil-global.gitconfig');
  process.env.GIT_CONFIG_SYSTEM = tmp.path('evil-global.gitconfig');
  process.env.GIT_EXTERNAL_DIFF = evil;
  process.env.GIT_PAGER = evil;
  process.env.GIT_CONFIG_PARAMETERS = `'gpg.program'='${evil}'`;

  // The planted config really is live: plain git, run the way Driftline used to, runs the program.
  execFileSync('git', ['-C', repo, '--no-pager', 'log', '-1', '--format=%H'], { env: process.env });
  if (!planted().includes('ran:')) throw new Error('test setup: the planted gpg.program did not run under plain git, so this test would prove nothing');
  writeFileSync(marker, '');

  writeFileSync(tmp.path('sources.yaml'), `sources:\n  - name: gitops\n    kind: git\n    region: cn-north-1\n    path: ./evil-repo\n    desiredFor: prod\n`);
  writeFileSync(tmp.path('bad-ref.yaml'), `sources:\n  - name: gitops\n    kind: git\n    region: cn-north-1\n    path: ./evil-repo\n    ref: --output=${tmp.path('written-by-git.txt')}\n`);
});
afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  tmp.cleanup();
});

describe('git runs with a fixed safe configuration', () => {
  it('`driftline sources test` runs none of the programs the repository, global or system config name', async () => {
    const r = await cli('sources', 'test', tmp.path('sources.yaml'));
    expect(r.out()).toMatch(/^ok\s+gitops\s+git\s+git:\/\/gitops: .*evil-repo at [0-9a-f]{12} \(2026-01-05T10:00:00\+00:00\)/m);
    expect(r.code).toBe(0);
    expect(planted()).toBe('');
  });

  it('`driftline scan` runs none of them either, and still reads the history', async () => {
    const workspace = tmp.path('scan.driftline');
    const r = await cli('scan', tmp.path('sources.yaml'), '--workspace', workspace);
    expect(r.err()).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(planted()).toBe('');
    const store = Store.open(workspace, { readOnly: true });
    try {
      expect(store.configs.latest('k8s://prod/shop/ConfigMap/app', 'desired')?.author).toBe('Mallory <m@example.com>');
    } finally {
      store.close();
    }
  });

  it('reads a file name holding an escape character and a tab (NUL-separated output, never parsed as JSON)', async () => {
    const c = await collectCapture(gitSource, { name: 'gitops', kind: 'git', region: 'cn-north-1', path: repo, desiredFor: 'prod' });
    expect(c.failures).toEqual([]);
    expect(c.records.some((r) => r.type === 'config' && r.urn === 'k8s://prod/shop/ConfigMap/oddly-named')).toBe(true);
    const node = c.records.find((r) => r.type === 'node' && (r.node.props as { path?: string })?.path === ESC_NAME);
    expect(node).toBeDefined();
    expect(planted()).toBe('');
  });

  it.each([
    ['--output=/tmp/x', 'an option'],
    ['-p', 'a short option'],
    ['main@{yesterday}', 'revision syntax'],
    ['HEAD~1', 'revision syntax'],
    ['main\nx', 'a control character'],
  ])('refuses the ref %j (%s) before git sees it', async (ref) => {
    const err = await collectCapture(gitSource, { name: 'gitops', kind: 'git', region: 'cn-north-1', path: repo, ref }).catch((e) => e);
    expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
    expect(err.message).toMatch(/git:\/\/gitops: ref .* — set `ref` in sources.yaml to a branch, a tag or a commit id/);
  });

  it('a ref of --output=<file> is refused by `sources test` and writes nothing', async () => {
    const r = await cli('sources', 'test', tmp.path('bad-ref.yaml'));
    expect(r.code).toBe(1);
    expect(r.out()).toMatch(/FAIL\s+gitops .*ref "--output=.*" is not a branch, tag or commit id/);
    expect(existsSync(tmp.path('written-by-git.txt'))).toBe(false);
  });

  it('reads a ref given as a branch, a tag or a commit id', async () => {
    for (const ref of ['main', 'v1', head, head.slice(0, 12), 'refs/heads/main']) {
      const c = await collectCapture(gitSource, { name: 'gitops', kind: 'git', region: 'cn-north-1', path: repo, desiredFor: 'prod', ref });
      expect(c.records.filter((r) => r.type === 'config').length, ref).toBe(2);
    }
    expect(planted()).toBe('');
  });

  it('does not let kustomize fetch remote bases: the directory fails as an item, nothing is requested', async () => {
    if (!findKubectl()) throw new Error('kubectl is needed to render kustomizations: install it (apt-get install -y kubernetes-client)');
    const requests: string[] = [];
    const server = createServer((req, res) => { requests.push(req.url ?? ''); res.end('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\n'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const remoteRepo = tmp.path('remote-kustomize');
    mkdirSync(join(remoteRepo, 'app'), { recursive: true });
    execFileSync('git', ['init', '-q', '-b', 'main', remoteRepo]);
    writeFileSync(join(remoteRepo, 'app', 'kustomization.yaml'), `resources:\n  - http://127.0.0.1:${port}/base.yaml\n  - https://github.com/example/base//deploy?ref=v1\n`);
    const env = { ...savedEnv, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' };
    execFileSync('git', ['-C', remoteRepo, 'add', '-A'], { env });
    execFileSync('git', ['-C', remoteRepo, 'commit', '-q', '-m', 'remote base'], { env });
    try {
      const c = await collectCapture(gitSource, { name: 'gitops', kind: 'git', region: 'cn-north-1', path: remoteRepo });
      expect(c.failures.map((f) => (f.error as Error).message)).toEqual([expect.stringMatching(/app at [0-9a-f]{12}: kustomization refers to remote content \(http:\/\/127\.0\.0\.1:\d+\/base\.yaml, https:\/\/github\.com\/example\/base\/\/deploy\?ref=v1\), which Driftline does not fetch/)]);
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });
});
