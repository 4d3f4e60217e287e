/**
 * Which language and locale a person reads the app in. Pure: the caller passes what the browser and the
 * person's saved choice say. Texts come in two languages (English, French); numbers, money and dates
 * follow the full locale (en-US, en-GB, fr-FR, fr-BE, fr-CA...) when the browser names one of that
 * language, else the language's default region.
 */

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface LocaleChoice {
  readonly language: Language;
  /** A BCP 47 tag for Intl: numbers, money and dates. */
  readonly locale: string;
}

const DEFAULT_LOCALE: Record<Language, string> = { en: 'en-US', fr: 'fr-FR' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function languageOf(tag: string): Language | null {
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return isLanguage(base) ? base : null;
}

function canonical(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag.replace('_', '-'))[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The saved choice wins (a language the person picked with the switch); else the first of the browser's
 * languages that the app speaks; else English.
 */
export function pickLocale(saved: string | null | undefined, browser: readonly string[]): LocaleChoice {
  const language: Language = isLanguage(saved)
    ? saved
    : (browser.map(languageOf).find((l): l is Language => l !== null) ?? 'en');
  const regional = browser
    .filter((tag) => languageOf(tag) === language && /[-_]/.test(tag))
    .map(canonical)
    .find((tag): tag is string => tag !== null);
  return { language, locale: regional ?? DEFAULT_LOCALE[language] };
}
