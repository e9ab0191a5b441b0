import { describe, expect, it } from 'vitest';
import { AnchorPlacer, parseSchemaDump } from './dump-anchor.js';

const DUMP = `-- CHANGE MASTER TO MASTER_LOG_FILE='mariadb-bin.000002', MASTER_LOG_POS=1161;
USE \`shop\`;
CREATE TABLE \`users\` (
  \`id\` int(11) NOT NULL,
  \`email\` varchar(64) DEFAULT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
-- SET GLOBAL gtid_slave_pos='0-1-40,1-7-3';
`;

describe('a schema dump and its position', () => {
  it('reads the definitions, the file and position, and the GTID of every domain', () => {
    const dump = parseSchemaDump(DUMP, 'schema.sql');
    expect(dump.anchor).toEqual({ file: 'mariadb-bin.000002', pos: 1161, gtids: new Map([[0, 40], [1, 3]]) });
    expect(dump.definitions.get('shop', 'users').columns?.map((c) => c.name)).toEqual(['id', 'email']);
    expect([...dump.databases]).toEqual(['shop']);
  });

  it('places events of the raw binlog the dump names by position', () => {
    const p = new AnchorPlacer(parseSchemaDump(DUMP, 's').anchor!, '/x/mariadb-bin.000002', 'mariadb-bin.000002');
    expect(p.place(900, undefined).side).toBe('before');
    expect(p.place(1161, undefined).side).toBe('before');
    expect(p.place(1200, undefined).side).toBe('after');
    // Once past the position, every later event is after it.
    expect(p.place(500, undefined).side).toBe('after');
  });

  it('an earlier binlog of the series is all before the dump; a later one cannot be joined to it', () => {
    const anchor = parseSchemaDump(DUMP, 's').anchor!;
    expect(new AnchorPlacer(anchor, 'mariadb-bin.000001', 'mariadb-bin.000001').place(99_999, undefined).side).toBe('before');
    expect(new AnchorPlacer(anchor, 'mariadb-bin.000003', 'mariadb-bin.000003').place(4, undefined)).toEqual({ side: 'unplaceable', reason: expect.stringMatching(/between that position and mariadb-bin\.000003 are not in the scan/) });
  });

  it('places a listing by GTID: joined only when it holds the last group before the dump, or starts at the next one', () => {
    const single = parseSchemaDump(DUMP.replace('0-1-40,1-7-3', '0-1-40'), 's').anchor!;
    const seen = new AnchorPlacer(single, undefined, 'l.txt');
    expect(seen.place(10, { domain: 0, server: 1, seq: 40 }).side).toBe('before');
    expect(seen.place(20, { domain: 0, server: 1, seq: 41 }).side).toBe('after');
    expect(new AnchorPlacer(single, undefined, 'l.txt').place(20, { domain: 0, server: 1, seq: 41 }).side).toBe('after');
    expect(new AnchorPlacer(single, undefined, 'l.txt').place(20, { domain: 0, server: 1, seq: 45 }).side).toBe('unplaceable');
    // Two domains: the listing must show a group from before the dump.
    const two = parseSchemaDump(DUMP, 's').anchor!;
    expect(new AnchorPlacer(two, undefined, 'l.txt').place(20, { domain: 0, server: 1, seq: 41 }).side).toBe('unplaceable');
    // No GTID and not the raw binlog: nothing places it.
    expect(new AnchorPlacer(two, undefined, 'l.txt').place(20, undefined)).toEqual({ side: 'unplaceable', reason: expect.stringMatching(/cannot be placed in l\.txt/) });
  });
});
