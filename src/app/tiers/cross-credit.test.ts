import { describe, expect, it } from 'vitest';
import { crossCreditShare, type CrossCreditTerm } from './cross-credit.js';

describe('crossCreditShare', () => {
  const term = (over: Partial<CrossCreditTerm>): CrossCreditTerm => ({
    agreementCode: 'a',
    agreementName: 'A',
    window: { from: '2021-11-01', to: '2024-03-24' },
    from: 'dell',
    to: 'vmware',
    share: 1_000_000,
    ...over,
  });
  it.each([
    ['2021-10-31', 0, null],
    ['2021-11-01', 1_000_000, 'a'],
    ['2024-03-24', 1_000_000, 'a'],
    ['2024-03-25', 0, null],
  ])('on %s credits %i ppm (agreement %s)', (day, share, code) => {
    const answer = crossCreditShare([term({})], { from: 'dell', to: 'vmware', day });
    expect([answer.share, answer.agreement?.code ?? null]).toEqual([share, code]);
  });
  it('reads only the direction asked, and the highest share of agreements in force together', () => {
    const terms = [
      term({}),
      term({ agreementCode: 'b', share: 500_000 }),
      term({ from: 'vmware', to: 'dell' }),
    ];
    expect(crossCreditShare(terms, { from: 'dell', to: 'vmware', day: '2022-01-01' }).agreement?.code).toBe(
      'a',
    );
    expect(crossCreditShare(terms, { from: 'hpe', to: 'vmware', day: '2022-01-01' })).toEqual({
      share: 0,
      agreement: null,
    });
  });
});
