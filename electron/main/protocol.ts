import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../shared/node/serve/http-server.js';
import { realFileInside } from '../../shared/node/serve/safe-files.js';
import { APP_SCHEME, mimeOf, resolveAppPath } from './app-path.js';

/** Must run before the app is ready: makes driftline:// a standard, secure origin for the studio. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
}

/** Serves the built renderer on driftline://studio/, with the studio's CSP on every answer. */
export function serveStudio(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    // The mapped path, then its real location: a link planted in the renderer folder leads nowhere.
    const mapped = resolveAppPath(rendererDir, request.url);
    const file = mapped && realFileInside(rendererDir, mapped);
    if (!file) return new Response('not found', { status: 404 });
    const upstream = await net.fetch(pathToFileURL(file).toString());
    if (!upstream.ok) return new Response('not found', { status: 404 });
    return new Response(upstream.body, { status: 200, headers: { 'Content-Type': mimeOf(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' } });
  });
}
