import { describe, expect, it } from 'vitest';
import type { ConditionFacts, ConditionNode } from './conditions.js';
import { compileCondition, conditionSchema, formatCondition } from './conditions.js';

const ctx = { tiers: ['authorized', 'gold', 'platinum', 'titanium'] };

function parse(input: unknown): ConditionNode {
  const r = conditionSchema.safeParse(input);
  if (!r.success) throw new Error(JSON.stringify(r.error.issues));
  return r.data;
}

describe('condition schema', () => {
  it('normalises values by attribute type', () => {
    expect(parse({ attribute: 'line.amount', operator: 'gte', value: 'USD 10K' })).toEqual({
      attribute: 'line.amount',
      operator: 'gte',
      value: { amountMinor: 1_000_000, currency: 'USD' },
    });
    expect(parse({ attribute: 'partner.growth', operator: 'gt', value: '15%' })).toMatchObject({
      value: 150_000,
    });
  });

  it.each([
    [
      { attribute: 'line.family', operator: 'eq', value: 'storag' },
      ['value'],
      'line.family expects a product family',
    ],
    [
      { attribute: 'partner.exclusive', operator: 'eq', value: 'yes' },
      ['value'],
      'expects true or false, got "yes"',
    ],
    [
      { attribute: 'line.quantity', operator: 'gt', value: '5' },
      ['value'],
      'line.quantity expects a number, got "5"',
    ],
    [
      { attribute: 'line.family', operator: 'gt', value: 'storage' },
      ['operator'],
      'needs an ordered attribute',
    ],
    [{ attribute: 'line.family', operator: 'in', value: 'storage' }, ['value'], 'expects a non-empty list'],
    [{ attribute: 'line.family', operator: 'in', value: ['storage', 'x'] }, ['value', 1], 'got "x"'],
    [{ attribute: 'order.country', operator: 'eq', value: 'XX' }, ['value'], 'country code'],
  ])('rejects %j', (input, path, message) => {
    const r = conditionSchema.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error?.issues[0];
    // Union issues nest the leaf branch's issues.
    const leaf = issue?.code === 'invalid_union' ? issue.errors[0]?.[0] : issue;
    expect(leaf?.path).toEqual(path);
    expect(leaf?.message).toContain(message);
  });
});

describe('compileCondition', () => {
  const exclusiveStorage = parse({
    all: [
      { attribute: 'partner.exclusive', operator: 'eq', value: true },
      {
        any: [
          { attribute: 'line.family', operator: 'in', value: ['storage', 'servers'] },
          { not: { attribute: 'order.region', operator: 'ne', value: 'emea' } },
        ],
      },
      { attribute: 'line.amount', operator: 'gte', value: 'USD 1,000' },
      { attribute: 'partner.tier', operator: 'gte', value: 'gold' },
    ],
  });
  const test = compileCondition(exclusiveStorage, ctx);
  const facts: ConditionFacts = {
    partner: { exclusive: true, tier: 'platinum' },
    line: { family: 'storage', amount: { amountMinor: 100_000, currency: 'USD' } },
    order: { region: 'na' },
  };

  it('evaluates leaves with typed comparisons', () => {
    expect(test(facts)).toBe(true);
    expect(test({ ...facts, partner: { exclusive: true, tier: 'authorized' } })).toBe(false);
    expect(
      test({ ...facts, line: { family: 'software', amount: { amountMinor: 100_000, currency: 'USD' } } }),
    ).toBe(false);
    expect(
      test({
        ...facts,
        line: { family: 'software', amount: { amountMinor: 100_000, currency: 'USD' } },
        order: { region: 'emea' },
      }),
    ).toBe(true);
    // numbers compare as numbers, not strings: 99.99 < 1,000 even though "9999" > "100000" as text
    expect(
      test({ ...facts, line: { family: 'storage', amount: { amountMinor: 9_999, currency: 'USD' } } }),
    ).toBe(false);
  });

  it('is false on a missing fact or another currency', () => {
    expect(test({ ...facts, partner: { tier: 'titanium' } })).toBe(false);
    expect(
      test({ ...facts, line: { family: 'storage', amount: { amountMinor: 100_000, currency: 'EUR' } } }),
    ).toBe(false);
  });

  it('explains every leaf', () => {
    const e = test.explain({ ...facts, partner: { tier: 'gold' } });
    expect(e.result).toBe(false);
    expect(e.leaves.map((l) => [l.path, l.result, l.note])).toEqual([
      ['all[0]', false, 'missing fact'],
      ['all[1].any[0]', true, null],
      ['all[1].any[1].not', true, null], // the leaf's own result, before the not
      ['all[2]', true, null],
      ['all[3]', true, null],
    ]);
    expect(e.leaves[1]).toMatchObject({
      attribute: 'line.family',
      actual: 'storage',
      expected: ['storage', 'servers'],
    });
  });

  it('treats no condition as always true', () => {
    const always = compileCondition(null, ctx);
    expect(always({})).toBe(true);
    expect(always.explain({})).toEqual({ result: true, leaves: [] });
  });

  it('formats conditions for people', () => {
    expect(formatCondition(exclusiveStorage)).toBe(
      'partner.exclusive eq true and (line.family in [storage, servers] or (not (order.region ne emea))) and line.amount gte USD 1,000.00 and partner.tier gte gold',
    );
  });
});
