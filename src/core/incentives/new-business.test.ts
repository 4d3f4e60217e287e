import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newBusinessWindow, PurchaseHistory } from './new-business.js';

const rule = { families: ['storage'], lookBack: { months: 12, days: 0 } };

describe('new business', () => {
  it('golden: new unless the customer bought one of the families within the look-back year before the day', () => {
    const h = new PurchaseHistory();
    h.add('cus_a', 'storage', '2017-03-15');
    h.add('cus_a', 'servers', '2017-06-01');
    expect(newBusinessWindow(rule, '2018-03-15')).toEqual({ from: '2017-03-15', before: '2018-03-15' });
    expect(h.isNew(rule, 'cus_a', '2017-03-15')).toBe(true); // the day itself does not count
    expect(h.isNew(rule, 'cus_a', '2017-03-16')).toBe(false);
    expect(h.isNew(rule, 'cus_a', '2018-03-15')).toBe(false); // the window's first day counts
    expect(h.isNew(rule, 'cus_a', '2018-03-16')).toBe(true);
    expect(h.isNew(rule, 'cus_b', '2017-06-02')).toBe(true);
    // Another family does not count; a rule naming no family counts every family.
    expect(h.isNew(rule, 'cus_a', '2018-05-01')).toBe(true);
    expect(h.isNew({ ...rule, families: [] }, 'cus_a', '2018-05-01')).toBe(false);
  });

  it('property: equals a scan of every purchase, whatever the order purchases are recorded in', () => {
    const day = fc.integer({ min: 0, max: 800 }).map((n) => {
      const d = new Date(Date.UTC(2017, 0, 1) + n * 86_400_000);
      return d.toISOString().slice(0, 10);
    });
    const purchase = fc.record({
      customer: fc.constantFrom('a', 'b', 'c'),
      family: fc.constantFrom('storage', 'servers'),
      day,
    });
    fc.assert(
      fc.property(
        fc.array(purchase, { maxLength: 40 }),
        fc.array(purchase, { maxLength: 20 }),
        (bought, asked) => {
          const h = new PurchaseHistory();
          for (const p of bought) h.add(p.customer, p.family, p.day);
          for (const q of asked) {
            const r = { ...rule, families: [q.family] };
            const { from, before } = newBusinessWindow(r, q.day);
            const scan = bought.some(
              (p) => p.customer === q.customer && p.family === q.family && p.day >= from && p.day < before,
            );
            expect(h.isNew(r, q.customer, q.day)).toBe(!scan);
          }
        },
      ),
    );
  });

  it('property: consecutive periods handing their last purchases over answer as a scan of every purchase', () => {
    // Periods of 30 days from 2018-01-01; each reads as the close does (the last purchase of each customer
    // and family in its look-back, then every purchase of the period) unless the period before handed over.
    const dayOf = (n: number) => new Date(Date.UTC(2017, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    const purchase = fc.record({
      customer: fc.constantFrom('a', 'b', 'c'),
      family: fc.constantFrom('storage', 'servers', 'networking'),
      day: fc.integer({ min: 0, max: 560 }).map(dayOf),
    });
    const families = fc.constantFrom<string[]>(['storage'], ['storage', 'servers'], []);
    fc.assert(
      fc.property(fc.array(purchase, { maxLength: 60 }), families, (bought, fam) => {
        const r = { families: fam, lookBack: { months: 6, days: 0 } };
        const counts = (f: string) => fam.length === 0 || fam.includes(f);
        let carried: ReturnType<PurchaseHistory['lastPurchases']> | null = null;
        for (let k = 0; k < 5; k++) {
          const from = dayOf(365 + 30 * k);
          const next = dayOf(365 + 30 * (k + 1));
          const windowFrom = newBusinessWindow(r, from).from;
          const h = new PurchaseHistory();
          if (!carried || !h.addLast(carried, fam, windowFrom, from)) {
            // The 'last' read: the last day of each customer and family in [windowFrom, from).
            const last = new Map<string, string>();
            for (const p of bought)
              if (counts(p.family) && p.day >= windowFrom && p.day < from) {
                const key = `${p.customer}|${p.family}`;
                if ((last.get(key) ?? '') < p.day) last.set(key, p.day);
              }
            for (const [key, d] of last) {
              const [c = '', f = ''] = key.split('|');
              h.add(c, f, d);
            }
          }
          for (const p of bought)
            if (counts(p.family) && p.day >= from && p.day < next) h.add(p.customer, p.family, p.day);
          for (let d = 365 + 30 * k; d < 365 + 30 * (k + 1); d++) {
            const day = dayOf(d);
            const w = newBusinessWindow(r, day);
            for (const c of ['a', 'b', 'c']) {
              const scan = bought.some(
                (p) => p.customer === c && counts(p.family) && p.day >= w.from && p.day < w.before,
              );
              expect(h.isNew(r, c, day)).toBe(!scan);
            }
          }
          carried = h.lastPurchases(fam, windowFrom, next);
        }
        // A hand-over is refused when it does not fit: other families, another day, a later start.
        const h = new PurchaseHistory();
        const c = carried as NonNullable<typeof carried>;
        expect(h.addLast(c, ['other'], c.since, c.before)).toBe(false);
        expect(h.addLast(c, fam, c.since, dayOf(0))).toBe(false);
        expect(h.addLast(c, fam, dayOf(0), c.before)).toBe(false);
      }),
    );
  });
});
