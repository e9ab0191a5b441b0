import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoExclusive } from './demo-build.js';
import { makePeople } from '../scripts/demo/synthetic-people.js';
import { useTempHome } from '../scripts/testing/temp.js';
import { ROOT, launchChromium, waitForLineage, SCREENSHOT_DIR } from './harness.js';

/**
 * The README's main path, end to end: the demo workspace built from its captures, `driftline serve`
 * started as a real process, and the studio loaded from the URL it prints, in Debian's chromium.
 */
const tmp = useTempHome('driftline-e2e-demo-');
let serve: ChildProcess;
let url: string;
let browser: Browser;

beforeAll(async () => {
  const workspace = tmp.path('demo.driftline');
  await buildDemoExclusive(workspace);
  serve = spawn(process.execPath, [join(ROOT, 'scripts', 'cli', 'bin.mjs'), 'serve', '--workspace', workspace], { cwd: ROOT, env: { ...process.env }, stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('driftline serve printed no URL within 60 s')), 60_000);
    createInterface({ input: serve.stdout! }).once('line', (line) => { clearTimeout(timer); resolve(line.trim()); });
    serve.once('exit', (code) => reject(new Error(`driftline serve exited with ${code}`)));
  });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  serve?.kill('SIGTERM');
  tmp.cleanup();
});

describe('driftline serve on the demo workspace', () => {
  it('prints a 127.0.0.1 URL with its token', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
  });

  it('loads the studio and draws the lineage graph', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('[data-testid="workspace-name"]', { timeout: 30_000 });
    const drawn = await waitForLineage(page);
    expect(drawn).toBeGreaterThan(3);
    await expect(page.locator('[data-testid="workspace-name"]').textContent()).resolves.toContain('demo');
    const text = (await page.textContent('body')) ?? '';
    expect(text).toMatch(/shop-db/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'demo-lineage.png') });
    const people = makePeople(240);
    for (const p of people.slice(0, 50)) expect(text.includes(p.phone) || text.includes(p.idCard)).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
