import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseCommandArgs, type Command } from '../args.js';
import { DEMO_WORKSPACE, ROOT } from '../paths.js';
import { serveCommand } from './serve.js';

/** The Electron binary, if this install has one (it is downloaded on first run on a normal machine). */
function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export const studioCommand: Command = {
  name: 'studio',
  summary: 'start the desktop studio (Electron), or the browser studio where Electron is unavailable',
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
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build-demo.ts')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
      if (r.status !== 0) throw new Error('building the demo workspace failed (see above)');
    }
    const electron = values.browser ? undefined : electronBinary();
    if (electron) {
      const child = spawn(electron, [ROOT, '--workspace', workspace], { stdio: 'inherit' });
      return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
    }
    if (!values.browser) io.err('Electron is not available here; opening the same studio in your browser instead.\nOpen this URL:\n');
    return serveCommand.run(['--workspace', workspace, ...(values.port ? ['--port', String(values.port)] : [])], io);
  },
};
