import { describe, expect, it } from 'vitest';
import { formatProgramFileError, parseProgramDocument } from './parse.js';
import { addDuration } from './dates.js';
import { zoneOf } from './zones.js';

/** A minimal valid program; tests break one line of it. */
const MINIMAL = `apiVersion: trellis/v1
kind: Program
vendor: { slug: acme, name: Acme, currency: USD }
code: acme-partners
name: Acme Partners
version: FY24
effective: { from: 2024-02-01, to: 2025-01-31 }
currency: USD
fiscalYearStart: 02-01
periods: quarter
zones:
  - { code: zone-1, name: Zone 1, countries: [GB, DE, FR] }
  - { code: rest, name: Rest of world }
defaultZone: rest
tiers:
  - { code: authorized, name: Authorized }
  - code: gold
    name: Gold
    requirements:
      - zones: [zone-1, rest]
        paths:
          - { revenue: USD 3M, servicesRevenue: USD 400K, companyCertifications: 1 }
          - { revenue: USD 500K, servicesRevenue: USD 60K, companyCertifications: 1 }
  - code: platinum
    name: Platinum
    requirements:
      - zones: [zone-1, rest]
        paths:
          - { revenue: USD 15M, servicesRevenue: USD 1.6M, companyCertifications: 2 }
qualification: { auditDate: 02-01, downgrade: at-audit }
components:
  - code: base
    name: Base
    kind: base-rebate
    priority: 1
    settlement: accrual
    rates: { platinum: { storage: 4% } }
dealRegistration:
  minimumDealSize: { default: USD 0 }
  protectionDays: 90
  extensions: { days: 30, maxCount: 1 }
  reviewSlaHours: { default: 24, byRegion: { na: 4, emea: 6 } }
coverage:
  channelExclusiveWindow: P3Y
  directNamedAccounts: { maxCount: 150 }
  routing: { threshold: USD 250K, order: [incumbent-reseller] }
payouts: { period: quarter, closeAfterDays: 15, payAfterDays: 45, currency: USD }
`;

function errorsOf(text: string) {
  const r = parseProgramDocument(text, 'p.yaml');
  if (r.ok) throw new Error('expected errors');
  return r.errors.map(formatProgramFileError);
}

