// A whole `driftline scan` as users run it — the CLI compiled into dist/ — in its own process, for
// bench/mysql.bench.ts: runs the command with the given arguments and prints, as its last stdout
// line, the exit code and the whole process's CPU seconds (module loading included).
const { main } = await import('../dist/cli.mjs');
const code = await main(process.argv.slice(2));
const cpu = process.cpuUsage();
process.stdout.write(`\n${JSON.stringify({ code, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
process.exitCode = code;
