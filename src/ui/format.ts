import type { Locale } from './i18n';

/**
 * Numbers for people: `583,000` in English, `58.3万` in Chinese (the 万/亿 grouping people read),
 * always through Intl so that separators follow the locale.
 */
const cache = new Map<string, Intl.NumberFormat>();
function formatter(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

export const NO_VALUE = '–';

/** A count or a rate: whole numbers grouped; 万/亿 from 10,000 in Chinese; M/B from a million in English. */
export function formatNumber(locale: Locale, value: number, maximumFractionDigits = 0): string {
  if (!Number.isFinite(value)) return NO_VALUE;
  const magnitude = Math.abs(value);
  if (locale === 'zh-CN' && magnitude >= 10_000) return formatter(locale, { notation: 'compact', maximumSignificantDigits: 3 }).format(value);
  if (locale === 'en' && magnitude >= 1_000_000) return formatter(locale, { notation: 'compact', maximumSignificantDigits: 3 }).format(value);
  const digits = magnitude >= 100 ? 0 : maximumFractionDigits;
  return formatter(locale, { maximumFractionDigits: digits }).format(value);
}

/** Milliseconds: two significant decimals below 10 ms, whole numbers above. */
export function formatMs(locale: Locale, ms: number): string {
  if (!Number.isFinite(ms)) return NO_VALUE;
  if (ms < 10) return formatter(locale, { maximumFractionDigits: 2 }).format(ms);
  if (ms < 100) return formatter(locale, { maximumFractionDigits: 1 }).format(ms);
  return formatNumber(locale, ms);
}

/** Simulated seconds as `12.3`. */
export function formatSeconds(locale: Locale, seconds: number, fractionDigits = 1): string {
  if (!Number.isFinite(seconds)) return NO_VALUE;
  return formatter(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(seconds);
}

/** Short axis ticks (`10K`, `1万`). */
export function formatTick(locale: Locale, value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Math.abs(value) >= 10_000 || (locale === 'en' && Math.abs(value) >= 1_000)) {
    return formatter(locale, { notation: 'compact', maximumSignificantDigits: 3 }).format(value);
  }
  return formatter(locale, { maximumFractionDigits: 2 }).format(value);
}

/**
 * A time on the run's clock for axes and the top bar: seconds (`12.3`) in a plain run, the time
 * of day (`23:59:40`) on a sale's clock, where 0 is midnight.
 */
export function formatClock(locale: Locale, clockSeconds: number, saleClock: boolean, fractionDigits = 1): string {
  if (!Number.isFinite(clockSeconds)) return NO_VALUE;
  if (!saleClock) return formatSeconds(locale, clockSeconds, fractionDigits);
  const day = 86_400;
  const total = ((Math.floor(clockSeconds) % day) + day) % day;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(total / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}
