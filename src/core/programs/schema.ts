import { z } from 'zod';
import { CERTIFICATION_KINDS } from '../model/people.js';
import { conditionSchema } from './conditions.js';
import {
  codeSchema,
  countrySchema,
  countSchema,
  currencySchema,
  durationSchema,
  enumSchema,
  factorSchema,
  familyKeySchema,
  familySchema,
  isoDateSchema,
  moneySchema,
  monthDaySchema,
  percentSchema,
  positiveCountSchema,
  regionKeySchema,
  regionSchema,
  segmentSchema,
  textSchema,
} from './notation.js';
import type { AgreementDefinition, CountRequirement, ProgramDefinition, RateTable } from './types.js';
import {
  AGREEMENT_ROLES,
  COMPONENT_KINDS,
  CONFLICT_SCOPE_KEYS,
  DOWNGRADE_POLICIES,
  EXHAUSTION_POLICIES,
  GROWTH_BASES,
  GROWTH_COMPARISONS,
  PAYOUT_RATES,
  PERIOD_GRANULARITIES,
  REQUIREMENT_MEASURES,
  ROUTING_STEPS,
  SERVICE_DELIVERY,
  SETTLEMENTS,
  SLA_BREACH_ACTIONS,
} from './types.js';

/**
 * The zod schemas of the two document kinds. Their input side is the text people type (and the JSON
 * Schema editors use); their output side is the normalised definition of ./types.ts.
 */

export const API_VERSION = 'trellis/v1';

const optionalText = textSchema.nullable().default(null);
const optionalCondition = conditionSchema
  .nullable()
  .default(null)
  .meta({ description: 'When the rule applies; absent = always.' });

const dateRangeSchema = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema
      .nullable()
      .default(null)
      .meta({ description: 'Inclusive last day; absent = open-ended.' }),
  })
  .strict();

// ---------------------------------------------------------------------------------------------------
// Zones, tiers, qualification

const zoneSchema = z
  .object({
    code: codeSchema,
    name: textSchema,
    countries: z.array(countrySchema).default([]),
    regions: z
      .array(regionSchema)
      .default([])
      .meta({ description: 'Whole regions: their countries not listed in another zone.' }),
  })
  .strict();

const countItemSchema = z
  .object({
    count: positiveCountSchema,
    family: familySchema.nullable().default(null),
    kind: enumSchema(CERTIFICATION_KINDS, 'certification kind').nullable().default(null),
  })
  .strict();

/** `2`, `{ count: 2, family: storage }` or a list of those; normalised to a list. */
const countRequirementSchema = z
  .union([countSchema, countItemSchema, z.array(countItemSchema)])
  .transform((value): CountRequirement[] => {
    if (typeof value === 'number') return value === 0 ? [] : [{ count: value, family: null, kind: null }];
    return Array.isArray(value) ? value : [value];
  });

const pathSchema = z
  .object({
    name: optionalText,
    revenue: moneySchema.nullable().default(null).meta({ description: 'Annual revenue.' }),
    servicesRevenue: moneySchema.nullable().default(null).meta({ description: 'Annual services revenue.' }),
    credits: countSchema.nullable().default(null).meta({ description: 'Qualifying credits.' }),
    companyCertifications: countRequirementSchema.default([]),
    certifiedPeople: countRequirementSchema.default([]),
  })
  .strict();

const requirementSchema = z
  .object({
    zones: z.array(codeSchema).min(1, { error: 'list at least one zone' }),
    paths: z.array(pathSchema).min(1, { error: 'list at least one path' }),
  })
  .strict();

const tierSchema = z
  .object({
    code: codeSchema,
    name: textSchema,
    requirements: z.array(requirementSchema).default([]),
  })
  .strict();

const qualificationSchema = z
  .object({
    window: durationSchema.default({ months: 12, days: 0 }),
    reevaluate: z.literal('daily').default('daily'),
    auditDate: monthDaySchema,
    downgrade: enumSchema(DOWNGRADE_POLICIES, 'downgrade policy'),
    grandfathering: durationSchema.nullable().default(null),
    creditValue: moneySchema.nullable().default(null),
  })
  .strict();

