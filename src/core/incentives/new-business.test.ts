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
});
