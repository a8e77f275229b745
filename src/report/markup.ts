/**
 * Safe-by-default HTML/SVG building: the `html` template escapes every interpolated string,
 * so text from a scenario file (titles, causes, targets) can never become markup. Only a
 * `Markup` value, itself built by `html` (or by `trusted` for fixed text of our own), is
 * inserted as is.
 */
export class Markup {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export type MarkupValue = string | number | Markup | null | undefined | false | readonly MarkupValue[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

export function html(strings: TemplateStringsArray, ...values: readonly MarkupValue[]): Markup {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += render(values[i]) + (strings[i + 1] ?? '');
  return new Markup(text);
}

/** Markup written by this module itself (never text that came from a scenario). */
export function trusted(text: string): Markup {
  return new Markup(text);
}

function render(value: MarkupValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.text;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}
