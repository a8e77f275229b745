import { LOSS_CAUSES, REJECT_CAUSES } from '../../../src/model/kafka/ledger';
import { describe, expect, it } from 'vitest';
import { formatClock, formatMs, formatNumber } from '../../../src/ui/format';
import { dictionary, initialLocale, translate, translateDynamic } from '../../../src/ui/i18n';
import { en } from '../../../src/ui/i18n/en';
import { zhCN } from '../../../src/ui/i18n/zh-CN';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('gives every key in both languages with the same placeholders', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[key].trim(), key).not.toBe('');
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('fills placeholders and falls back for keys built from model data', () => {
    expect(translate('en', 'topology.lod', { n: '2,000' })).toBe('1 dot = 2,000 messages (sampled)');
    expect(translate('zh-CN', 'panel.scenario')).toBe('场景');
    expect(translateDynamic('zh-CN', 'cause.delivery-timeout', 'x')).toBe('投递超时');
    expect(translateDynamic('en', 'cause.something-new', 'something-new')).toBe('something-new');
    expect(dictionary('en')['app.name']).toBe('QueueLab');
  });

  it('has a text in both languages for every loss and rejection cause the ledger can report', () => {
    for (const cause of [...LOSS_CAUSES, ...REJECT_CAUSES]) {
      expect(Object.keys(en)).toContain(`cause.${cause}`);
      expect(Object.keys(dictionary('zh-CN'))).toContain(`cause.${cause}`);
    }
  });

  it('picks the starting language from the query, the saved choice, then the browser', () => {
    expect(initialLocale('?lng=zh-CN', 'en', 'en-US')).toBe('zh-CN');
    expect(initialLocale('', 'zh-CN', 'en-US')).toBe('zh-CN');
    expect(initialLocale('', null, 'zh-TW')).toBe('zh-CN');
    expect(initialLocale('?lng=fr', null, 'de-DE')).toBe('en');
  });
});

describe('number formats', () => {
  it('writes 583,000 in English and 58.3万 in Chinese', () => {
    expect(formatNumber('en', 583_000)).toBe('583,000');
    expect(formatNumber('zh-CN', 583_000)).toBe('58.3万');
    expect(formatNumber('zh-CN', 1_234_567_890)).toBe('12.3亿');
    expect(formatNumber('en', 1_234_567)).toBe('1.23M');
    expect(formatNumber('zh-CN', 9_999)).toBe('9,999');
    expect(formatNumber('en', NaN)).toBe('–');
  });

  it('writes milliseconds with sensible precision and clock times on a sale clock', () => {
    expect(formatMs('en', 2.8123)).toBe('2.81');
    expect(formatMs('en', 36.34)).toBe('36.3');
    expect(formatMs('en', 30_123.4)).toBe('30,123');
    expect(formatClock('en', 12.34, false)).toBe('12.3');
    expect(formatClock('en', -20, true)).toBe('23:59:40');
    expect(formatClock('en', 65, true)).toBe('00:01:05');
  });
});
