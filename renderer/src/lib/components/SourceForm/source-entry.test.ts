import { describe, expect, it } from 'vitest';
import { describeSourceForm } from '../../../../../shared/core/sources/form';
import { mysqlConfigSchema } from '../../../../../shared/core/sources/mysql';
import { applyValues, initialValues } from './source-entry';

const mysql = describeSourceForm({ kind: 'mysql', configSchema: mysqlConfigSchema }).fields;

describe('the source form turns its inputs into a sources.yaml entry', () => {
  it('round-trips an entry, keeping keys the form does not show', () => {
    const config = { name: 'shop-db', kind: 'mysql', region: 'cn-north-1', host: '127.0.0.1', port: 3307, databases: ['shop', 'crm'], binlog: { serverId: 4242, maxEvents: 10 }, replicas: [{ host: 'r', port: 3306, region: 'eu' }] };
    const values = initialValues(mysql, config);
    expect(values).toMatchObject({ host: '127.0.0.1', port: '3307', databases: 'shop, crm', 'binlog.serverId': '4242', 'binlog.follow': false, grants: true });
    const { entry, problems } = applyValues(mysql, values, config);
    expect(problems).toEqual([]);
    expect(entry).toEqual(config);
    expect(mysqlConfigSchema.safeParse(entry).success).toBe(true);
  });

  it('drops emptied inputs and an emptied group, and never sends a value that is not a variable name', () => {
    const config = { name: 'db', kind: 'mysql', region: 'eu', host: 'h', user: 'u', binlog: { serverId: 1 } };
    const values = { ...initialValues(mysql, config), user: '  ', 'binlog.serverId': '', passwordEnv: 'hunter2 is my password' };
    const { entry, problems } = applyValues(mysql, values, config);
    expect(entry).toEqual({ name: 'db', kind: 'mysql', region: 'eu', host: 'h' });
    expect(problems.map((p) => [p.path, p.problem])).toEqual([['passwordEnv', 'secret-env']]);
    expect(JSON.stringify(entry)).not.toContain('hunter2');
  });

  it('reports a number that is not one, naming the field', () => {
    const { problems } = applyValues(mysql, { ...initialValues(mysql, {}), host: 'h', port: 'three' }, { name: 'db', kind: 'mysql', region: 'eu' });
    expect(problems.map((p) => p.path)).toEqual(['port']);
  });
});
