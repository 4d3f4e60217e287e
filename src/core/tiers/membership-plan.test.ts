import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../programs/dates.js';
import { overlaps, planMemberships, planSlotRecord, type SlotRecord } from './membership-plan.js';

const TIERS = ['authorized', 'gold', 'platinum', 'titanium'];
const rank = (tier: string) => TIERS.indexOf(tier);

const noOverlap = (records: readonly { validFrom: string; validTo: string | null }[]) =>
  records.every((a, i) => records.every((b, j) => i === j || !overlaps(a, b)));

describe('planSlotRecord: one tier per partner and program on any day', () => {
  it('the reproduction: a status match to Titanium supersedes the later Authorized decided without it', () => {
    const earned: SlotRecord = { id: 'au', validFrom: '2018-02-02', validTo: null, rank: rank('authorized') };
    expect(planSlotRecord([earned], { validFrom: '2017-02-01', rank: rank('titanium') })).toEqual({
      close: [{ id: 'au', validTo: '2018-02-02' }],
      open: { validFrom: '2017-02-01', validTo: null },
    });
  });

  it('ends the record in force on the date, and replaces one that starts the same day', () => {
    const a: SlotRecord = { id: 'a', validFrom: '2017-02-01', validTo: null, rank: 1 };
    expect(planSlotRecord([a], { validFrom: '2017-06-01', rank: 2 })).toEqual({
      close: [{ id: 'a', validTo: '2017-06-01' }],
      open: { validFrom: '2017-06-01', validTo: null },
    });
    expect(planSlotRecord([a], { validFrom: '2017-02-01', rank: 0 }).close).toEqual([
      { id: 'a', validTo: '2017-02-01' },
    ]);
  });

  it('a back-dated upgrade ends where a later record of the same or a higher tier begins', () => {
    const records: SlotRecord[] = [
      { id: 'gold', validFrom: '2017-02-01', validTo: '2017-09-01', rank: 1 },
      { id: 'plat', validFrom: '2017-09-01', validTo: '2017-10-01', rank: 2 },
      { id: 'ti', validFrom: '2017-10-01', validTo: null, rank: 3 },
    ];
    expect(planSlotRecord(records, { validFrom: '2017-05-01', rank: 2 })).toEqual({
      close: [{ id: 'gold', validTo: '2017-05-01' }],
      open: { validFrom: '2017-05-01', validTo: '2017-09-01' },
    });
  });

  it('supersedes later lower records up to the first record it does not outrank', () => {
    const records: SlotRecord[] = [
      { id: 'au', validFrom: '2017-03-01', validTo: '2017-05-01', rank: 0 },
      { id: 'gold', validFrom: '2017-05-01', validTo: '2017-08-01', rank: 1 },
      { id: 'ti', validFrom: '2017-08-01', validTo: '2017-11-01', rank: 3 },
      { id: 'au2', validFrom: '2017-11-01', validTo: null, rank: 0 },
    ];
    expect(planSlotRecord(records, { validFrom: '2017-02-01', rank: 2 })).toEqual({
      close: [
        { id: 'au', validTo: '2017-03-01' },
        { id: 'gold', validTo: '2017-05-01' },
      ],
      open: { validFrom: '2017-02-01', validTo: '2017-08-01' },
    });
  });

  it('never leaves two tiers (or two grants of a status) in force on one day, whatever the order', () => {
    const change = fc.record({
      partner: fc.constantFrom('p1', 'p2'),
      code: fc.constantFrom(...TIERS, 'titanium-black'),
      day: fc.integer({ min: 0, max: 400 }),
      length: fc.integer({ min: 1, max: 365 }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(change, { maxLength: 4 }), { maxLength: 12 }), (runs) => {
        let stored: {
          id: string;
          partnerId: string;
          code: string;
          validFrom: string;
          validTo: string | null;
        }[] = [];
        let n = 0;
        for (const run of runs) {
          const isStatus = (c: string) => c === 'titanium-black';
          const changes = run.map((c) => ({
            id: `m${n++}`,
            partnerId: c.partner,
            code: c.code,
            validFrom: addDays('2017-02-01', c.day),
            validTo: isStatus(c.code) ? addDays('2017-02-01', c.day + c.length) : null,
          }));
          const plan = planMemberships(stored, isStatus, TIERS, changes);
          const ended = new Map(plan.close.map((c) => [c.id, c.validTo]));
          stored = [
            ...stored.map((m) => ({ ...m, validTo: ended.get(m.id) ?? m.validTo })),
            ...plan.open.map((o) => ({ ...o })),
          ];
          // Each tier change is in force on its own day unless a later change of the same run replaced it.
          const last = plan.open.at(-1);
          if (last) expect(last.validTo === null || last.validTo > last.validFrom).toBe(true);
        }
        for (const p of ['p1', 'p2']) {
          const mine = stored.filter((m) => m.partnerId === p);
          expect(noOverlap(mine.filter((m) => m.code !== 'titanium-black'))).toBe(true);
          expect(noOverlap(mine.filter((m) => m.code === 'titanium-black'))).toBe(true);
        }
      }),
    );
  });
});
