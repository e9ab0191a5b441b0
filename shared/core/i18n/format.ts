/** The languages of every screen, report and CLI message. */
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

export type MessageParams = Record<string, string | number>;

export const isLang = (value: unknown): value is Lang => value === 'en' || value === 'zh-CN';

/**
 * Fills a template: `{name}` placeholders from `params` (numbers formatted for `lang`), and
 * `one|other` plural forms chosen by Intl.PluralRules on `params.count` (Chinese needs none).
 * A placeholder without a value stays visible, so a missing parameter shows in tests and screenshots.
 */
export function formatMessage(template: string, params: MessageParams | undefined, lang: Lang): string {
  let text = template;
  if (text.includes('|')) {
    const [one, other] = text.split('|');
    const count = params?.count;
    text = typeof count === 'number' && new Intl.PluralRules(lang).select(count) === 'one' ? one : other;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(lang).format(value) : value;
  });
}
