/**
 * Number formatting for the exported reports. Pure string functions, no Intl: the output must
 * be the same in Node, Electron and any browser, whatever ICU data the host has.
 */

/** Plain decimal text for a CSV cell: no exponent, at most 6 digits after the point. */
export function plainNumber(value: number): string {
  if (Number.isNaN(value)) return '';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return '0';
  // At 1e21 and beyond toFixed switches to exponent notation, but every such double is an integer.
  if (Math.abs(value) >= 1e21) return BigInt(value).toString();
  const fixed = trimZeros(value.toFixed(6));
  if (fixed !== '0' && fixed !== '-0') return fixed;
  // Smaller than 0.0000005: keep 6 significant digits rather than collapsing to 0.
  return trimZeros(expandExponent(value.toPrecision(6)));
}

/**
 * A number for people: thousands separators (`583,000`) and a precision that suits its size
 * (`742`, `42.5`, `3.14`, `0.0123`). NaN is an en dash, infinities are `∞`.
 */
export function formatNumber(value: number, decimals?: number): string {
  if (Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const digits = decimals ?? autoDecimals(value);
  if (Math.abs(value) >= 1e21) return groupThousands(BigInt(value).toString());
  let text = value.toFixed(digits);
  if (decimals === undefined) text = trimZeros(text);
  if (/^-0(\.0*)?$/.test(text)) text = text.slice(1);
  return groupThousands(text);
}

/** A number and its unit, kept on one line: `583,000 msg/s`, `12 %`. */
export function formatQuantity(value: number, unit: string, decimals?: number): string {
  const number = formatNumber(value, decimals);
  return unit === '' ? number : `${number}\u00a0${unit}`;
}

/** A fraction as a percentage: 0.853 -> `85.3 %`. */
export function formatPercent(fraction: number): string {
  return formatQuantity(Number.isFinite(fraction) ? Number((fraction * 100).toFixed(1)) : fraction, '%');
}

/** The scale words of compact tick labels: k/M/G in English, 万/亿 in Chinese. */
export type CompactStyle = 'si' | 'zh';

/**
 * A tick label on a chart axis: compact (`600k`, `1.2M`, `60万`) once the axis reaches 10,000,
 * with just enough decimals to tell neighbouring ticks apart (`step` is the tick spacing).
 */
export function formatTick(value: number, step: number, axisMaxAbs: number, style: CompactStyle = 'si'): string {
  const [divisor, suffix] = compactScale(axisMaxAbs, style);
  const text = formatNumber(value / divisor, decimalsOf(step / divisor));
  return value === 0 ? '0' : `${text}${suffix}`;
}

function compactScale(maxAbs: number, style: CompactStyle): [number, string] {
  if (style === 'zh') {
    if (maxAbs >= 1e8) return [1e8, '亿'];
    if (maxAbs >= 1e4) return [1e4, '万'];
    return [1, ''];
  }
  if (maxAbs >= 1e9) return [1e9, 'G'];
  if (maxAbs >= 1e6) return [1e6, 'M'];
  if (maxAbs >= 1e4) return [1e3, 'k'];
  return [1, ''];
}

/** The fewest decimals that write `step` exactly (0.25 -> 2), at most 6. */
function decimalsOf(step: number): number {
  for (let decimals = 0; decimals < 6; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return decimals;
  }
  return 6;
}

function autoDecimals(value: number): number {
  const abs = Math.abs(value);
  if (abs === 0 || abs >= 100) return 0;
  if (abs >= 10) return 1;
  if (abs >= 1) return 2;
  // Three significant digits below 1, at most 6 decimals: 0.0123, 0.000457.
  return Math.min(6, 2 - Math.floor(Math.log10(abs)));
}

function groupThousands(text: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (match === null) return text;
  const [, sign = '', integer = '', fraction = ''] = match;
  return `${sign === '-' ? '−' : ''}${integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** `1.23457e-9` -> `0.00000000123457` (toPrecision's exponent form, written out). */
function expandExponent(text: string): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign = '', lead = '', rest = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  const digits = lead + rest;
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integer = digits.padEnd(exponent + 1, '0');
  return `${sign}${integer.slice(0, exponent + 1)}${integer.length > exponent + 1 ? `.${integer.slice(exponent + 1)}` : ''}`;
}
