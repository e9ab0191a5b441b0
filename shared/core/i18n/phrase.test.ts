import { describe, expect, it } from 'vitest';
import { canSay, phrase, say, spoken, textOf, textsOf } from './phrase.js';

describe('phrases', () => {
  it('says a phrase, with nested phrases and lists, in each language', () => {
    const p = phrase('ev.access.credentialHop', { secret: 'Secret shop/db', principal: 'app@%', origin: phrase('ev.origin.bucketPolicy') });
    expect(say(p, 'en')).toBe('Secret shop/db holds the credential of app@% [bucket policy]');
    expect(say(p, 'zh-CN')).toBe('Secret shop/db 中保存着 app@% 的凭据［存储桶策略］');
    const limited = phrase('ev.grant.limited', { effect: '', privilege: 'SELECT', pattern: 'shop.*', limits: [phrase('ev.grant.fromHost', { hosts: '10.%' }), phrase('ev.grant.afterSetRole')], origin: 'grantsFile g.txt' });
    expect(say(limited, 'en')).toBe('SELECT on shop.* (from host 10.%; after SET ROLE) [grantsFile g.txt]');
    expect(say(limited, 'zh-CN')).toBe('对 shop.* 的 SELECT 权限（仅限主机 10.%；需先执行 SET ROLE）［grantsFile g.txt］');
  });

  it('stores the English text beside the phrase', () => {
    expect(spoken('ev.value.absent')).toEqual({ text: 'absent', phrase: { key: 'ev.value.absent' } });
  });

  it('shows what a workspace stored when there is no phrase, or one this build cannot say', () => {
    expect(textOf('stored English', undefined, 'zh-CN')).toBe('stored English');
    expect(textOf('stored English', { key: 'ev.no.such.key' }, 'zh-CN')).toBe('stored English');
    expect(textOf('stored English', { key: 'ev.chain', params: { from: 'a', to: { key: 'ev.unknown.key' } } }, 'zh-CN')).toBe('stored English');
    expect(canSay('not a phrase')).toBe(false);
    expect(textOf('absent', { key: 'ev.value.absent' }, 'zh-CN')).toBe('不存在');
    expect(textsOf(['a', 'absent'], [undefined, { key: 'ev.value.absent' }], 'zh-CN')).toEqual(['a', '不存在']);
  });

  it('bounds nesting (stored data is not trusted to be small)', () => {
    let deep: ReturnType<typeof phrase> = phrase('ev.value.absent');
    for (let i = 0; i < 50; i++) deep = phrase('ev.chain', { from: deep, to: 'x' });
    expect(canSay(deep)).toBe(false);
    expect(say(deep, 'en').length).toBeLessThan(200);
  });
});
