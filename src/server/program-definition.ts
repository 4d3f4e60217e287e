import { z } from 'zod';
import {
  COMPONENT_KINDS,
  CONFLICT_SCOPE_KEYS,
  DOWNGRADE_POLICIES,
  EXHAUSTION_POLICIES,
  GROWTH_BASES,
  GROWTH_COMPARISONS,
  PERIOD_GRANULARITIES,
  REQUIREMENT_MEASURES,
  ROUTING_STEPS,
  SERVICE_DELIVERY,
  SETTLEMENTS,
  SLA_BREACH_ACTIONS,
} from '../core/programs/types.js';

/**
 * The API's schema of a program version's normalised definition (src/core/programs/types.ts
 * ProgramDefinition), as GET /api/programs/{id} answers it. The file format's zod schema
 * (src/core/programs/schema.ts) parses the text people type into this shape through transforms, so its
 * output side cannot be described by it; this one mirrors the output. Objects are loose: the response
 * serializer validates the definition against this schema and keeps every field, also ones a later format
 * adds before this schema names them.
 */

const Money = z.looseObject({ amountMinor: z.number(), currency: z.string() }).meta({ id: 'Money' });
const Duration = z.looseObject({ months: z.number(), days: z.number() });
const MonthDay = z.looseObject({ month: z.number(), day: z.number() });
const DateRange = z.looseObject({ from: z.string(), to: z.string().nullable() });
const Ppm = z.number().describe('Integer parts per million (1,000,000 = 100% or a factor of 1)');
const Condition = z
  .unknown()
  .describe('A condition tree over order and partner facts (src/core/programs/conditions.ts); null = always');

const CountRequirement = z.looseObject({
  count: z.number(),
  family: z.string().nullable(),
  kind: z.string().nullable(),
});

const QualificationPath = z.looseObject({
  name: z.string().nullable(),
  revenue: Money.nullable(),
  servicesRevenue: Money.nullable(),
  credits: z.number().nullable(),
  companyCertifications: z.array(CountRequirement),
  certifiedPeople: z.array(CountRequirement),
});

const DefinitionTier = z.looseObject({
  code: z.string(),
  name: z.string(),
  requirements: z.array(z.looseObject({ zones: z.array(z.string()), paths: z.array(QualificationPath) })),
});

const common = {
  code: z.string(),
  name: z.string(),
  priority: z.number(),
  exclusiveGroup: z.string().nullable(),
  effective: DateRange,
  settlement: z.enum(SETTLEMENTS),
  condition: Condition,
  budgetPool: z.string().nullable(),
  caps: z.looseObject({ perPartnerPerPeriod: Money.nullable() }),
  minimum: Money.nullable(),
};
const families = z.array(z.string());

export const IncentiveComponentSchema = z
  .discriminatedUnion('kind', [
    z.looseObject({
      ...common,
      kind: z.literal('base-rebate'),
      rates: z
        .record(z.string(), z.record(z.string(), Ppm))
        .describe('Rates in ppm by tier code, then by product family'),
    }),
    z.looseObject({
      ...common,
      kind: z.literal('new-business'),
      points: Ppm,
      lookBack: Duration,
      families,
    }),
    z.looseObject({
      ...common,
      kind: z.literal('services-attach'),
      points: Ppm,
      delivery: z.enum(SERVICE_DELIVERY),
      families,
    }),
    z.looseObject({
      ...common,
      kind: z.literal('cross-sell'),
      points: Ppm,
      minFamilies: z.number(),
      combinations: z.array(families),
      families,
    }),
    z.looseObject({
      ...common,
      kind: z.literal('growth-accelerator'),
      thresholds: z.array(z.looseObject({ above: Ppm, points: Ppm })),
      comparedWith: z.enum(GROWTH_COMPARISONS),
      base: z.enum(GROWTH_BASES),
      families,
    }),
    z.looseObject({
      ...common,
      kind: z.literal('payout-multiplier'),
      factor: Ppm,
      appliesTo: z.array(z.string()).nullable(),
    }),
    z.looseObject({
      ...common,
      kind: z.literal('mdf-accrual'),
      points: Ppm,
      families,
      expiresAfter: Duration,
    }),
    z.looseObject({ ...common, kind: z.literal('deal-registration'), points: Ppm, families }),
  ])
  .meta({ id: 'IncentiveComponent', description: `One of: ${COMPONENT_KINDS.join(', ')}` });

export const DealRegistrationPolicySchema = z
  .looseObject({
    minimumDealSize: z.looseObject({
      default: Money,
      rules: z.array(
        z.looseObject({
          region: z.string().nullable(),
          segment: z.string().nullable(),
          family: z.string().nullable(),
          minimum: Money,
        }),
      ),
    }),
    protectionDays: z.number(),
    extensions: z.looseObject({ days: z.number(), maxCount: z.number(), onRequest: z.boolean() }),
    reviewSlaHours: z.looseObject({
      default: z.number(),
      byRegion: z.record(z.string(), z.number()),
      onBreach: z.enum(SLA_BREACH_ACTIONS),
    }),
    netNewOnly: z.boolean(),
    oneDealOneCustomer: z.boolean(),
    conflictScope: z.array(z.enum(CONFLICT_SCOPE_KEYS)),
    conflictRule: z.string(),
    benefit: z.string().nullable(),
    conflictChecks: z.looseObject({ perPartnerPerDay: z.number() }),
    rejectionReasons: z.array(z.looseObject({ code: z.string(), label: z.string() })),
    abuse: z.looseObject({ unsoldRegistrationsMax: z.number(), lookbackDays: z.number() }),
  })
  .meta({ id: 'DealRegistrationPolicy' });

