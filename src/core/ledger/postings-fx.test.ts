import { describe, expect, it } from 'vitest';
import { lineOriginal, ruleSentence, type RuleForText } from './postings.js';

const rule: RuleForText = {
  component: 'base-rebate',
  kind: 'base-rebate',
  name: 'Base rebate',
  currency: 'USD',
  tier: 'titanium',
  rate: 40_000,
  multiplier: 1_000_000,
  multipliers: '',
  effectiveRate: 40_000,
};
const original = lineOriginal({
  originalAmountMinor: 1_000_000,
  originalCurrency: 'EUR',
  fxRate: '1.0712',
  amountMinor: 1_071_200,
});

describe('the sentence of a posting on a line invoiced in another currency', () => {
  it('shows both amounts and the rate when the base is the converted line', () => {
    expect(
      ruleSentence(rule, 1_071_200, 42_848, {
        lineId: 'oln_1',
        orderDate: '2026-03-07',
        family: 'storage',
        original,
      }),
    ).toBe(
      'Base rebate: EUR 10,000.00 at 1.0712 = USD 10,712.00; 4% (titanium, storage) = USD 428.48 on line oln_1 of 2026-03-07.',
    );
  });

  it('says it as before on a line in the program currency, or when the base is not the line', () => {
    const plain =
      'Base rebate: 4% of USD 500.00 (titanium, storage) = USD 20.00 on line oln_1 of 2026-03-07.';
    const line = { lineId: 'oln_1', orderDate: '2026-03-07', family: 'storage' };
    expect(ruleSentence(rule, 50_000, 2_000, line)).toBe(plain);
    expect(ruleSentence(rule, 50_000, 2_000, { ...line, original })).toBe(plain);
    expect(
      lineOriginal({ originalAmountMinor: null, originalCurrency: null, fxRate: null, amountMinor: 5 }),
    ).toBeNull();
  });
});
