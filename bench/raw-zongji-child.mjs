// Raw zongji on the same binlog, the anchor of bench/mysql.bench.ts: reads every row event from the
// oldest binlog to the end seen at start, and prints its rows and its whole-process CPU seconds.
import ZongJi from '@vlasky/zongji';
import mysql from 'mysql2/promise';

const [port, serverId] = process.argv.slice(2).map(Number);
const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
const [[end]] = await conn.query('SHOW MASTER STATUS');
const [logs] = await conn.query('SHOW BINARY LOGS');
await conn.end();
let rows = 0;
const z = new ZongJi({ host: '127.0.0.1', port, user: 'root' });
await new Promise((resolve, reject) => {
  z.on('error', reject);
  z.on('binlog', (e) => {
    const name = e.getEventName();
    if (name === 'writerows' || name === 'updaterows' || name === 'deleterows') rows += e.rows.length;
    if ((name === 'xid' || name === 'query') && z.options.filename === end.File && e.nextPosition >= Number(end.Position)) resolve();
  });
  z.start({ serverId, filename: logs[0].Log_name, position: 4, includeEvents: ['rotate', 'tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query'] });
});
z.stop();
const cpu = process.cpuUsage();
process.stdout.write(JSON.stringify({ rows, cpuSeconds: (cpu.user + cpu.system) / 1e6 }) + '\n');
process.exit(0);
