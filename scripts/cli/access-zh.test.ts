import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../testing/temp.js';
import { englishSentences } from '../testing/english-sentences.js';
import { buildTestWorkspace } from '../testing/fixtures/report-workspace.js';
import { entityLabel, translate } from '../../shared/core/i18n/index.js';
import { runCliInProcess } from './run-in-process.js';

/*
 * `driftline access` in Chinese, on the report fixture's real grants (SHOW GRANTS, kafka-acls --list
 * and a credential chain): every line is said from the catalogue and the answers' phrases, so no
 * English sentence is left; identifiers (accounts, URNs, SQL) stay as they are.
 */
const tmp = useTempHome();
afterAll(() => tmp.cleanup());

const run = runCliInProcess;

let workspace: string;
beforeAll(() => {
  workspace = tmp.path('access.driftline');
  buildTestWorkspace(workspace).store.close();
});

describe('driftline access --lang zh-CN', () => {
  it('answers who can read a column in Chinese: readers, how, restrictions and the chain hop by hop', async () => {
    const r = await run('access', '--workspace', workspace, 'mysql://shop-db/shop/users#phone', '--lang', 'zh-CN');
    expect(r.code).toBe(0);
    expect(r.out).toContain(translate('zh-CN', 'access.cli.header', { urn: 'mysql://shop-db/shop/users#phone', entities: entityLabel('CN_MOBILE', 'zh-CN'), count: 3 }));
    expect(r.out).toContain(`shop_app@10.8.% — ${translate('zh-CN', 'access.via.direct')}（`);
    expect(r.out).toContain(translate('zh-CN', 'ev.cond.fromHost', { hosts: '10.8.%' }));
    expect(r.out).toContain(`ServiceAccount:shop/reporter — ${translate('zh-CN', 'access.via.credential')}`);
    expect(englishSentences(r.out)).toEqual([]);
  });

  it('says a topic everyone may read except User:bob, whom a DENY stops, in Chinese', async () => {
    const r = await run('access', '--workspace', workspace, 'kafka://events/shop.users#after.phone', '--lang', 'zh-CN');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`User:*（${translate('zh-CN', 'access.everyone')}）`);
    expect(r.out).toContain(translate('zh-CN', 'access.denied', { names: 'User:bob' }));
    expect(englishSentences(r.out)).toEqual([]);
  });

  it('lists what a principal can read in Chinese, and refuses an unknown language', async () => {
    const r = await run('access', '--workspace', workspace, '--principal', 'report@%', '--lang', 'zh-CN');
    expect(r.code).toBe(0);
    expect(r.out).toContain(translate('zh-CN', 'access.cli.principalHeader', { principal: 'report@%', count: 2 }));
    expect(englishSentences(r.out)).toEqual([]);
    const bad = await run('access', '--workspace', workspace, '--principal', 'report@%', '--lang', 'fr');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--lang must be en or zh-CN/);
  });

  it('stays English by default', async () => {
    const r = await run('access', '--workspace', workspace, 'kafka://events/shop.users#after.phone');
    expect(r.out).toContain('User:* (anyone)');
    expect(r.out).toContain('Denied: User:bob');
  });
});
