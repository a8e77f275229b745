/**
 * User settings of the desktop app (theme, language), in userData/settings.json.
 * The first language comes from the system (app.getPreferredSystemLanguages()).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Language, Settings } from '../src/ipc/api';
import { languageSchema, themeSchema } from '../src/ipc/schemas';
import { writeFileAtomic } from './atomic-write';

export const SETTINGS_FILE = 'settings.json';

/**
 * The UI language for a list of BCP 47 tags, most preferred first: Simplified Chinese for
 * zh / zh-CN / zh-SG / zh-Hans-*, English otherwise (including Traditional Chinese, zh-TW,
 * zh-HK, zh-Hant, for which we have no translation and Simplified would be wrong).
 */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase().replace(/_/g, '-');
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
    if (lower === 'zh' || lower.startsWith('zh-')) {
      const traditional = /^zh-(hant|tw|hk|mo)(-|$)/.test(lower) || /^zh-hant/.test(lower);
      return traditional ? 'en' : 'zh-CN';
    }
  }
  return 'en';
}

/** Settings from whatever was on disk: each valid field is kept, the rest defaulted. */
export function parseSettings(json: unknown, systemLanguages: readonly string[]): Settings {
  const loose = z.object({ theme: z.unknown(), language: z.unknown() }).partial().safeParse(json);
  const data = loose.success ? loose.data : {};
  const theme = themeSchema.safeParse(data.theme);
  const language = languageSchema.safeParse(data.language);
  return {
    theme: theme.success ? theme.data : 'system',
    language: language.success ? language.data : pickLanguage(systemLanguages),
  };
}

export function readSettings(file: string, systemLanguages: readonly string[]): Settings {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    json = undefined;
  }
  return parseSettings(json, systemLanguages);
}

export async function writeSettings(file: string, settings: Settings): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(settings, null, 2)}\n`);
}
