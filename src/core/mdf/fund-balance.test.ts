import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableOn,
  fundStanding,
  isShortfall,
  type FundCredit,
  type FundEvent,
  type FundStanding,
} from './fund-balance.js';

const q1: FundCredit = {
  id: 'FY26-Q1',
  earnedOn: '2026-04-30',
  expiresOn: '2026-10-31',
  amountMinor: 100_000,
};
const q2: FundCredit = {
  id: 'FY26-Q2',
  earnedOn: '2026-07-31',
  expiresOn: '2027-01-31',
  amountMinor: 50_000,
};

function standing(credits: FundCredit[], events: FundEvent[], asOf: string): FundStanding {
  const s = fundStanding(credits, events, asOf);
  if (isShortfall(s)) throw new Error(`shortfall at ${JSON.stringify(s.event)}`);
  return s;
}

describe('an earned MDF fund', () => {
  it('is available once earned and expires unused on its date', () => {
    expect(standing([q1, q2], [], '2026-04-29').earnedMinor).toBe(0);
    const may = standing([q1, q2], [], '2026-05-01');
    expect(may).toMatchObject({ earnedMinor: 100_000, availableMinor: 100_000, expiredMinor: 0 });
    expect(may.expiring).toEqual([{ on: '2026-10-31', amountMinor: 100_000 }]);
    const nov = standing([q1, q2], [], '2026-10-31');
    expect(nov).toMatchObject({ earnedMinor: 150_000, availableMinor: 50_000, expiredMinor: 100_000 });
    expect(nov.draws).toEqual([
      { creditId: 'FY26-Q1', by: 'expiry', kind: 'expired', on: '2026-10-31', amountMinor: 100_000 },
    ]);
  });

  it('reserves from the funds that expire first and spends the claim paid; the rest is released', () => {
    const events: FundEvent[] = [
      { kind: 'reserve', id: 'act_1', on: '2026-08-10', amountMinor: 120_000 },
      { kind: 'spend', id: 'act_1', on: '2026-09-20', amountMinor: 90_000 },
      { kind: 'release', id: 'act_1', on: '2026-09-20' },
    ];
    const aug = standing([q1, q2], events, '2026-08-10');
    expect(aug).toMatchObject({ availableMinor: 30_000, reservedMinor: 120_000 });
    // All of Q1's 100,000 then 20,000 of Q2.
    expect(aug.draws.map((d) => [d.creditId, d.amountMinor])).toEqual([
      ['FY26-Q1', 100_000],
      ['FY26-Q2', 20_000],
    ]);
    const sep = standing([q1, q2], events, '2026-09-30');
    expect(sep).toMatchObject({ spentMinor: 90_000, reservedMinor: 0, availableMinor: 60_000 });
    // The 10,000 of Q1 released goes back to Q1 and still expires on Q1's date.
    const nov = standing([q1, q2], events, '2026-11-01');
    expect(nov).toMatchObject({ availableMinor: 50_000, expiredMinor: 10_000, spentMinor: 90_000 });
  });

  it('keeps a reservation through its credit’s expiry; released after it, the rest expires that day', () => {
    const events: FundEvent[] = [
      { kind: 'reserve', id: 'act_2', on: '2026-09-01', amountMinor: 80_000 },
      { kind: 'spend', id: 'act_2', on: '2026-11-15', amountMinor: 60_000 },
      { kind: 'release', id: 'act_2', on: '2026-11-15' },
    ];
    const oct31 = standing([q1], events, '2026-10-31');
    expect(oct31).toMatchObject({ reservedMinor: 80_000, expiredMinor: 20_000, availableMinor: 0 });
    const after = standing([q1], events, '2026-12-01');
    expect(after).toMatchObject({ spentMinor: 60_000, expiredMinor: 40_000, reservedMinor: 0 });
    expect(after.draws.at(-1)).toEqual({
      creditId: 'FY26-Q1',
      by: 'expiry',
      kind: 'expired',
      on: '2026-11-15',
      amountMinor: 20_000,
    });
  });

  it('refuses a reservation beyond what is available that day, and a spend beyond the reservation', () => {
    const over = fundStanding(
      [q1, q2],
      [{ kind: 'reserve', id: 'act_3', on: '2026-05-15', amountMinor: 100_001 }],
      '2026-12-31',
    );
    expect(over).toMatchObject({ kind: 'shortfall', availableMinor: 100_000 });
    const spend = fundStanding(
      [q1],
      [
        { kind: 'reserve', id: 'act_4', on: '2026-05-15', amountMinor: 10_000 },
        { kind: 'spend', id: 'act_4', on: '2026-05-20', amountMinor: 10_001 },
      ],
      '2026-12-31',
    );
    expect(spend).toMatchObject({ kind: 'shortfall', availableMinor: 10_000 });
    expect(availableOn([q1, q2], [], '2026-08-01')).toBe(150_000);
  });

  it('conserves every cent: earned = available + reserved + spent + expired, on any day', () => {
    const day = fc
      .integer({ min: 0, max: 400 })
      .map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));
    const credit = fc
      .record({
        earned: day,
        life: fc.integer({ min: 1, max: 200 }),
        amount: fc.integer({ min: 1, max: 1e9 }),
      })
      .map(({ earned, life, amount }, i = 0): FundCredit => ({
        id: `c${earned}${amount}${i}`,
        earnedOn: earned,
        expiresOn: new Date(Date.parse(earned) + life * 86_400_000).toISOString().slice(0, 10),
        amountMinor: amount,
      }));
    fc.assert(
      fc.property(
        fc.uniqueArray(credit, { maxLength: 6, selector: (c) => c.id }),
        fc.array(
          fc.record({
            on: day,
            share: fc.double({ min: 0, max: 1, noNaN: true }),
            paid: fc.double({ min: 0, max: 1, noNaN: true }),
            releaseAfter: fc.integer({ min: 0, max: 120 }),
          }),
          { maxLength: 6 },
        ),
        day,
        (credits, acts, asOf) => {
          // Each activity reserves a share of what is available on its day, spends part, releases the rest.
          const events: FundEvent[] = [];
          for (const [i, a] of [...acts].sort((x, y) => (x.on < y.on ? -1 : 1)).entries()) {
            const free = availableOn(credits, events, a.on);
            const amount = Math.floor(free * a.share);
            if (amount === 0) continue;
            const later = new Date(Date.parse(a.on) + a.releaseAfter * 86_400_000).toISOString().slice(0, 10);
            events.push({ kind: 'reserve', id: `a${i}`, on: a.on, amountMinor: amount });
            events.push({ kind: 'spend', id: `a${i}`, on: later, amountMinor: Math.floor(amount * a.paid) });
            events.push({ kind: 'release', id: `a${i}`, on: later });
          }
          const s = fundStanding(credits, events, asOf);
          if (isShortfall(s)) return false;
          expect(s.availableMinor + s.reservedMinor + s.spentMinor + s.expiredMinor).toBe(s.earnedMinor);
          expect(s.expiring.reduce((t, e) => t + e.amountMinor, 0)).toBe(s.availableMinor);
          // Nothing is drawn from a credit beyond its amount.
          for (const c of credits) {
            const taken = s.draws
              .filter((d) => d.creditId === c.id)
              .reduce(
                (t, d) =>
                  t + (d.kind === 'released' ? -d.amountMinor : d.kind === 'spent' ? 0 : d.amountMinor),
                0,
              );
            expect(taken).toBeLessThanOrEqual(c.amountMinor);
          }
          return true;
        },
      ),
    );
  });
});
