import { hasMessage, isLang, translate, type Lang, type MessageKey } from '../../../../shared/core/i18n';

export type { MessageKey };
export type Locale = Lang;
export const LOCALES: { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];

const STORAGE_KEY = 'driftline.locale';

function initialLocale(): Locale {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (isLang(stored)) return stored;
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * Every string the studio shows goes through `t`; dates and numbers through Intl with the same
 * locale, so switching language re-renders everything at once (the locale is reactive state).
 */
class I18nManager {
  locale = $state<Locale>(initialLocale());

  // Intl formatters are costly to build; keep one set per locale.
  #formatters = $derived.by(() => ({
    number: new Intl.NumberFormat(this.locale),
    decimal: new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 }),
    percent: new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: 0 }),
    dateTime: new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }),
    relative: new Intl.RelativeTimeFormat(this.locale, { numeric: 'auto' }),
    list: new Intl.ListFormat(this.locale, { style: 'short', type: 'conjunction' }),
  }));

  setLocale(locale: Locale): void {
    this.locale = locale;
    localStorage.setItem(STORAGE_KEY, locale);
    document.documentElement.lang = locale;
  }

  /** The message for `key` in the current locale (shared/core/i18n, the one catalogue), placeholders filled. */
  t = (key: MessageKey, params?: Record<string, string | number>): string => translate(this.locale, key, params);

  /** The name of a snapshot stat (keyed by record type: node, config, gap…); a key the catalogue
   * does not know (a workspace written by another version) is shown as it is. */
  statLabel = (key: string): string => {
    const k = `sources.stat.${key}`;
    return hasMessage(k) ? this.t(k as MessageKey) : key;
  };

  number = (n: number): string => this.#formatters.number.format(n);
  decimal = (n: number): string => this.#formatters.decimal.format(n);
  percent = (ratio: number): string => this.#formatters.percent.format(ratio);
  list = (items: string[]): string => this.#formatters.list.format(items);

  dateTime = (iso: string | null | undefined): string => {
    if (!iso) return this.t('common.never');
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : this.#formatters.dateTime.format(d);
  };

  /** "3 minutes ago" style, for the last scan of a source. */
  relativeTime = (iso: string | null | undefined, now = Date.now()): string => {
    if (!iso) return this.t('common.never');
    const seconds = (new Date(iso).getTime() - now) / 1000;
    const steps: [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity]];
    let value = seconds;
    for (const [unit, size] of steps) {
      if (Math.abs(value) < size) return this.#formatters.relative.format(Math.round(value), unit);
      value /= size;
    }
    return this.dateTime(iso);
  };

  /** A duration for an ETA: "42 s", "3 min", "1 h 5 min" through Intl units. */
  duration = (totalSeconds: number): string => {
    const unit = (value: number, u: 'second' | 'minute' | 'hour') => new Intl.NumberFormat(this.locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
    const s = Math.max(0, Math.round(totalSeconds));
    if (s < 60) return unit(s, 'second');
    if (s < 3600) return unit(Math.round(s / 60), 'minute');
    return `${unit(Math.floor(s / 3600), 'hour')} ${unit(Math.round((s % 3600) / 60), 'minute')}`;
  };
}

export const i18n = new I18nManager();
export const t = i18n.t;
