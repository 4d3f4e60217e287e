import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import { explained, messageText, type Message } from './messages';

const en = plainT(i18n.getFixedT('en'));
const fr = plainT(i18n.getFixedT('fr'));

/** A base rebate on a return limited to what was paid, with a multiplier, at a close's true-up. */
const rule: Message = {
  key: 'ledger.rule',
  params: {
    name: 'Base rebate',
    rate: { percent: 40_000 },
    base: { money: { amountMinor: -4_000_000, currency: 'EUR' } },
    detail: { message: { key: 'ledger.detail', params: { detail: 'Titanium, storage' } } },
    multiplier: {
      message: {
        key: 'ledger.multiplier',
        params: { factor: { factor: 1_250_000 }, codes: { list: ['exclusive'] } },
      },
    },
    amount: { money: { amountMinor: -150_000, currency: 'EUR' } },
    what: { message: { key: 'ledger.return', params: { lineId: 'oln_1' } } },
    on: { message: { key: 'ledger.ofDay', params: { day: { day: '2026-02-03' } } } },
    limited: {
      message: {
        key: 'ledger.limited',
        params: {
          limit: { money: { amountMinor: 150_000, currency: 'EUR' } },
          computed: { money: { amountMinor: -200_000, currency: 'EUR' } },
        },
      },
    },
  },
};
const trueUp: Message = {
  key: 'ledger.closeTrueUp',
  params: {
    period: 'FY26-Q1',
    held: { money: { amountMinor: 40_000, currency: 'EUR' } },
    due: { money: { amountMinor: 160_000, currency: 'EUR' } },
    posted: { money: { amountMinor: 120_000, currency: 'EUR' } },
    rule: { message: rule },
  },
};

describe('server messages in the person’s language', () => {
  it('renders a ledger line’s sentence in English, with nested clauses and the reader’s formats', () => {
    expect(messageText(en, 'en-US', rule)).toBe(
      'Base rebate: 4% of -€40,000.00 (Titanium, storage) ×1.25 (exclusive) = -€1,500.00 on return oln_1 of 2026-02-03.' +
        ' Clawback limited to €1,500.00, what was paid and not yet clawed back for the returned line (computed -€2,000.00).',
    );
  });

  it('renders it in French: words, order, decimal commas, no-break spaces and French days', () => {
    const text = messageText(fr, 'fr-FR', trueUp) ?? '';
    expect(text.replace(/[\u202f\u00a0]/g, ' ')).toBe(
      'Régularisation à la clôture de FY26-Q1 : 400,00 € provisionnés, 1 600,00 € dus, 1 200,00 € passés. ' +
        'Base rebate : 4 % de -40 000,00 € (Titanium, storage) ×1,25 (exclusive) = -1 500,00 € sur le retour oln_1 du 03/02/2026.' +
        ' Reprise limitée à 1 500,00 €, ce qui a été payé et pas encore repris pour la ligne retournée (calculé : -2 000,00 €).',
    );
    expect(text).not.toMatch(/\{\{|undefined/);
  });

  it("shows an exact rate of many digits without a float in between, in the reader's decimals", () => {
    const converted: Message = {
      key: 'ledger.ruleConverted',
      params: {
        ...rule.params,
        original: { money: { amountMinor: 1_000_000, currency: 'LBP' } },
        fx: { decimal: '112345.0123456789', digits: 10 },
      },
    };
    const text = (messageText(fr, 'fr-FR', converted) ?? '').replace(/[\u202f\u00a0]/g, ' ');
    expect(text).toContain('112 345,0123456789');
    expect(messageText(en, 'en-US', converted)).toContain('112,345.0123456789');
  });

  it('leaves out an absent clause (an empty parameter)', () => {
    const plain: Message = {
      ...rule,
      params: { ...rule.params, detail: '', multiplier: '', limited: '', on: '' },
    };
    expect(messageText(fr, 'fr-FR', plain)?.replace(/[\u202f\u00a0]/g, ' ')).toBe(
      'Base rebate : 4 % de -40 000,00 € = -1 500,00 € sur le retour oln_1.',
    );
  });

  it('falls back to the server’s English text for a message the app does not know, or none', () => {
    const unknown: Message = { key: 'ledger.fromANewerServer', params: {} };
    expect(messageText(fr, 'fr-FR', unknown)).toBeNull();
    expect(explained(fr, 'fr-FR', { text: 'As the server wrote it.', message: unknown })).toBe(
      'As the server wrote it.',
    );
    expect(explained(fr, 'fr-FR', { text: 'Stored before messages.', message: null })).toBe(
      'Stored before messages.',
    );
  });
});
