import { execFileSync } from 'node:child_process';
import { AppError } from '../../../shared/core/api/errors.js';
import { DriftlineService, Store } from '../../../shared/node/services/index.js';
import { startHttpServer } from '../../../shared/node/serve/http-server.js';
import { parseCommandArgs, requireOption, type Command } from '../args.js';
import { RENDERER_DIST, ROOT, rendererBuilt } from '../paths.js';

/** How long a scan started from the served studio waits for another writer (a CLI scan) to finish. */
const WRITER_WAIT_MS = 10 * 60_000;

export const serveCommand: Command = {
  name: 'serve',
  usage: `Usage: driftline serve --workspace <file> [--port N] [--read-only]

Prints the local URL (with its per-run token) on stdout, then serves until Ctrl-C.
Listens on 127.0.0.1 only; other local pages cannot call it without the token.
The workspace is read; it is claimed for writing only while a scan started from the studio runs
(after waiting for any other writer). --read-only never writes.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('serve', argv, { workspace: { type: 'string' }, port: { type: 'string' }, 'read-only': { type: 'boolean' } });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('INVALID_INPUT', `--port must be a port number (0–65535), not "${String(values.port)}"`);
    if (!rendererBuilt()) {
      io.err('building the studio (first run)…\n');
      execFileSync(process.execPath, [`${ROOT}/node_modules/vite/bin/vite.js`, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const workspace = requireOption('serve', values.workspace, 'workspace');
    // serve reads; it claims the workspace's one writer only while it scans or saves a source, and
    // then waits for a scan run elsewhere to finish (DESIGN.md: one writer per workspace).
    const store = await Store.openReader(workspace, { waitMs: WRITER_WAIT_MS });
    const openWriter = values['read-only'] ? undefined : (purpose: string, signal?: AbortSignal) => Store.openWriter(workspace, { waitMs: WRITER_WAIT_MS, purpose: `driftline serve (${purpose})`, signal });
    const service = new DriftlineService(store, { openWriter });
    const server = await startHttpServer({ service, staticDir: RENDERER_DIST, port });
    io.out(`${server.openUrl}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    store.close();
    return 0;
  },
};
