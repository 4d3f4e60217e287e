import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import { messageText, type Message } from './messages';

const en = plainT(i18n.getFixedT('en'));
const fr = plainT(i18n.getFixedT('fr'));
const plain = (s: string | null) => (s ?? '').replace(/[\u202f\u00a0]/g, ' ');

/**
 * The sentence the server writes on a line invoiced in EUR and converted into the program's USD
 * (core/ledger/postings.ts `ruleMessage`, key ledger.ruleConverted).
 */
const converted: Message = {
  key: 'ledger.ruleConverted',
  params: {
    original: { money: { amountMinor: 1_000_000, currency: 'EUR' } },
    fx: { decimal: 1.0712, digits: 4 },
    name: 'Base rebate',
    rate: { percent: 40_000 },
    base: { money: { amountMinor: 1_071_200, currency: 'USD' } },
    detail: { message: { key: 'ledger.detail', params: { detail: 'titanium, storage' } } },
    multiplier: '',
    amount: { money: { amountMinor: 42_848, currency: 'USD' } },
    what: { message: { key: 'ledger.line', params: { lineId: 'oln_1' } } },
    on: { message: { key: 'ledger.ofDay', params: { day: { day: '2026-03-07' } } } },
    limited: '',
  },
};

describe('a ledger sentence on a converted line', () => {
  it('shows what was invoiced, the rate and the converted base, in English', () => {
    expect(plain(messageText(en, 'en-US', converted))).toMatch(/€10,000\.00 at 1\.0712 = \$10,712\.00; 4%/);
  });

  it('says it in French with the French number formats', () => {
    expect(plain(messageText(fr, 'fr-FR', converted))).toMatch(
      /^Base rebate : 10 000,00 € au taux de 1,0712 = 10 712,00 \$US ; 4 % \(titanium, storage\) = 428,48 \$US sur la ligne oln_1 du /,
    );
  });
});