export const ProgramDefinitionSchema = z
  .looseObject({
    apiVersion: z.string(),
    kind: z.literal('Program'),
    vendor: z.looseObject({ slug: z.string(), name: z.string(), currency: z.string() }),
    code: z.string(),
    name: z.string(),
    version: z.string(),
    effective: DateRange,
    currency: z.string(),
    additionalCurrencies: z.array(z.string()),
    fiscalYearStart: MonthDay,
    periods: z.enum(PERIOD_GRANULARITIES),
    supersedes: z.array(z.string()),
    zones: z.array(
      z.looseObject({
        code: z.string(),
        name: z.string(),
        countries: z.array(z.string()),
        regions: z.array(z.string()),
      }),
    ),
    defaultZone: z.string().nullable(),
    tiers: z.array(DefinitionTier).describe('In rank order, lowest (the floor) first'),
    qualification: z.looseObject({
      window: Duration,
      reevaluate: z.string(),
      auditDate: MonthDay,
      downgrade: z.enum(DOWNGRADE_POLICIES),
      grandfathering: Duration.nullable(),
      creditValue: Money.nullable(),
    }),
    statuses: z.array(
      z.looseObject({
        code: z.string(),
        name: z.string(),
        invitationOnly: z.boolean(),
        baseTier: z.string(),
        duration: Duration,
        requiresExecutiveSponsor: z.boolean(),
        renewable: z.boolean(),
        maxGrants: z.number().nullable(),
      }),
    ),
    qualifyingMultipliers: z.array(
      z.looseObject({
        code: z.string(),
        name: z.string(),
        factor: Ppm,
        scope: z.array(z.enum(REQUIREMENT_MEASURES)),
        condition: Condition,
      }),
    ),
    components: z.array(IncentiveComponentSchema),
    budgetPools: z.array(
      z.looseObject({
        code: z.string(),
        name: z.string(),
        amount: Money,
        onExhausted: z.enum(EXHAUSTION_POLICIES),
      }),
    ),
    statusMatch: z
      .looseObject({
        effective: z.string(),
        grandfatherPeriod: Duration,
        rule: z.string(),
        legacyPrograms: z.array(
          z.looseObject({
            program: z.string(),
            name: z.string().nullable(),
            tiers: z.record(z.string(), z.string()),
          }),
        ),
      })
      .nullable(),
    dealRegistration: DealRegistrationPolicySchema,
    coverage: z.looseObject({
      channelExclusiveWindow: Duration,
      directNamedAccounts: z.looseObject({
        maxCount: z.number().nullable(),
        accounts: z.array(
          z.looseObject({
            name: z.string(),
            domain: z.string().nullable(),
            country: z.string(),
          }),
        ),
      }),
      routing: z.looseObject({
        threshold: Money,
        order: z.array(z.enum(ROUTING_STEPS)),
        offerHours: z.number(),
        maxCandidates: z.number(),
        maxOpenOffers: z.number().nullable(),
      }),
    }),
    payouts: z.looseObject({
      period: z.enum(PERIOD_GRANULARITIES),
      closeAfterDays: z.number(),
      payAfterDays: z.number(),
      dates: z.array(z.looseObject({ period: z.string(), close: z.string(), pay: z.string() })),
      minimumPayout: Money.nullable(),
      currency: z.string(),
    }),
    marketingFunds: z
      .looseObject({
        activityTypes: z.array(
          z.looseObject({ code: z.string(), name: z.string(), proof: z.array(z.string()) }),
        ),
        claimWithin: Duration,
        proposalFunds: z.array(
          z.looseObject({
            code: z.string(),
            name: z.string(),
            zones: z.array(z.string()),
            amount: Money,
            per: z.enum(['quarter', 'year']),
          }),
        ),
      })
      .nullable()
      .meta({
        description:
          'Market development funds: activity types and their proof, claim window, proposal funds.',
      }),
    exchange: z
      .looseObject({
        orderCurrencies: z.array(
          z.looseObject({
            zones: z.array(z.string()),
            countries: z.array(z.string()),
            currencies: z.array(z.string()),
          }),
        ),
        orderRate: z.literal('order-day'),
        payoutRate: z.enum(['payout-day', 'period-average']),
        missingRate: z.union([
          z.looseObject({ policy: z.literal('refuse') }),
          z.looseObject({ policy: z.literal('last-known'), withinDays: z.number() }),
        ]),
        payoutCurrencies: z.array(z.string()),
      })
      .nullable()
      .meta({
        description:
          'Other currencies: the currencies orders may be in by zone or country, the rates conversions use, what a missing rate does, the currencies partners may be paid in.',
      }),
  })
  .meta({
    id: 'ProgramDefinition',
    description: 'The normalised program definition: zones, tiers and paths, incentive components, policies.',
  });