const statusSchema = z
  .object({
    code: codeSchema,
    name: textSchema,
    invitationOnly: z.boolean().default(true),
    baseTier: codeSchema,
    duration: durationSchema,
    requiresExecutiveSponsor: z.boolean().default(false),
    renewable: z.boolean().default(false),
    maxGrants: positiveCountSchema.nullable().default(null),
  })
  .strict();

const multiplierSchema = z
  .object({
    code: codeSchema,
    name: textSchema,
    factor: factorSchema,
    scope: z
      .array(enumSchema(REQUIREMENT_MEASURES, 'measure'))
      .min(1, { error: 'list at least one measure' }),
    condition: optionalCondition,
  })
  .strict();

// ---------------------------------------------------------------------------------------------------
// Incentive components

const componentCommon = {
  code: codeSchema,
  name: textSchema,
  priority: z.number().int({ error: 'expected a whole number' }),
  exclusiveGroup: codeSchema.nullable().default(null),
  effective: dateRangeSchema
    .nullable()
    .default(null)
    .meta({ description: "Defaults to the program's dates." }),
  settlement: enumSchema(SETTLEMENTS, 'settlement'),
  condition: optionalCondition,
  budgetPool: codeSchema.nullable().default(null),
  caps: z
    .object({ perPartnerPerPeriod: moneySchema.nullable().default(null) })
    .strict()
    .default({ perPartnerPerPeriod: null }),
  minimum: moneySchema
    .nullable()
    .default(null)
    .meta({ description: 'Revenue needed in the period before it pays; absent = from the first dollar.' }),
};

const familiesSchema = z.array(familySchema);

const component = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.object({ ...componentCommon, ...shape }).strict();

const componentSchema = z.discriminatedUnion(
  'kind',
  [
    component({
      kind: z.literal('base-rebate'),
      rates: z
        .record(codeSchema, z.record(familyKeySchema, percentSchema))
        .transform((r) => r as RateTable)
        .meta({ description: 'Rates by tier code, then product family.' }),
    }),
    component({
      kind: z.literal('new-business'),
      points: percentSchema,
      lookBack: durationSchema,
      families: familiesSchema.min(1),
    }),
    component({
      kind: z.literal('services-attach'),
      points: percentSchema,
      delivery: enumSchema(SERVICE_DELIVERY, 'delivery'),
      families: familiesSchema.default(['services']),
    }),
    component({
      kind: z.literal('cross-sell'),
      points: percentSchema,
      minFamilies: positiveCountSchema,
      combinations: z.array(familiesSchema.min(2)).default([]),
      families: familiesSchema.default([]),
    }),
    component({
      kind: z.literal('growth-accelerator'),
      thresholds: z
        .array(z.object({ above: percentSchema, points: percentSchema }).strict())
        .min(1, { error: 'list at least one threshold' }),
      comparedWith: enumSchema(GROWTH_COMPARISONS, 'comparison').default('same-period-last-year'),
      base: enumSchema(GROWTH_BASES, 'growth base'),
      families: familiesSchema.default([]),
    }),
    component({
      kind: z.literal('payout-multiplier'),
      factor: factorSchema,
      appliesTo: z
        .union([z.literal('all'), z.array(codeSchema).min(1)])
        .transform((v) => (v === 'all' ? null : v))
        .meta({ description: '"all" or a list of component codes.' }),
    }),
    component({
      kind: z.literal('mdf-accrual'),
      points: percentSchema,
      families: familiesSchema.default([]),
      expiresAfter: durationSchema,
    }),
    z
      .object({
        ...componentCommon,
        kind: z.literal('deal-registration'),
        settlement: enumSchema(SETTLEMENTS, 'settlement').default('accrual'),
        points: percentSchema,
        families: familiesSchema
          .default([])
          .meta({ description: 'Families it pays on (those of the registration); empty = every family.' }),
      })
      .strict(),
  ],
  {
    error: (i) =>
      i.input === undefined
        ? undefined
        : `unknown component kind; expected one of ${COMPONENT_KINDS.join(', ')}`,
  },
);

const budgetPoolSchema = z
  .object({
    code: codeSchema,
    name: textSchema,
    amount: moneySchema,
    onExhausted: enumSchema(EXHAUSTION_POLICIES, 'exhaustion policy'),
  })
  .strict();

