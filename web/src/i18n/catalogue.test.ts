import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../lib/money';
import { catalogues, type Catalogue } from './catalogue';
import { pickLocale } from './locale';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(c: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(c)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const en = flatten(catalogues.en as Catalogue);
const fr = flatten(catalogues.fr as Catalogue);
const variables = (text: string) => [...text.matchAll(/\{\{\s*([a-zA-Z0-9_]+)/g)].map((m) => m[1]).sort();

/** Every key the code asks for with a literal: t('area.key'), t("area.key"), i18nKey="area.key". */
function keysUsedInCode(): Map<string, string> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const used = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(tsx?|mts)$/.test(name) && !/\.test\.tsx?$/.test(name) && !/\.(en|fr)\.ts$/.test(name)) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(
          /\bt\(\s*['"`]([A-Za-z0-9_.-]+)['"`]|i18nKey=["']([A-Za-z0-9_.-]+)["']/g,
        ))
          used.set((m[1] ?? m[2]) as string, path.slice(root.length));
      }
    }
  };
  walk(root);
  return used;
}

describe('the catalogues', () => {
  it('give every English text a French translation, and nothing French that English lacks', () => {
    const missing = [...en.keys()].filter((k) => !fr.has(k));
    const extra = [...fr.keys()].filter((k) => !en.has(k) && !/_(many|few|two|zero)$/.test(k));
    expect(missing, 'English texts with no French translation').toEqual([]);
    expect(extra, 'French texts with no English original').toEqual([]);
  });

  it('have no empty text and the same placeholders in both languages', () => {
    for (const [key, text] of en) {
      expect(text.trim(), `en ${key}`).not.toBe('');
      const french = fr.get(key);
      if (french === undefined) continue;
      expect(french.trim(), `fr ${key}`).not.toBe('');
      expect(variables(french), `placeholders of ${key}`).toEqual(variables(text));
    }
  });

  it('hold every key the code uses', () => {
    const bases = new Set([...en.keys()].map((k) => k.replace(PLURAL, '')));
    const unknown = [...keysUsedInCode()].filter(([key]) => !en.has(key) && !bases.has(key));
    expect(unknown.map(([key, file]) => `${file}: ${key}`)).toEqual([]);
  });
});

describe('texts and formats', () => {
  const t = (lng: 'en' | 'fr', key: string, options: Record<string, unknown> = {}) =>
    i18next.getFixedT(lng)(key, options);

  it('use French plurals (0 and 1 are singular) and French number spacing', async () => {
    await i18next.init({
      resources: { en: { translation: catalogues.en }, fr: { translation: catalogues.fr } },
      lng: 'en',
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      initAsync: false,
    });
    expect(t('en', 'common.showing', { count: 1 })).toBe('Showing 1 row');
    expect(t('en', 'common.showing', { count: 0 })).toBe('Showing 0 rows');
    expect(t('en', 'common.showing', { count: 12345 })).toBe('Showing 12,345 rows');
    expect(t('fr', 'common.showing', { count: 0 })).toBe('0 ligne affichée');
    expect(t('fr', 'common.showing', { count: 1 })).toBe('1 ligne affichée');
    expect(t('fr', 'common.showing', { count: 12345 })).toBe('12\u202f345 lignes affichées');
    expect(t('fr', 'common.showing', { count: 1_000_000 })).toBe('1\u202f000\u202f000 lignes affichées');
  });

  it('write money the French way: narrow no-break spaces, the currency after the amount', () => {
    expect(formatMoney(123456789, 'EUR', 'fr-FR')).toBe('1\u202f234\u202f567,89\u00a0€');
    expect(formatMoney(123456789, 'USD', 'en-US')).toBe('$1,234,567.89');
  });

  it('choose the language from the saved choice, else the browser, and keep the browser region', () => {
    expect(pickLocale(null, ['fr-BE', 'en-US'])).toEqual({ language: 'fr', locale: 'fr-BE' });
    expect(pickLocale('en', ['fr-BE', 'en-GB'])).toEqual({ language: 'en', locale: 'en-GB' });
    expect(pickLocale('fr', ['en-GB'])).toEqual({ language: 'fr', locale: 'fr-FR' });
    expect(pickLocale(null, ['de-DE'])).toEqual({ language: 'en', locale: 'en-US' });
    expect(pickLocale('xx', [])).toEqual({ language: 'en', locale: 'en-US' });
    expect(pickLocale(null, ['en'])).toEqual({ language: 'en', locale: 'en-US' });
  });
});
