import { describe, expect, it } from 'vitest';
import { LANGS, formatMessage, messageKeys, translate } from './index.js';

describe('text catalogue', () => {
  it('has every key in every language, and no empty text', () => {
    const en = messageKeys('en').sort();
    for (const lang of LANGS) {
      expect(messageKeys(lang).sort()).toEqual(en);
      for (const key of messageKeys(lang)) expect(translate(lang, key as never).trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('fills placeholders and chooses plural forms by count', () => {
    expect(formatMessage('{count} value|{count} values', { count: 1 }, 'en')).toBe('1 value');
    expect(formatMessage('{count} value|{count} values', { count: 1200 }, 'en')).toBe('1,200 values');
    expect(formatMessage('{n} 个值', { n: 3 }, 'zh-CN')).toBe('3 个值');
    expect(formatMessage('{missing} stays', {}, 'en')).toBe('{missing} stays');
  });

  it('falls back to the key for a key it does not know (never an empty string)', () => {
    expect(translate('zh-CN', 'no.such.key' as never)).toBe('no.such.key');
    expect(translate('zh-CN', 'common.unknown')).toBe('未知');
  });
});
