import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileIncentives, type IncentiveLine } from '../incentives/index.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import { parseProgramDocument } from '../programs/parse.js';
import type { ProgramDefinition } from '../programs/types.js';
import { accrualRule, explainPosting, ledgerRuleKey } from './postings.js';

function loadProgram(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot load ${file}`);
  return parsed.document;
}

const dell = loadProgram('dell-emc-fy18.yaml');
const engine = compileIncentives(dell, { version: 3 });
const names = new Map(engine.components.map((c) => [c.code, c.name]));
const where = { vendorId: 'vnd_d', programId: 'prg_d', currency: 'USD' };

const line = (
  over: Partial<IncentiveLine> & { tier?: string; exclusive?: boolean; newBusiness?: boolean },
) => ({
  lineId: over.lineId ?? 'oln_1',
  partnerId: 'ptn_a',
  customerId: 'cus_1',
  orderDate: over.orderDate ?? '2017-03-15',
  family: over.family ?? 'storage',
  amountMinor: over.amountMinor ?? 4_000_000,
  facts: {
    tier: over.tier ?? 'titanium',
    exclusive: over.exclusive ?? false,
    newBusiness: over.newBusiness ?? false,
    channel: 'partner' as const,
  },
});

/** What decides a line's rules besides its amount and day, for the properties. */
const lineFacts = {
  family: fc.constantFrom(...PRODUCT_FAMILIES),
  tier: fc.constantFrom(...engine.tiers),
  exclusive: fc.boolean(),
  newBusiness: fc.boolean(),
};

/** The posting of a proposal, rendered as a reader renders it. */
function rendered(l: IncentiveLine) {
  return engine.accrueLine(l).map((p) => ({
    engine: p.explanation.text,
    ledger: explainPosting(
      accrualRule(p, { ...where, name: names.get(p.component) ?? p.component }),
      { baseMinor: p.baseMinor, amountMinor: p.amountMinor, dueMinor: null },
      { lineId: l.lineId, orderDate: l.orderDate, family: l.family },
      null,
    ),
  }));
}

describe('postings', () => {
  it('render the sentence the engine wrote for the accrual (golden: a Titanium storage line, exclusive)', () => {
    const out = rendered(line({ exclusive: true, newBusiness: true }));
    expect(out.length).toBeGreaterThan(0);
    for (const r of out) expect(r.ledger).toBe(r.engine);
    expect(out.map((r) => r.ledger).join('\n')).toMatch(/4% of USD 40,000\.00 \(titanium, storage\) x1\.25/);
  });

  it('render the engine sentence for any line of the shipped program (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          ...lineFacts,
          amountMinor: fc.integer({ min: -10_000_000, max: 10_000_000 }),
          day: fc.integer({ min: 1, max: 28 }),
        }),
        (x) => {
          const l = line({ ...x, orderDate: `2017-0${(x.day % 9) + 1}-${String(x.day).padStart(2, '0')}` });
          for (const r of rendered(l)) expect(r.ledger).toBe(r.engine);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('say what a close posted: first posting, true-up and reversal', () => {
    const [p] = engine.accrueLine(line({}));
    const rule = accrualRule(p!, { ...where, name: 'Base rebate' });
    const at = { lineId: 'oln_9', orderDate: '2017-03-15', family: 'storage' };
    expect(
      explainPosting(rule, { baseMinor: 4_000_000, amountMinor: 160_000, dueMinor: 160_000 }, at, 'FY18-Q1'),
    ).toBe(
      'Posted at the close of FY18-Q1: Base rebate: 4% of USD 40,000.00 (titanium, storage) = USD 1,600.00 on line oln_9 of 2017-03-15.',
    );
    expect(
      explainPosting(rule, { baseMinor: 4_000_000, amountMinor: 40_000, dueMinor: 160_000 }, at, 'FY18-Q1'),
    ).toMatch(
      /^True-up at the close of FY18-Q1: USD 1,200\.00 accrued, USD 1,600\.00 due, USD 400\.00 posted\. Base rebate/,
    );
    expect(
      explainPosting(rule, { baseMinor: 4_000_000, amountMinor: -160_000, dueMinor: 0 }, at, 'FY18-Q1'),
    ).toBe(
      'Reversed at the close of FY18-Q1: the USD 1,600.00 accrued for base-rebate on line oln_9 is no longer due (titanium).',
    );
  });

  it('name the rules accrual applies, once per application key (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          ...lineFacts,
          amountMinor: fc.integer({ min: 1, max: 10_000_000 }),
          other: fc.integer({ min: 1, max: 10_000_000 }),
        }),
        (x) => {
          const a = line(x);
          const b = line({ ...x, amountMinor: x.other, lineId: 'oln_2' });
          expect(engine.applicationKey(a)).toBe(engine.applicationKey(b));
          expect(engine.ruleApplications(a)).toEqual(engine.ruleApplications(b));
          expect(engine.ruleApplications(a)).toEqual(
            engine.accrueLine(a).map((p) => ({
              component: p.component,
              kind: p.kind,
              ruleId: p.ruleId,
              ruleVersion: p.ruleVersion,
              tier: p.tier,
              rate: p.rate,
              multiplier: p.multiplier,
              multipliers: p.multipliers,
              effectiveRate: p.effectiveRate,
              budgetPool: p.budgetPool,
            })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('key a rule by every field, so two rules share an id only when equal', () => {
    const [p] = engine.accrueLine(line({}));
    const rule = accrualRule(p!, { ...where, name: 'Base rebate' });
    expect(ledgerRuleKey(rule)).toBe(ledgerRuleKey({ ...rule }));
    for (const change of [
      { tier: 'gold' },
      { rate: rule.rate + 1 },
      { ruleVersion: 'x' },
      { budgetPool: 'p' },
    ])
      expect(ledgerRuleKey({ ...rule, ...change })).not.toBe(ledgerRuleKey(rule));
  });
});
