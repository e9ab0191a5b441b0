'use strict';
/**
 * Runs s3rver in its own Node process, started by index.ts with --openssl-legacy-provider:
 * s3rver 3.7.1 builds ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node ≥17)
 * only offers from the legacy provider — without it every paginated listing answers 500.
 * Usage: node --openssl-legacy-provider s3rver-process.cjs <directory>
 * Prints {"port":N} on stdout once listening; exits when stdin closes (the parent went away) or on SIGTERM.
 */
const S3rver = require('s3rver');

async function main() {
  const directory = process.argv[2];
  if (!directory) throw new Error('usage: s3rver-process.cjs <directory>');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    server.close().finally(() => process.exit(0));
    // Open keep-alive sockets must not hold the process: exit anyway after a short grace period.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', close);
  process.stdin.on('end', close);
  process.stdin.resume();
  process.stdout.write(JSON.stringify({ port }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`s3rver-process: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
