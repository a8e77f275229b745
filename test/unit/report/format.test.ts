import { describe, expect, it } from 'vitest';
import { formatNumber, formatPercent, formatQuantity, formatTick, plainNumber } from '../../../src/report/format';
import { escapeHtml, html, trusted } from '../../../src/report/markup';
import { REPORT_STRINGS } from '../../../src/report/report-strings';
import { LINE_STYLES, lineStyle, niceTicks, textWidth } from '../../../src/report/svg-chart';

describe('formatNumber', () => {
  it('groups thousands and picks a precision by size', () => {
    expect(formatNumber(583_000)).toBe('583,000');
    expect(formatNumber(1_234_567.89)).toBe('1,234,568');
    expect(formatNumber(742.4)).toBe('742');
    expect(formatNumber(42.54)).toBe('42.5');
    expect(formatNumber(3.14159)).toBe('3.14');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-1_500)).toBe('−1,500');
    expect(formatNumber(-0.0001, 2)).toBe('0.00');
    expect(formatNumber(NaN)).toBe('–');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(1_234.5, 2)).toBe('1,234.50');
  });

  it('keeps a number and its unit together', () => {
    expect(formatQuantity(583_000, 'msg/s')).toBe('583,000\u00a0msg/s');
    expect(formatQuantity(3, '')).toBe('3');
    expect(formatPercent(0.8534)).toBe('85.3\u00a0%');
    expect(formatPercent(1)).toBe('100\u00a0%');
  });

  it('writes CSV numbers without exponents', () => {
    expect(plainNumber(NaN)).toBe('');
    expect(plainNumber(2.5e21)).toBe('2500000000000000000000');
    expect(plainNumber(1e-12)).toBe('0.000000000001');
    expect(plainNumber(0.1234567)).toBe('0.123457');
  });
});

describe('chart ticks', () => {
  it('chooses 1-2-5 steps that cover the range', () => {
    expect(niceTicks(0, 583_000)).toEqual({ ticks: [0, 200_000, 400_000, 600_000], step: 200_000, domain: [0, 600_000] });
    expect(niceTicks(0, 583_000, 8).ticks).toEqual([0, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000]);
    expect(niceTicks(0, 10, 5).ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 1.1, 5).ticks).toEqual([0, 0.5, 1, 1.5]);
    expect(niceTicks(0, 0.7, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(-3, 7).domain).toEqual([-4, 8]);
    expect(niceTicks(5, 5).ticks.length).toBeGreaterThan(1);
  });

  it('labels large ticks compactly, in SI or Chinese units', () => {
    expect(formatTick(600_000, 100_000, 600_000)).toBe('600k');
    expect(formatTick(1_250_000, 250_000, 1_500_000)).toBe('1.25M');
    expect(formatTick(600_000, 100_000, 600_000, 'zh')).toBe('60万');
    expect(formatTick(2_500, 500, 5_000)).toBe('2,500');
    expect(formatTick(0.25, 0.25, 1.25)).toBe('0.25');
    expect(formatTick(0, 100_000, 600_000)).toBe('0');
  });

  it('measures CJK text as wider than Latin text', () => {
    expect(textWidth('主要发现', 10)).toBe(40);
    expect(textWidth('abcd', 10)).toBeCloseTo(24);
  });
});

describe('markup', () => {
  it('escapes interpolated text and keeps trusted markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const name = '<img src=x onerror=alert(1)>';
    expect(html`<p title="${name}">${name}${trusted('<br>')}${[name, 1]}</p>`.text).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;<br>&lt;img src=x onerror=alert(1)&gt;1</p>',
    );
  });
});

describe('report strings', () => {
  it('has the same keys in every language, and no empty text', () => {
    const shape = (value: unknown): unknown =>
      typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)])) : typeof value;
    expect(shape(REPORT_STRINGS['zh-CN'])).toEqual(shape(REPORT_STRINGS.en));
    const texts = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : typeof value === 'object' && value !== null ? Object.values(value).flatMap(texts) : [];
    for (const lang of ['en', 'zh-CN'] as const) expect(texts(REPORT_STRINGS[lang]).filter((t) => t.trim() === '')).toEqual([]);
    expect(REPORT_STRINGS['zh-CN'].findings.lostByCause('467', 'x')).toBe('467 条消息丢失：x');
  });
});

describe('line styles', () => {
  it('never gives two of the first 49 lines the same colour and dash', () => {
    const styles = Array.from({ length: 49 }, (_, i) => lineStyle(i));
    expect(new Set(styles.map((s) => `${s.colour}|${s.dash}`)).size).toBe(49);
    expect(styles.slice(0, LINE_STYLES.length)).toEqual(LINE_STYLES);
  });
});
