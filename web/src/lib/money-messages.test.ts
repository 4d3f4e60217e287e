import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogues } from '../i18n/catalogue';
import { parseMoneyInput, type MoneyInput } from './money';

type Refused = Extract<MoneyInput, { ok: false }>;

function refused(text: string, locale: string, currency = 'USD', signed = false): Refused {
  const r = parseMoneyInput(text, currency, { locale, signed });
  if (r.ok) throw new Error(`${text} in ${locale} was read as ${r.minor}`);
  return r;
}

describe('parseMoneyInput refusals as codes', () => {
  it('name what is wrong with a code and its parameters, and what to type instead', () => {
    expect(refused('1,500', 'fr-FR')).toMatchObject({
      code: 'tooManyDecimals',
      params: { input: '1,500', decimals: 3, currency: 'USD', exponent: 2 },
      hintParams: { currency: 'USD', example: '1\u202f234,56', count: 2 },
    });
    expect(refused('1.500', 'fr-FR')).toMatchObject({ code: 'ambiguousMark', params: { mark: '.' } });
    expect(refused('1.500,5.0', 'en-US')).toMatchObject({ code: 'ambiguous' });
    expect(refused('1,5,0', 'fr-FR')).toMatchObject({ code: 'decimalOnce', params: { mark: ',' } });
    expect(refused('-4', 'en-US')).toMatchObject({ code: 'signed' });
    expect(refused('  ', 'en-US')).toMatchObject({ code: 'empty' });
    expect(refused('1.5', 'en-US', 'JPY')).toMatchObject({ code: 'noDecimals', hintParams: { count: 0 } });
    expect(refused('5', 'en-US', 'usd')).toMatchObject({ code: 'unknownCurrency', hintParams: null });
  });
});

describe('parseMoneyInput refusals in the app', () => {
  beforeAll(async () => {
    await i18next.init({
      resources: { en: { translation: catalogues.en }, fr: { translation: catalogues.fr } },
      lng: 'fr',
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      initAsync: false,
    });
  });

  it('are told in the language of the app', async () => {
    await i18next.changeLanguage('fr');
    expect(refused('1,500', 'fr-FR').message).toBe(
      '« 1,500 » a 3 décimales ; le USD en a 2. Saisissez un montant en USD comme 1\u202f234,56 (2 décimales au plus).',
    );
    expect(refused('1.500', 'fr-FR').message).toMatch(/^« 1\.500 » est ambigu : « \. » est-il/);
    await i18next.changeLanguage('en');
    expect(refused('1,500', 'fr-FR').message).toBe(
      '“1,500” has 3 decimals; USD has 2. Enter an amount in USD like 1\u202f234,56 (at most 2 decimals).',
    );
    expect(refused('1.5', 'en-US', 'JPY').message).toBe(
      'JPY has no decimals. Enter an amount in JPY like 1,234.56 (at most 0 decimals).',
    );
  });
});
