import { extname, normalize, resolve, sep } from 'node:path';

/**
 * The studio is served to the window from a custom, privileged scheme rather than file://:
 * Chromium gives file:// pages an opaque origin, which refuses module workers (our elkjs layout
 * worker) and fetch. Only files inside the built renderer are reachable.
 */
export const APP_SCHEME = 'driftline';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon' };

/** Maps `driftline://studio/<path>` to a file inside rendererDir, or undefined (wrong host, traversal). */
export function resolveAppPath(rendererDir: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  const root = resolve(rendererDir);
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(parsed.pathname)).replace(/^([/\\])+/, '');
  } catch {
    return undefined;
  }
  const file = resolve(root, rel || 'index.html');
  return file.startsWith(root + sep) ? file : undefined;
}

export const mimeOf = (file: string): string => MIME[extname(file)] ?? 'application/octet-stream';
