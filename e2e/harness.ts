import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DriftlineService, type BundleInfo } from '../shared/node/services/driftline-service.js';
import { startHttpServer, type RunningServer } from '../shared/node/serve/http-server.js';
import { Store } from '../shared/node/store/index.js';
import { makeFixtureWorkspace } from './fixtures/make-fixture-workspace.js';

/**
 * Runs the real studio for a test: a workspace, `driftline serve`'s HTTP server in-process, and
 * Debian's Chromium through playwright-core. Nothing is stubbed: the page talks to the server
 * over HTTP + WebSocket exactly as an auditor's browser does.
 */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_DIST = join(ROOT, 'renderer', 'dist');
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';
const DEMO_WORKSPACE = join(ROOT, 'resources', 'demo', 'demo.driftline');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface Studio {
  store: Store;
  server: RunningServer;
  browser: Browser;
  /** Raw PII values the fixture knows; none may appear in the page. */
  rawValues: string[];
  usesDemo: boolean;
  /** Opens the studio in a new page (1440×900), waits for the shell, returns the page. */
  open(options?: { view?: string; locale?: 'en' | 'zh-CN'; theme?: 'light' | 'dark' }): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface StudioOptions {
  /** Generated nodes added to the fixture (bench). */
  extraNodes?: number;
  /** Use resources/demo/demo.driftline when it exists. */
  useDemo?: boolean;
  /** Open this workspace file (e.g. a demo freshly built into a temp dir) instead of the fixture. */
  workspacePath?: string;
  /** An empty, new workspace (empty states). */
  empty?: boolean;
  /** Serve the fixture read-only as if opened from a sealed bundle with this seal. */
  bundle?: BundleInfo;
}

export async function startStudio(options: StudioOptions = {}): Promise<Studio> {
  if (!existsSync(join(RENDERER_DIST, 'index.html'))) throw new Error('renderer/dist is not built: run "npm run build:renderer" first');
  // The lead's demo workspace, once it exists, is the better subject; until then the fixture.
  const usesDemo = !!options.useDemo && existsSync(DEMO_WORKSPACE);
  let store: Store;
  let rawValues: string[] = [];
  let cleanupDir: string | null = null;
  if (options.workspacePath) {
    store = Store.open(options.workspacePath);
  } else if (usesDemo) {
    store = Store.open(DEMO_WORKSPACE, { readOnly: true });
  } else if (options.empty) {
    cleanupDir = mkdtempSync(join(tmpdir(), 'driftline-e2e-empty-'));
    process.env.DRIFTLINE_HOME = join(cleanupDir, 'home');
    store = Store.open(join(cleanupDir, 'empty.driftline'), { create: true });
  } else {
    const fixture = makeFixtureWorkspace({ extraNodes: options.extraNodes });
    store = fixture.store;
    rawValues = fixture.rawValues;
    cleanupDir = dirname(fixture.path);
    if (options.bundle) {
      // A sealed bundle opens read-only: reopen the filled fixture that way.
      store.close();
      store = Store.open(fixture.path, { readOnly: true });
    }
  }
  const server = await startHttpServer({ service: new DriftlineService(store, { bundle: options.bundle }), staticDir: RENDERER_DIST });
  const browser = await launchChromium();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  return {
    store, server, browser, rawValues, usesDemo: usesDemo || !!options.workspacePath,
    async open({ view, locale = 'en', theme = 'light' } = {}) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: locale === 'zh-CN' ? 'zh-CN' : 'en-US', timezoneId: 'UTC' });
      await context.addInitScript(({ locale: l, theme: th }) => {
        localStorage.setItem('driftline.locale', l);
        localStorage.setItem('driftline.theme', th);
      }, { locale, theme });
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
      const url = view ? `${server.url}#token=${server.token}&view=${view}` : server.openUrl;
      await page.goto(url);
      await page.waitForSelector('[data-testid="workspace-name"]', { timeout: 15_000 });
      return page;
    },
    async screenshot(page, name) {
      const file = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await browser.close();
      await server.close();
      store.close();
      if (cleanupDir) rmSync(cleanupDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the lineage canvas shows a finished layout with at least one node drawn. */
export async function waitForLineage(page: Page, timeout = 60_000): Promise<number> {
  await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"] .svelte-flow__node', { timeout });
  return page.locator('.svelte-flow__node').count();
}
