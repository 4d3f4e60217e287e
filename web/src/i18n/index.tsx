/**
 * The app in English and French. `useT()` gives `t` for texts (`t('common.signIn')`, plurals with
 * `{ count }`), and the locale-aware formatters below give numbers, money and dates as the person reads
 * them. The language comes from the person's saved choice (the switch), else the browser. See README.md.
 */
import i18next from 'i18next';
import { useEffect, useState, type ReactNode } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { formatDay } from '../lib/format';
import { explained, type Message } from '../lib/messages';
import { formatMoney as formatMoneyIn, setDefaultLocale, type MoneyFormatOptions } from '../lib/money';
import { catalogues } from './catalogue';
import { isLanguage, pickLocale, type Language, type LocaleChoice } from './locale';

export { LANGUAGES, isLanguage as isLanguageChoice, type Language } from './locale';

const STORAGE_KEY = 'trellis.language';

function savedLanguage(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function browserLanguages(): readonly string[] {
  const nav = globalThis.navigator as Navigator | undefined;
  return nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
}

let current: LocaleChoice = pickLocale(savedLanguage(), browserLanguages());
setDefaultLocale(current.locale);

void i18next.use(initReactI18next).init({
  resources: {
    en: { translation: catalogues.en },
    fr: { translation: catalogues.fr },
  },
  lng: current.language,
  fallbackLng: 'en',
  supportedLngs: ['en', 'fr'],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
if (typeof document !== 'undefined') document.documentElement.lang = current.language;

const listeners = new Set<() => void>();
/** Called after the language changed and was saved (e.g. to store it on the person's profile). */
const savers: ((language: Language) => void)[] = [];

/** Whether this browser holds a language the person chose with the switch. */
export function hasSavedLanguage(): boolean {
  return isLanguage(savedLanguage());
}

/** The language texts are shown in. */
export function language(): Language {
  return current.language;
}

/** The full locale numbers, money and dates follow (en-US, en-GB, fr-FR...). */
export function locale(): string {
  return current.locale;
}

/** Switches the app's language, remembers the choice in this browser, and re-renders the app. */
export function setLanguage(next: Language): void {
  if (!isLanguage(next)) return;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // private mode: the choice holds for this page only
  }
  current = pickLocale(next, browserLanguages());
  setDefaultLocale(current.locale);
  void i18next.changeLanguage(next);
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const save of savers) save(next);
  for (const listener of listeners) listener();
}

/** Registers what else a language change must do (the app stores it on the signed-in person). */
export function onLanguageSaved(save: (language: Language) => void): void {
  savers.push(save);
}

/** `t` for the app's texts, re-rendering on a language change. */
export function useT() {
  return useTranslation().t;
}

/** `t` as a plain function of a key and its values, for pure helpers in web/src/lib that take it. */
export function plainT(
  t: ReturnType<typeof useT>,
): (key: string, options?: Record<string, unknown>) => string {
  return (key, options) => t(key, options ?? {});
}

/** The current language and locale, re-rendering on a change. */
export function useLocale(): LocaleChoice {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return current;
}

/**
 * Re-mounts what it wraps when the language changes, so every number, amount and date is formatted
 * again (formatters outside components read the locale when called).
 */
export function LanguageRoot({ children }: { children: ReactNode }) {
  const { language: lang } = useLocale();
  return <LanguageKeyed key={lang}>{children}</LanguageKeyed>;
}

function LanguageKeyed({ children }: { children: ReactNode }) {
  return <>{children}</>;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** 1234567 -> "1,234,567" (en-US) or "1 234 567" with narrow no-break spaces (fr-FR). */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  const key = `${current.locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(current.locale, options)));
  return f.format(value);
}

/** Integer minor units as the person reads money: "$1,234.56", or "1 234,56 $US" in French. */
export function formatMoney(amountMinor: number, currency: string, options: MoneyFormatOptions = {}): string {
  return formatMoneyIn(amountMinor, currency, current.locale, options);
}

/**
 * A day ("2026-12-05"): ISO 8601 in English (unambiguous between American and British readers),
 * "05/12/2026" in French.
 */
export function formatDate(isoDay: string): string {
  return formatDay(isoDay, current.locale);
}

/** An instant, to the minute, in the browser's time zone: "2026-12-05 14:03" or "05/12/2026 14:03". */
export function formatDateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  return `${formatDate(day)} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

export const i18n = i18next;

/**
 * Shows a sentence the server wrote (a ledger line's explanation, an offer's reason...) in the person's
 * language: its message translated with the `explain` catalogue, else its English text.
 */
export function useExplain(): (text: string, message?: Message | null) => string {
  const t = useT();
  const { locale: loc } = useLocale();
  return (text, message) => explained(plainT(t), loc, { text, message });
}
