import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs, type Command } from '../args.js';
import { DEMO_WORKSPACE, ROOT, rendererBuilt } from '../paths.js';
import { serveCommand } from './serve.js';

/**
 * The Electron binary. Resolving the `electron` package downloads its binary on first use (a normal
 * machine gets it on the first `npm start`); that runs in a child process so a machine without the
 * binary or the network gets one clear line instead of a stack trace, and the browser studio.
 */
function electronBinary(io: { err(t: string): void }): string | undefined {
  io.err('starting the desktop studio (the first start downloads Electron)…\n');
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], { cwd: ROOT, encoding: 'utf8', timeout: 10 * 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const path = r.status === 0 ? r.stdout.trim() : '';
  if (path && existsSync(path)) return path;
  const reason = (r.stderr || r.stdout || '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at '))[0] ?? 'no binary';
  io.err(`Electron is not available here (${reason.slice(0, 160)}).\n`);
  return undefined;
}

export const studioCommand: Command = {
  name: 'studio',
  usage: `Usage: driftline studio [--workspace <file>] [--browser]

Opens the studio on a workspace (default: the demo workspace, built on first start from
resources/demo). Without an Electron binary (or with --browser) it runs "driftline serve"
and prints the URL to open in a browser.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('studio', argv, { workspace: { type: 'string' }, browser: { type: 'boolean' }, port: { type: 'string' } });
    const workspace = (values.workspace as string | undefined) ?? DEMO_WORKSPACE;
    if (workspace === DEMO_WORKSPACE && !existsSync(DEMO_WORKSPACE)) {
      io.err('building the demo workspace from resources/demo (first start)…\n');
      const { buildDemo } = await import('../../build-demo.js');
      await buildDemo(DEMO_WORKSPACE);
    }
    const electron = values.browser ? undefined : electronBinary(io);
    if (electron) {
      // The window needs the built studio; the compiled main process and preload are in dist/
      // (bin.mjs built them before this command ran).
      const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
      if (!rendererBuilt()) spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      const child = spawn(electron, [ROOT, '--workspace', workspace], { stdio: 'inherit' });
      return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
    }
    if (!values.browser) io.err('Opening the same studio in your browser instead. Open this URL:\n');
    return serveCommand.run(['--workspace', workspace, ...(values.port ? ['--port', String(values.port)] : [])], io);
  },
};
