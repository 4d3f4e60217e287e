import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import {
  componentRates,
  describePath,
  formatCondition,
  formatDuration,
  programWords,
  qualificationMatrix,
  readComponents,
} from './program';

const en = programWords(plainT(i18n.getFixedT('en')), 'en-US');
const fr = programWords(plainT(i18n.getFixedT('fr')), 'fr-FR');

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

const definition = {
  zones: [
    { code: 'emea-1', name: 'EMEA zone 1', countries: ['GB'], regions: [] },
    { code: 'na', name: 'North America', countries: [], regions: ['na'] },
  ],
  tiers: [
    { code: 'authorized', name: 'Authorized', requirements: [] },
    {
      code: 'gold',
      name: 'Gold',
      requirements: [
        {
          zones: ['emea-1'],
          paths: [
            {
              name: 'Path 1',
              revenue: usd(300000000),
              servicesRevenue: usd(40000000),
              credits: null,
              companyCertifications: [{ count: 1, family: null, kind: null }],
              certifiedPeople: [{ count: 2, family: null, kind: 'sales' }],
            },
          ],
        },
      ],
    },
  ],
  components: [
    {
      code: 'growth',
      name: 'Growth',
      kind: 'growth-accelerator',
      priority: 40,
      thresholds: [{ above: 100000, points: 10000 }],
      families: [],
      settlement: 'close',
      condition: null,
    },
    {
      code: 'base',
      name: 'Base rebate',
      kind: 'base-rebate',
      priority: 10,
      settlement: 'accrual',
      caps: { perPartnerPerPeriod: usd(1000000) },
      condition: { attribute: 'order.channel', operator: 'in', value: ['partner', 'distributor'] },
      rates: { gold: { storage: 20000 }, authorized: { storage: 10000, servers: 5000 } },
    },
  ],
};

describe('describePath', () => {
  it('lists every measure', () => {
    expect(describePath(definition.tiers[1]?.requirements[0]?.paths[0], en)).toEqual({
      name: 'Path 1',
      requirements: [
        'Revenue ≥ $3,000,000',
        'Services revenue ≥ $400,000',
        '1 company certification',
        '2 certified people (sales)',
      ],
    });
  });
  it('says the measures in French', () => {
    expect(describePath(definition.tiers[1]?.requirements[0]?.paths[0], fr)?.requirements[0]).toBe(
      'Chiffre d’affaires ≥ 3\u202f000\u202f000\u00a0$US',
    );
  });
  it('rejects unexpected shapes', () => {
    expect(describePath('x', en)).toBeNull();
    expect(describePath({ certifiedPeople: [{ count: 'two' }] }, en)).toBeNull();
  });
});

describe('qualificationMatrix', () => {
  it('builds tiers x zones', () => {
    const m = qualificationMatrix(definition, en);
    expect(m?.zones.map((z) => z.code)).toEqual(['emea-1', 'na']);
    expect(m?.rows.map((r) => r.code)).toEqual(['authorized', 'gold']);
    expect(m?.rows[0]?.cells).toEqual([{ kind: 'floor' }, { kind: 'floor' }]);
    expect(m?.rows[1]?.cells[0]).toMatchObject({ kind: 'paths' });
    expect(m?.rows[1]?.cells[1]).toEqual({ kind: 'none' });
  });
  it('returns null for unknown shapes', () => {
    expect(qualificationMatrix(null, en)).toBeNull();
    expect(qualificationMatrix({ tiers: [{ requirements: 'x' }] }, en)).toBeNull();
  });
});

describe('components', () => {
  it('sorts by priority and reads rates', () => {
    const c = readComponents(definition, en);
    expect(c?.map((x) => x.code)).toEqual(['base', 'growth']);
    const base = c?.[0];
    expect(base?.condition).toBe('order.channel in [partner, distributor]');
    expect(base?.terms).toContain('cap $10,000 per partner per period');
    expect(base?.rates).toEqual({
      kind: 'matrix',
      rows: ['authorized', 'gold'],
      columns: ['storage', 'servers'],
      values: [
        ['1%', '0.5%'],
        ['2%', null],
      ],
    });
    expect(c?.[1]?.rates).toEqual({ kind: 'lines', lines: ['growth > 10%: 1%'] });
  });
  it('keeps the file order of rate rows without a tier order', () => {
    const view = componentRates(definition.components[1], en);
    expect(view.kind === 'matrix' && view.rows).toEqual(['gold', 'authorized']);
  });
  it('reads points and factors', () => {
    expect(componentRates({ points: 20000, families: ['services'] }, en)).toEqual({
      kind: 'lines',
      lines: ['2% on services'],
    });
    expect(componentRates({ factor: 1100000, appliesTo: null }, en)).toEqual({
      kind: 'lines',
      lines: ['×1.1 on all other components'],
    });
    expect(componentRates({ something: 1 }, en)).toEqual({ kind: 'unknown' });
    expect(componentRates({ points: 25000, families: ['services'] }, fr)).toEqual({
      kind: 'lines',
      lines: ['2,5\u00a0% sur services'],
    });
  });
});

describe('formatters', () => {
  it('formats conditions', () => {
    expect(
      formatCondition({
        all: [
          { attribute: 'a.b', operator: 'eq', value: true },
          {
            any: [
              { attribute: 'c', operator: 'gte', value: usd(100) },
              { not: { attribute: 'd', operator: 'eq', value: 'x' } },
            ],
          },
        ],
      }),
    ).toBe('a.b eq true and (c gte $1 or (not (d eq x)))');
    expect(formatCondition({ weird: 1 })).toBeNull();
  });
  it('formats durations', () => {
    expect(formatDuration({ months: 12, days: 0 }, en)).toBe('1 year');
    expect(formatDuration({ months: 3, days: 0 }, en)).toBe('3 months');
    expect(formatDuration({ months: 0, days: 90 }, en)).toBe('90 days');
    expect(formatDuration({ months: 'x' }, en)).toBeNull();
    expect(formatDuration({ months: 18, days: 0 }, fr)).toBe('18 mois');
  });
});
