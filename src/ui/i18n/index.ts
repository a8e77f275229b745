import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey } from './en';
export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export type MessageParams = Record<string, string | number>;

/** The text of `key` in `locale`, with {name} placeholders filled in. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = dictionaries[locale][key];
  if (params === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** A key built from model data (a loss cause, a fault kind): the translation when there is one, else `fallback`. */
export function translateDynamic(locale: Locale, key: string, fallback: string, params?: MessageParams): string {
  return isMessageKey(key) ? translate(locale, key, params) : fallback;
}

export function dictionary(locale: Locale): Readonly<Record<MessageKey, string>> {
  return dictionaries[locale];
}

/** The locale to start in: ?lng=…, then the saved choice, then the browser's language. */
export function initialLocale(search: string, saved: string | null, browserLanguage: string): Locale {
  const fromQuery = new URLSearchParams(search).get('lng');
  for (const candidate of [fromQuery, saved]) {
    if (candidate === 'en' || candidate === 'zh-CN') return candidate;
    if (candidate?.toLowerCase().startsWith('zh')) return 'zh-CN';
  }
  return browserLanguage.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