const marketingFundsSchema = z
  .object({
    activityTypes: z
      .array(
        z
          .object({
            code: codeSchema,
            name: textSchema,
            proof: z
              .array(codeSchema)
              .default([])
              .meta({ description: 'Kinds of proof a claim must attach (e.g. invoice, attendee-list).' }),
          })
          .strict(),
      )
      .min(1, { error: 'list at least one activity type' }),
    claimWithin: durationSchema.default({ months: 0, days: 60 }),
    proposalFunds: z
      .array(
        z
          .object({
            code: codeSchema,
            name: textSchema,
            zones: z.array(codeSchema).default([]),
            amount: moneySchema,
            per: enumSchema(['quarter', 'year'] as const, 'fund period'),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

const statusMatchSchema = z
  .object({
    effective: isoDateSchema,
    grandfatherPeriod: durationSchema,
    rule: z.literal('highest'),
    legacyPrograms: z
      .array(
        z
          .object({
            program: codeSchema,
            name: optionalText,
            tiers: z.record(codeSchema, codeSchema).meta({ description: 'Legacy tier code -> tier code.' }),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

// ---------------------------------------------------------------------------------------------------
// Deal registration, coverage, payouts

const hoursSchema = z
  .number({ error: 'expected a number of hours' })
  .positive({ error: 'must be above zero' });

const dealRegistrationSchema = z
  .object({
    minimumDealSize: z
      .object({
        default: moneySchema,
        rules: z
          .array(
            z
              .object({
                region: regionSchema.nullable().default(null),
                segment: segmentSchema.nullable().default(null),
                family: familySchema.nullable().default(null),
                minimum: moneySchema,
              })
              .strict(),
          )
          .default([]),
      })
      .strict(),
    protectionDays: positiveCountSchema,
    extensions: z
      .object({ days: positiveCountSchema, maxCount: countSchema, onRequest: z.boolean().default(true) })
      .strict(),
    reviewSlaHours: z
      .object({
        default: hoursSchema,
        byRegion: z.record(regionKeySchema, hoursSchema).default({}),
        onBreach: enumSchema(SLA_BREACH_ACTIONS, 'SLA breach action')
          .default('escalate')
          .meta({ description: 'What a breached review SLA does: escalate (flag) or auto-approve.' }),
      })
      .strict(),
    netNewOnly: z.boolean().default(true),
    oneDealOneCustomer: z.boolean().default(true),
    conflictScope: z
      .array(enumSchema(CONFLICT_SCOPE_KEYS, 'conflict scope key'))
      .min(1)
      .default(['account', 'family', 'region']),
    conflictRule: z.literal('first-to-register').default('first-to-register'),
    benefit: codeSchema
      .nullable()
      .default(null)
      .meta({ description: "Code of the deal-registration component that is the protection's worth." }),
    conflictChecks: z
      .object({
        perPartnerPerDay: positiveCountSchema.default(100).meta({
          description: 'Most conflict checks (submissions and live hints) per partner and UTC day.',
        }),
      })
      .strict()
      .default({ perPartnerPerDay: 100 }),
    rejectionReasons: z
      .array(z.object({ code: codeSchema, label: textSchema }).strict())
      .default([])
      .meta({ description: 'Reason codes added to the built-in list.' }),
    abuse: z
      .object({
        unsoldRegistrationsMax: countSchema.default(20).meta({
          description: 'More registered customers never sold to in the look-back than this is flagged.',
        }),
        lookbackDays: positiveCountSchema.default(180),
      })
      .strict()
      .default({ unsoldRegistrationsMax: 20, lookbackDays: 180 }),
  })
  .strict();

const coverageSchema = z
  .object({
    channelExclusiveWindow: durationSchema,
    directNamedAccounts: z
      .object({
        maxCount: countSchema.nullable().default(null),
        accounts: z
          .array(
            z
              .object({
                name: textSchema,
                domain: textSchema.nullable().default(null),
                country: countrySchema,
              })
              .strict(),
          )
          .default([]),
      })
      .strict(),
    routing: z
      .object({
        threshold: moneySchema,
        order: z.array(enumSchema(ROUTING_STEPS, 'routing step')).min(1),
        offerHours: countSchema.min(1, { error: 'must be at least 1 hour' }).default(48),
        maxCandidates: countSchema.min(1).max(50).default(5),
        maxOpenOffers: countSchema.min(1).nullable().default(null),
      })
      .strict(),
  })
  .strict();

const payoutsSchema = z
  .object({
    period: enumSchema(PERIOD_GRANULARITIES, 'period'),
    closeAfterDays: countSchema,
    payAfterDays: countSchema,
    dates: z
      .array(
        z
          .object({
            period: z
              .string()
              .regex(/^\d{4}-(Q[1-4]|\d{2})$/, { error: 'expected a period like "2017-Q1" or "2017-03"' }),
            close: isoDateSchema,
            pay: isoDateSchema,
          })
          .strict(),
      )
      .default([]),
    minimumPayout: moneySchema.nullable().default(null),
    currency: currencySchema,
  })
  .strict();

const exchangeSchema = z
  .object({
    orderCurrencies: z
      .array(
        z
          .object({
            zones: z.array(codeSchema).default([]),
            countries: z.array(countrySchema).default([]),
            currencies: z.array(currencySchema).min(1, { error: 'list at least one currency' }),
          })
          .strict(),
      )
      .default([])
      .meta({
        description:
          'Currencies orders may be in, besides the program currency, by zone or country of the order.',
      }),
    orderRate: z
      .literal('order-day', {
        error:
          'orders convert at their day\'s rate ("order-day"): a line accrues when it arrives, so its converted amount cannot wait for a period average',
      })
      .default('order-day'),
    payoutRate: enumSchema(PAYOUT_RATES, 'payout rate').default('payout-day'),
    missingRate: z
      .union(
        [
          z.literal('refuse').transform(() => ({ policy: 'refuse' as const })),
          z
            .object({
              lastKnownWithinDays: z
                .number({ error: 'expected a number of days' })
                .int({ error: 'expected a whole number of days' })
                .min(1, { error: 'at least 1 day' })
                .max(31, { error: 'at most 31 days' }),
            })
            .strict()
            .transform((m) => ({ policy: 'last-known' as const, withinDays: m.lastKnownWithinDays })),
        ],
        { error: 'expected "refuse" or { lastKnownWithinDays: N }' },
      )
      .default({ policy: 'refuse' as const }),
    payoutCurrencies: z.array(currencySchema).default([]),
  })
  .strict();

// ---------------------------------------------------------------------------------------------------
// Documents

export const programSchema = z
  .object({
    apiVersion: z.literal(API_VERSION, { error: `expected apiVersion "${API_VERSION}"` }),
    kind: z.literal('Program'),
    vendor: z.object({ slug: codeSchema, name: textSchema, currency: currencySchema }).strict(),
    code: codeSchema,
    name: textSchema,
    version: textSchema.meta({ description: 'Version label, e.g. "FY18".' }),
    effective: dateRangeSchema,
    currency: currencySchema,
    additionalCurrencies: z.array(currencySchema).default([]),
    fiscalYearStart: monthDaySchema,
    periods: enumSchema(PERIOD_GRANULARITIES, 'period granularity'),
    supersedes: z
      .array(codeSchema)
      .default([])
      .meta({ description: 'Legacy program codes merged into this one.' }),
    zones: z.array(zoneSchema).min(1, { error: 'list at least one zone' }),
    defaultZone: codeSchema.nullable().default(null),
    tiers: z.array(tierSchema).min(1, { error: 'list at least one tier' }),
    qualification: qualificationSchema,
    statuses: z.array(statusSchema).default([]),
    qualifyingMultipliers: z.array(multiplierSchema).default([]),
    components: z.array(componentSchema).default([]),
    budgetPools: z.array(budgetPoolSchema).default([]),
    statusMatch: statusMatchSchema.nullable().default(null),
    dealRegistration: dealRegistrationSchema,
    coverage: coverageSchema,
    payouts: payoutsSchema,
    marketingFunds: marketingFundsSchema.nullable().default(null),
    exchange: exchangeSchema.nullable().default(null),
  })
  .strict()
  .transform((p): ProgramDefinition => ({
    ...p,
    components: p.components.map((c) => ({ ...c, effective: c.effective ?? p.effective })),
  }));

const agreementSchema = z
  .object({
    apiVersion: z.literal(API_VERSION, { error: `expected apiVersion "${API_VERSION}"` }),
    kind: z.literal('Agreement'),
    code: codeSchema,
    name: textSchema,
    parties: z
      .array(
        z
          .object({
            vendor: codeSchema,
            name: textSchema,
            role: enumSchema(AGREEMENT_ROLES, 'party role'),
            programs: z.array(codeSchema).default([]),
          })
          .strict(),
      )
      .min(2, { error: 'an agreement needs at least two parties' }),
    signed: isoDateSchema,
    effective: dateRangeSchema,
    term: durationSchema,
    termination: z
      .object({
        noticeDays: countSchema,
        changeOfControl: z.object({ allowsTermination: z.boolean(), description: optionalText }).strict(),
        convenience: z
          .object({ allowsTermination: z.boolean(), description: optionalText })
          .strict()
          .default({ allowsTermination: false, description: null })
          .meta({ description: 'Termination without cause, on notice; absent = not allowed.' }),
        events: z
          .array(
            z
              .object({
                date: isoDateSchema,
                by: codeSchema,
                reason: enumSchema(
                  ['change-of-control', 'convenience', 'breach', 'mutual'],
                  'termination reason',
                ),
                effective: isoDateSchema,
                note: optionalText,
              })
              .strict(),
          )
          .default([]),
      })
      .strict(),
    provisions: z
      .object({
        benefitContinuity: z
          .object({
            enabled: z.boolean(),
            programs: z.array(codeSchema).default([]),
            description: optionalText,
          })
          .strict(),
        crossCredit: z
          .array(
            z
              .object({ from: codeSchema, to: codeSchema, share: percentSchema, description: optionalText })
              .strict(),
          )
          .default([]),
        crossVendorSolutionBonus: z
          .object({
            points: percentSchema,
            requires: z
              .array(z.object({ vendor: codeSchema, families: familiesSchema.min(1) }).strict())
              .min(2, { error: 'a cross-vendor solution names at least two vendors' }),
            window: durationSchema.default({ months: 0, days: 90 }).meta({
              description:
                "From a set's first purchase, the time in which every vendor's purchase must fall (default P90D).",
            }),
            funding: z
              .array(
                z
                  .object({
                    vendor: codeSchema,
                    basisPoints: z
                      .number({ error: 'expected a whole number of basis points' })
                      .int({ error: 'expected a whole number of basis points' })
                      .min(0, { error: 'must not be negative' })
                      .max(10000, { error: 'at most 10000 basis points (100%)' }),
                  })
                  .strict(),
              )
              .min(1)
              .optional()
              .meta({
                description:
                  "Each party's part of the reward in basis points; the parts sum to exactly 10000.",
              }),
            paidBy: codeSchema.optional().meta({
              description: 'Legacy: one party funds all of it (= funding [{ vendor, basisPoints: 10000 }]).',
            }),
          })
          .strict()
          .transform((b, ctx) => {
            if (b.funding !== undefined && b.paidBy !== undefined) {
              ctx.addIssue({
                code: 'custom',
                path: ['paidBy'],
                message: 'give either funding or the legacy paidBy, not both',
              });
              return z.NEVER;
            }
            const funding =
              b.funding ?? (b.paidBy !== undefined ? [{ vendor: b.paidBy, basisPoints: 10000 }] : undefined);
            if (funding === undefined) {
              ctx.addIssue({
                code: 'custom',
                path: ['funding'],
                message: 'say who funds the reward: funding [{ vendor, basisPoints }] summing to 10000',
              });
              return z.NEVER;
            }
            return { points: b.points, requires: b.requires, window: b.window, funding };
          })
          .nullable()
          .default(null),
        sharedPartners: z
          .object({
            scope: enumSchema(['enrolled-in-all', 'listed'], 'shared-partner scope'),
            partners: z.array(textSchema).default([]),
          })
          .strict(),
      })
      .strict(),
  })
  .strict()
  .transform((a): AgreementDefinition => a);

/** Either document kind, chosen by `kind`. */
export const documentSchema = z.discriminatedUnion('kind', [programSchema, agreementSchema], {
  error: (i) =>
    i.input === undefined ? undefined : 'unknown document kind; expected kind: Program or kind: Agreement',
});