describe('parseProgramDocument', () => {
  it('parses and normalises the minimal program', () => {
    const r = parseProgramDocument(MINIMAL, 'p.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok || r.document.kind !== 'Program') return;
    const p = r.document;
    expect(p.tiers[1]?.requirements[0]?.paths[1]?.revenue).toEqual({
      amountMinor: 50_000_000,
      currency: 'USD',
    });
    expect(p.tiers[1]?.requirements[0]?.paths[0]?.companyCertifications).toEqual([
      { count: 1, family: null, kind: null },
    ]);
    expect(p.qualification).toMatchObject({
      window: { months: 12, days: 0 },
      reevaluate: 'daily',
      grandfathering: null,
    });
    expect(p.components[0]).toMatchObject({
      effective: p.effective,
      minimum: null,
      caps: { perPartnerPerPeriod: null },
    });
    expect(p.coverage.channelExclusiveWindow).toEqual({ months: 36, days: 0 });
    expect(zoneOf(p, 'FR')).toBe('zone-1');
    expect(zoneOf(p, 'US')).toBe('rest');
  });

  it.each([
    [
      'an unknown top-level field',
      ['periods: quarter', 'periods: quarter\nperiod: month'],
      'p.yaml:11:1: period: unknown field "period"',
    ],
    ['a missing field', ['version: FY24\n', ''], 'p.yaml:1:1: version: missing required field "version"'],
    [
      'an unknown country',
      ['countries: [GB, DE, FR]', 'countries: [GB, DE, XF]'],
      'p.yaml:12:55: zones[0].countries[2]: unknown country "XF"',
    ],
    [
      'a floor tier with requirements',
      [
        '- { code: authorized, name: Authorized }',
        '- { code: authorized, name: Authorized, requirements: [{ zones: [rest], paths: [{ revenue: USD 1 }] }] }',
      ],
      'p.yaml:16:57: tiers[0].requirements: the floor tier authorized',
    ],
    [
      'a tier without requirements',
      [
        '  - code: platinum\n    name: Platinum\n    requirements:\n      - zones: [zone-1, rest]\n        paths:\n          - { revenue: USD 15M, servicesRevenue: USD 1.6M, companyCertifications: 2 }\n',
        '  - { code: platinum, name: Platinum }\n',
      ],
      'p.yaml:24:5: tiers[2]: tier platinum has no requirements',
    ],
    [
      'a negative amount',
      ['revenue: USD 15M', 'revenue: USD -15M'],
      'p.yaml:29:24: tiers[2].requirements[0].paths[0].revenue: must not be negative, got USD -15,000,000.00',
    ],
    [
      'duplicate tier codes',
      ['code: platinum', 'code: gold'],
      'p.yaml:24:11: tiers[2].code: duplicate tier code "gold"',
    ],
    [
      'an unknown zone',
      [
        'zones: [zone-1, rest]\n        paths:\n          - { revenue: USD 15M',
        'zones: [zone-1, rst]\n        paths:\n          - { revenue: USD 15M',
      ],
      'p.yaml:27:25: tiers[2].requirements[0].zones[1]: unknown zone "rst"',
    ],
    [
      'an unknown tier in rates',
      ['rates: { platinum:', 'rates: { platinium:'],
      'p.yaml:37:14: components[0].rates.platinium: unknown tier "platinium" in rates',
    ],
    [
      'dates out of order',
      ['to: 2025-01-31', 'to: 2023-01-31'],
      'p.yaml:7:36: effective.to: effective.to 2023-01-31 is before effective.from 2024-02-01',
    ],
    [
      'a bad date',
      ['from: 2024-02-01', 'from: 2024-02-30'],
      'p.yaml:7:20: effective.from: expected an ISO date (YYYY-MM-DD), got "2024-02-30"',
    ],
    [
      'an unknown region key',
      ['byRegion: { na: 4', 'byRegion: { nam: 4'],
      'p.yaml:42:46: dealRegistration.reviewSlaHours.byRegion.nam: unknown region "nam"',
    ],
    [
      'an unknown component kind',
      ['kind: base-rebate', 'kind: rebate'],
      'p.yaml:34:11: components[0].kind: unknown component kind',
    ],
  ])('reports %s', (_name, [from, to], expected) => {
    expect(MINIMAL).toContain(from);
    const errors = errorsOf(MINIMAL.replace(from ?? '', to ?? ''));
    expect(errors.find((e) => e.startsWith(expected.slice(0, expected.indexOf(': ') + 2)))).toContain(
      expected,
    );
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(errorsOf(MINIMAL.replace('code: acme-partners', 'code: [acme-partners'))).toEqual([
      expect.stringMatching(/^p\.yaml:5:1: YAML syntax error: /),
    ]);
    expect(errorsOf('a: 1\na: 2\n')[0]).toMatch(/^p\.yaml:2:1: YAML syntax error: Map keys must be unique/);
  });

  it('rejects documents of an unknown kind or shape', () => {
    expect(errorsOf('apiVersion: trellis/v1\nkind: Budget\n')[0]).toBe(
      'p.yaml:2:7: kind: unknown document kind; expected kind: Program or kind: Agreement',
    );
    expect(errorsOf('- 1\n')[0]).toContain('p.yaml:1:1: expected a mapping');
  });
});

describe('dealRegistration: the benefit and the review settings', () => {
  const DEAL = `  - code: registered
    name: Registered-deal bonus
    kind: deal-registration
    priority: 2
    points: 2%
    families: [storage]
`;
  const withDeal = (extra: string) =>
    MINIMAL.replace('dealRegistration:\n', `${DEAL}dealRegistration:\n${extra}`);
  const program = (text: string) => {
    const r = parseProgramDocument(text, 'p.yaml');
    if (!r.ok || r.document.kind !== 'Program') throw new Error(JSON.stringify(r));
    return r.document;
  };

  it('defaults every new key so that older files stay valid', () => {
    expect(program(MINIMAL).dealRegistration).toMatchObject({
      reviewSlaHours: { default: 24, onBreach: 'escalate' },
      benefit: null,
      conflictChecks: { perPartnerPerDay: 100 },
      rejectionReasons: [],
      abuse: { unsoldRegistrationsMax: 20, lookbackDays: 180 },
    });
  });

  it('parses a deal-registration component (settlement accrual by default) and the settings', () => {
    const p = program(
      withDeal(
        '  benefit: registered\n  conflictChecks: { perPartnerPerDay: 25 }\n' +
          '  rejectionReasons: [{ code: end-of-life, label: End of life }]\n' +
          '  abuse: { unsoldRegistrationsMax: 5, lookbackDays: 90 }\n',
      ).replace('byRegion: { na: 4, emea: 6 } }', 'byRegion: { na: 4, emea: 6 }, onBreach: auto-approve }'),
    );
    expect(p.components[1]).toMatchObject({
      kind: 'deal-registration',
      settlement: 'accrual',
      points: 20_000,
      families: ['storage'],
      budgetPool: null,
    });
    expect(p.dealRegistration).toMatchObject({
      reviewSlaHours: { onBreach: 'auto-approve' },
      benefit: 'registered',
      conflictChecks: { perPartnerPerDay: 25 },
      rejectionReasons: [{ code: 'end-of-life', label: 'End of life' }],
      abuse: { unsoldRegistrationsMax: 5, lookbackDays: 90 },
    });
    // A deal-registration component nothing references is fine, and empty families = every family.
    const q = program(withDeal('').replace('    families: [storage]\n', ''));
    expect(q.components[1]).toMatchObject({ kind: 'deal-registration', families: [] });
  });

  it.each([
    [
      'an unknown benefit',
      '  benefit: registerd\n',
      'dealRegistration.benefit: unknown component "registerd"',
    ],
    [
      'a benefit that is not a deal-registration component',
      '  benefit: base\n',
      'dealRegistration.benefit: component "base" is a base-rebate; the benefit must be a deal-registration component',
    ],
    [
      'a built-in rejection reason redefined',
      '  rejectionReasons: [{ code: below-minimum, label: Too small }]\n',
      'dealRegistration.rejectionReasons[0].code: "below-minimum" is a built-in rejection reason',
    ],
    [
      'a duplicate rejection reason',
      '  rejectionReasons: [{ code: eol, label: A }, { code: eol, label: B }]\n',
      'dealRegistration.rejectionReasons[1].code: duplicate rejection reason "eol"',
    ],
    [
      'a rejection reason code that is not kebab-case',
      '  rejectionReasons: [{ code: End Of Life, label: A }]\n',
      'dealRegistration.rejectionReasons[0].code:',
    ],
    [
      'a conflict-check limit of zero',
      '  conflictChecks: { perPartnerPerDay: 0 }\n',
      'conflictChecks.perPartnerPerDay: must be above zero',
    ],
  ])('reports %s', (_name, extra, expected) => {
    expect(errorsOf(withDeal(extra)).join('\n')).toContain(expected);
  });

  it('reports an unknown breach action', () => {
    expect(errorsOf(MINIMAL.replace('emea: 6 } }', 'emea: 6 }, onBreach: approve }')).join('\n')).toContain(
      'dealRegistration.reviewSlaHours.onBreach: ',
    );
  });
});

describe('dates', () => {
  it('adds calendar durations', () => {
    expect(addDuration('2021-11-01', { months: 60, days: 0 })).toBe('2026-11-01');
    expect(addDuration('2024-01-31', { months: 1, days: 0 })).toBe('2024-02-29');
    expect(addDuration('2024-01-25', { months: 0, days: 60 })).toBe('2024-03-25');
  });
});

describe('coverage.routing: the rules of engagement', () => {
  const routing = (line: string) =>
    MINIMAL.replace('  routing: { threshold: USD 250K, order: [incumbent-reseller] }', line);

  it('defaults the offer settings so that older files stay valid', () => {
    const r = parseProgramDocument(MINIMAL, 'p.yaml');
    if (!r.ok || r.document.kind !== 'Program') throw new Error(JSON.stringify(r));
    expect(r.document.coverage.routing).toEqual({
      threshold: { amountMinor: 25_000_000, currency: 'USD' },
      order: ['incumbent-reseller'],
      offerHours: 48,
      maxCandidates: 5,
      maxOpenOffers: null,
    });
  });

  it('refuses an unknown criterion, naming it and where it is', () => {
    const errors = errorsOf(
      routing('  routing: { threshold: USD 250K, order: [incumbent-reseller, cheapest] }'),
    );
    expect(errors.join('\n')).toContain('coverage.routing.order[1]: unknown routing step');
    expect(errors.join('\n')).toContain('cheapest');
  });

  it('refuses round-robin before other criteria, and a criterion named twice', () => {
    const errors = errorsOf(
      routing('  routing: { threshold: USD 250K, order: [round-robin, highest-tier, highest-tier] }'),
    );
    expect(errors.join('\n')).toContain('round-robin must be the last routing step');
    expect(errors.join('\n')).toContain('duplicate routing step "highest-tier"');
  });

  it('refuses more named accounts than maxCount', () => {
    const errors = errorsOf(
      MINIMAL.replace(
        '  directNamedAccounts: { maxCount: 150 }',
        '  directNamedAccounts:\n    maxCount: 1\n    accounts: [{ name: A Corp, country: US }, { name: B Corp, country: GB }]',
      ),
    );
    expect(errors.join('\n')).toContain('2 named accounts listed but maxCount is 1');
  });
});

describe('marketingFunds', () => {
  const MDF = `marketingFunds:
  activityTypes:
    - { code: event, name: Customer event, proof: [invoice, attendee-list] }
    - { code: digital, name: Digital campaign }
  proposalFunds:
    - { code: zone-1-fund, name: Zone 1 fund, zones: [zone-1], amount: USD 250K, per: quarter }
`;

  it('reads activity types, their proof, the claim window (60 days by default) and proposal funds', () => {
    const r = parseProgramDocument(MINIMAL + MDF, 'p.yaml');
    if (!r.ok || r.document.kind !== 'Program') throw new Error('expected a program');
    expect(r.document.marketingFunds).toEqual({
      activityTypes: [
        { code: 'event', name: 'Customer event', proof: ['invoice', 'attendee-list'] },
        { code: 'digital', name: 'Digital campaign', proof: [] },
      ],
      claimWithin: { months: 0, days: 60 },
      proposalFunds: [
        {
          code: 'zone-1-fund',
          name: 'Zone 1 fund',
          zones: ['zone-1'],
          amount: { amountMinor: 25_000_000, currency: 'USD' },
          per: 'quarter',
        },
      ],
    });
    const without = parseProgramDocument(MINIMAL, 'p.yaml');
    expect(without.ok && without.document.kind === 'Program' && without.document.marketingFunds).toBe(null);
  });

  it.each([
    [
      'no activity type',
      MDF.replace(/ {4}- \{ code: (event|digital).*\n/g, '').replace('activityTypes:', 'activityTypes: []'),
      'marketingFunds.activityTypes: list at least one activity type',
    ],
    [
      'a duplicate activity type',
      MDF.replace('code: digital', 'code: event'),
      'marketingFunds.activityTypes[1].code: duplicate activity type code "event"',
    ],
    [
      'an unknown zone',
      MDF.replace('zones: [zone-1]', 'zones: [zone-9]'),
      'marketingFunds.proposalFunds[0].zones[0]: unknown zone "zone-9"',
    ],
    [
      'a fund in another currency',
      MDF.replace('USD 250K', 'EUR 250K'),
      'marketingFunds.proposalFunds[0].amount',
    ],
    [
      'a fund period that does not exist',
      MDF.replace('per: quarter', 'per: week'),
      'marketingFunds.proposalFunds[0].per',
    ],
  ])('refuses %s, saying where', (_name, section, expected) => {
    expect(errorsOf(MINIMAL + section).join('\n')).toContain(expected);
  });
});
