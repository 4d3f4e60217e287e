import { describe, expect, it } from 'vitest';
import {
  customerMatchKey,
  funderExplanation,
  rewardOf,
  solutionSets,
  type SolutionPurchase,
} from './solution-sets.js';

const P90D = { months: 0, days: 90 };
const buy = (
  party: string,
  lineId: string,
  day: string,
  amountMinor: number,
  family = 'storage',
): SolutionPurchase => ({
  party,
  lineId,
  day,
  family,
  amountMinor,
});

describe('solution sets', () => {
  it('completes a set when every party sold within the window, and starts the next after it', () => {
    const sets = solutionSets(
      [
        buy('dell', 'l1', '2022-01-10', 100_000_00),
        buy('vmware', 'l2', '2022-03-01', 20_000_00, 'software'),
        buy('dell', 'l3', '2022-03-01', 5_000_00),
        buy('dell', 'l4', '2022-03-02', 1_000_00),
      ],
      ['dell', 'vmware'],
      P90D,
    );
    expect(sets).toEqual([
      {
        startDay: '2022-01-10',
        completedOn: '2022-03-01',
        purchases: [
          buy('dell', 'l1', '2022-01-10', 100_000_00),
          buy('vmware', 'l2', '2022-03-01', 20_000_00, 'software'),
          buy('dell', 'l3', '2022-03-01', 5_000_00),
        ],
      },
    ]);
  });

  it('drops a first purchase that cannot complete in time (day 90 is outside P90D)', () => {
    const sets = solutionSets(
      [
        buy('dell', 'l1', '2022-01-01', 100),
        buy('vmware', 'l2', '2022-04-01', 100),
        buy('dell', 'l3', '2022-04-02', 100),
      ],
      ['dell', 'vmware'],
      P90D,
    );
    expect(sets.map((s) => [s.startDay, s.completedOn, s.purchases.map((p) => p.lineId)])).toEqual([
      ['2022-04-01', '2022-04-02', ['l2', 'l3']],
    ]);
    expect(
      solutionSets(
        [buy('dell', 'l1', '2022-01-01', 100), buy('vmware', 'l2', '2022-03-31', 100)],
        ['dell', 'vmware'],
        P90D,
      ),
    ).toHaveLength(1);
  });

  it('does not depend on the order of the facts', () => {
    const list = [
      buy('vmware', 'b', '2022-02-01', 7),
      buy('dell', 'a', '2022-01-01', 5),
      buy('dell', 'c', '2022-02-01', 3),
    ];
    expect(solutionSets(list, ['dell', 'vmware'], P90D)).toEqual(
      solutionSets([...list].reverse(), ['dell', 'vmware'], P90D),
    );
  });

  it('rewards the points on the set revenue, split exactly between the funders', () => {
    const [set] = solutionSets(
      [buy('dell', 'l1', '2022-01-10', 100_000_00), buy('vmware', 'l2', '2022-02-01', 23_456_78, 'software')],
      ['dell', 'vmware'],
      P90D,
    );
    const r = rewardOf(set!, {
      points: 10_000,
      funding: [
        { vendor: 'dell', basisPoints: 5000 },
        { vendor: 'vmware', basisPoints: 5000 },
      ],
    });
    // 1% of USD 123,456.78 = USD 1,234.57 (half to even), USD 617.29 + USD 617.28.
    expect(r).toEqual({
      baseMinor: 123_456_78,
      rewardMinor: 1_234_57,
      parts: [
        { vendor: 'dell', basisPoints: 5000, amountMinor: 617_29 },
        { vendor: 'vmware', basisPoints: 5000, amountMinor: 617_28 },
      ],
    });
  });

  it("explains a funder's line without the other party's ids, products or amounts", () => {
    const text = funderExplanation({
      agreementName: 'CFA',
      agreementCode: 'cfa',
      funder: 'dell',
      points: 10_000,
      window: P90D,
      completedOn: '2022-02-01',
      ownPurchases: [buy('dell', 'oln_dell1', '2022-01-10', 100_000_00)],
      part: { vendor: 'dell', basisPoints: 5000, amountMinor: 617_29 },
      currency: 'USD',
    });
    expect(text).toContain('oln_dell1');
    expect(text).toContain('a qualifying purchase from another party to the agreement within 90 days');
    expect(text).not.toMatch(/software|23,456|oln_vm/);
  });

  it('explains a funder\u2019s share in English as it always has (months, days, plurals, no line of its own)', () => {
    const base = {
      agreementName: 'CFA',
      agreementCode: 'cfa',
      funder: 'dell',
      points: 10_000,
      completedOn: '2022-02-01',
      currency: 'USD',
    };
    const line = (lineId: string, family: string, amountMinor: number) =>
      buy('dell', lineId, '2022-01-10', amountMinor, family);
    const texts = [
      funderExplanation({
        ...base,
        window: { months: 0, days: 90 },
        ownPurchases: [line('oln_dell1', 'hardware', 100_000_00)],
        part: { vendor: 'dell', basisPoints: 5000, amountMinor: 617_29 },
      }),
      funderExplanation({
        ...base,
        window: { months: 1, days: 1 },
        ownPurchases: [line('oln_a', 'storage', 1_00), line('oln_b', 'hardware', 2_50)],
        part: { vendor: 'dell', basisPoints: 3333, amountMinor: 1_00 },
      }),
      funderExplanation({
        ...base,
        window: { months: 3, days: 0 },
        ownPurchases: [],
        part: { vendor: 'dell', basisPoints: 10000, amountMinor: 12 },
      }),
      funderExplanation({
        ...base,
        window: { months: 0, days: 0 },
        ownPurchases: [line('oln_a', 'storage', 1_00)],
        part: { vendor: 'dell', basisPoints: 1, amountMinor: 1 },
      }),
    ];
    expect(texts).toEqual([
      'Cross-vendor solution reward under CFA (cfa): 1% on a solution completed on 2022-02-01 from your hardware (line oln_dell1; USD 100,000.00) and a qualifying purchase from another party to the agreement within 90 days. dell funds 50.00% of the reward: USD 617.29.',
      'Cross-vendor solution reward under CFA (cfa): 1% on a solution completed on 2022-02-01 from your hardware, storage (lines oln_a, oln_b; USD 3.50) and a qualifying purchase from another party to the agreement within 1 month and 1 day. dell funds 33.33% of the reward: USD 1.00.',
      'Cross-vendor solution reward under CFA (cfa): 1% on a solution completed on 2022-02-01 from no line of yours and a qualifying purchase from another party to the agreement within 3 months. dell funds 100.00% of the reward: USD 0.12.',
      'Cross-vendor solution reward under CFA (cfa): 1% on a solution completed on 2022-02-01 from your storage (line oln_a; USD 1.00) and a qualifying purchase from another party to the agreement within 0 days. dell funds 0.01% of the reward: USD 0.01.',
    ]);
  });

  it('matches a customer across vendors by country and normalised name', () => {
    expect(customerMatchKey('Acme Corp.', 'FR')).toBe(customerMatchKey('ACME Corporation', 'fr'));
    expect(customerMatchKey('Acme Corp.', 'FR')).not.toBe(customerMatchKey('Acme Corp.', 'DE'));
  });
});
