import type { Money } from '../money/money.js';
import { applyRate, multiplyFactors, PPM_ONE } from '../money/rate.js';
import type { ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import { regionOf } from '../model/geography.js';
import type { CertificationKind } from '../model/people.js';
import type { CompiledCondition, ConditionFacts } from '../programs/conditions.js';
import { compileCondition, conditionLeaves } from '../programs/conditions.js';
import type { CountRequirement, ProgramDefinition, RequirementMeasure } from '../programs/types.js';
import { REQUIREMENT_MEASURES } from '../programs/types.js';
import { zoneOf } from '../programs/zones.js';
import { TrellisError } from '../shared/errors.js';
import { certificationIndex } from './certifications.js';
import type {
  CompileTierOptions,
  MeasureCheck,
  Measure,
  MultiplierDetail,
  PartnerTierFacts,
  PathProgress,
  PathResult,
  PendingRevenue,
  ProgressReport,
  RequirementProgress,
  TierEvaluation,
  TierEvaluator,
  TierMeasures,
  TierProgress,
  TierQualification,
  TierResult,
} from './types.js';

/**
 * The tier evaluation engine. `compileTierEvaluator` runs once per program version: conditions are
 * compiled, countries resolved to zones, each zone's paths flattened to numbers, and the qualifying
 * multipliers folded into per-family factors for each combination of the partner facts they read.
 * Evaluating a partner is then a few array reads and integer comparisons.
 */

const FAMILIES = PRODUCT_FAMILIES.length;
const NO_PATHS: readonly PathResult[] = Object.freeze([]);
const NO_DETAILS: readonly MultiplierDetail[] = Object.freeze([]);
const NONE: readonly string[] = Object.freeze([]);
const SERVICES = PRODUCT_FAMILIES.indexOf('services');
const SCOPE_REVENUE = REQUIREMENT_MEASURES.indexOf('revenue');
const SCOPE_SERVICES = REQUIREMENT_MEASURES.indexOf('servicesRevenue');
const SCOPE_CREDITS = REQUIREMENT_MEASURES.indexOf('credits');
const SCOPES = REQUIREMENT_MEASURES.length;

/** A requirement as the hot loop reads it; -1 = not asked. */
interface CompiledPath {
  readonly rank: number;
  readonly index: number;
  /** Shared, immutable: the `qualifiedBy` of an evaluation won by this path. */
  readonly ref: { readonly tier: string; readonly path: number; readonly name: string };
  readonly name: string;
  readonly revenue: number;
  readonly servicesRevenue: number;
  readonly credits: number;
  /** [slot, count, slot, count, ...] */
  readonly company: readonly number[];
  readonly people: readonly number[];
  /** The measures in display order, for explanations. */
  readonly specs: readonly RequirementSpec[];
}

interface RequirementSpec {
  readonly measure: Measure;
  readonly family: ProductFamily | null;
  readonly kind: CertificationKind | null;
  readonly target: number;
  readonly slot: number;
}

/** A tier in one zone; null paths = no requirement block for the zone. */
type ZoneTier = readonly CompiledPath[] | null;

/** Per-family factors (ppm) for each scope, for one combination of partner facts. */
interface Profile {
  /** factors[scope * FAMILIES + family] */
  readonly factors: Float64Array;
  /** For each multiplier: bit f set when it applies to family f in some scope. */
  readonly familyMasks: readonly number[];
  readonly plain: boolean;
}

interface Multiplier {
  readonly code: string;
  readonly name: string;
  readonly scope: readonly RequirementMeasure[];
  readonly factor: number;
  readonly scopes: readonly number[];
  readonly test: CompiledCondition;
}

type PartnerFactKey = 'kind' | 'exclusive' | 'country' | 'region' | 'zone' | 'deliversServices' | 'growth';
const PARTNER_FACT_KEYS: readonly PartnerFactKey[] = [
  'kind',
  'exclusive',
  'country',
  'region',
  'zone',
  'deliversServices',
  'growth',
];

type PartnerConditionFacts = NonNullable<ConditionFacts['partner']>;

interface Measured {
  rawRevenue: number;
  rawServices: number;
  revenue: number;
  services: number;
  /** Whole credits, or -1 without creditValue. */
  credits: number;
}

/** A program the engine cannot evaluate (e.g. a foreign-currency threshold without a converter). */
function programError(message: string): TrellisError {
  const [location = '', ...rest] = message.split(': ');
  return new TrellisError('invalid_config', message, [{ location, message: rest.join(': ') }]);
}

export function compileTierEvaluator(
  program: ProgramDefinition,
  options: CompileTierOptions = {},
): TierEvaluator {
  const tierCodes = program.tiers.map((t) => t.code);
  const zoneCodes = program.zones.map((z) => z.code);
  const top = tierCodes.length - 1;

  const toMinor = (m: Money, where: string): number => {
    if (m.currency === program.currency) return m.amountMinor;
    if (options.toProgramCurrency) return options.toProgramCurrency(m);
    throw programError(
      `${where}: ${m.currency} threshold in a ${program.currency} program needs toProgramCurrency`,
    );
  };
  const creditValue =
    program.qualification.creditValue === null
      ? -1
      : toMinor(program.qualification.creditValue, 'qualification.creditValue');

  // Zones: country -> zone index (-1 = cannot enrol), filled lazily for countries first seen.
  const countryZone = new Map<string, number>();
  const zoneIndexOf = (country: string): number => {
    let z = countryZone.get(country);
    if (z === undefined) {
      const code = zoneOf(program, country);
      z = code === null ? -1 : zoneCodes.indexOf(code);
      countryZone.set(country, z);
    }
    return z;
  };

  // Paths flattened per zone and tier.
  const counts = (reqs: readonly CountRequirement[], measure: Measure, specs: RequirementSpec[]) => {
    const flat: number[] = [];
    for (const r of reqs) {
      const slot = certificationIndex(r.kind, r.family);
      flat.push(slot, r.count);
      specs.push({ measure, family: r.family, kind: r.kind, target: r.count, slot });
    }
    return flat;
  };
  const byZone: ZoneTier[][] = zoneCodes.map((zone) =>
    program.tiers.map((tier, rank): ZoneTier => {
      if (rank === 0) return null;
      const ti = rank;
      const ri = tier.requirements.findIndex((r) => r.zones.includes(zone));
      const block = tier.requirements[ri];
      if (!block) return null;
      return block.paths.map((p, index): CompiledPath => {
        const where = `tiers[${ti}].requirements[${ri}].paths[${index}]`;
        const specs: RequirementSpec[] = [];
        const money = (m: Money | null, measure: Measure): number => {
          if (m === null) return -1;
          const target = toMinor(m, `${where}.${measure}`);
          specs.push({ measure, family: null, kind: null, target, slot: -1 });
          return target;
        };
        const revenue = money(p.revenue, 'revenue');
        const servicesRevenue = money(p.servicesRevenue, 'servicesRevenue');
        if (p.credits !== null && creditValue < 0)
          throw programError(`${where}.credits: the program has no qualification.creditValue`);
        if (p.credits !== null)
          specs.push({ measure: 'credits', family: null, kind: null, target: p.credits, slot: -1 });
        const company = counts(p.companyCertifications, 'companyCertifications', specs);
        const people = counts(p.certifiedPeople, 'certifiedPeople', specs);
        const name = p.name ?? `Path ${index + 1}`;
        return {
          rank: ti,
          index,
          ref: Object.freeze({ tier: tier.code, path: index, name }),
          name,
          revenue,
          servicesRevenue,
          credits: p.credits ?? -1,
          company,
          people,
          specs,
        };
      });
    }),
  );

  // Qualifying multipliers.
  const multipliers: Multiplier[] = program.qualifyingMultipliers.map((m) => ({
    code: m.code,
    name: m.name,
    scope: m.scope,
    factor: m.factor,
    scopes: m.scope.map((s: RequirementMeasure) => REQUIREMENT_MEASURES.indexOf(s)),
    test: compileCondition(m.condition, { tiers: tierCodes }),
  }));
  const partnerKeys = new Set<PartnerFactKey>();
  for (const m of program.qualifyingMultipliers) {
    if (m.condition === null) continue;
    for (const { leaf } of conditionLeaves(m.condition)) {
      const [group, field] = leaf.attribute.split('.');
      if (group === 'partner' && (PARTNER_FACT_KEYS as readonly string[]).includes(field ?? ''))
        partnerKeys.add(field as PartnerFactKey);
    }
  }
  const keyFields = PARTNER_FACT_KEYS.filter((k) => partnerKeys.has(k));

  const partnerFacts = (facts: PartnerTierFacts, zone: number): PartnerConditionFacts => {
    const out: Record<string, unknown> = {
      kind: facts.kind,
      exclusive: facts.exclusive,
      country: facts.country,
      region: regionOf(facts.country) ?? null,
      zone: zone < 0 ? null : (zoneCodes[zone] ?? null),
      deliversServices: facts.deliversServices ?? null,
      growth: facts.growth ?? null,
    };
    return out as PartnerConditionFacts;
  };

  const profiles = new Map<string, Profile>();
  const onlyExclusive = keyFields.length === 1 && keyFields[0] === 'exclusive';
  const keyOf = (facts: PartnerTierFacts, zone: number): string => {
    if (keyFields.length === 0) return '';
    if (onlyExclusive) return facts.exclusive ? '1' : '0';
    const p = partnerFacts(facts, zone) as Record<string, unknown>;
    return keyFields.map((k) => String(p[k])).join('\u0000');
  };
  const buildProfile = (facts: PartnerTierFacts, zone: number): Profile => {
    const factors = new Float64Array(SCOPES * FAMILIES).fill(PPM_ONE);
    const familyMasks = multipliers.map(() => 0);
    const partner = partnerFacts(facts, zone);
    let plain = true;
    for (let f = 0; f < FAMILIES; f++) {
      const condFacts: ConditionFacts = { partner, line: { family: PRODUCT_FAMILIES[f] as ProductFamily } };
      multipliers.forEach((m, mi) => {
        if (!m.test(condFacts)) return;
        familyMasks[mi] = (familyMasks[mi] ?? 0) | (1 << f);
        for (const s of m.scopes) {
          const i = s * FAMILIES + f;
          factors[i] = multiplyFactors(factors[i] ?? PPM_ONE, m.factor);
          plain = false;
        }
      });
    }
    return { factors, familyMasks, plain };
  };
  const profileOf = (facts: PartnerTierFacts, zone: number): Profile => {
    const key = keyOf(facts, zone);
    let p = profiles.get(key);
    if (!p) {
      p = buildProfile(facts, zone);
      profiles.set(key, p);
    }
    return p;
  };

  const scaled = (amount: number, factor: number): number =>
    factor === PPM_ONE || amount === 0 ? amount : applyRate(amount, factor);

  /** Measures into `out`; returns the profile used. */
  const measureInto = (facts: PartnerTierFacts, zone: number, out: Measured): Profile => {
    const profile = profileOf(facts, zone);
    const rev = facts.revenueByFamily;
    const slices = facts.revenueSlices;
    let rawRevenue = 0;
    let revenue = 0;
    let creditMinor = 0;
    const f = profile.factors;
    if (slices === undefined || slices.length === 0) {
      if (profile.plain) {
        for (let i = 0; i < FAMILIES; i++) rawRevenue += rev[i] ?? 0;
        revenue = rawRevenue;
        creditMinor = rawRevenue;
      } else {
        for (let i = 0; i < FAMILIES; i++) {
          const a = rev[i] ?? 0;
          rawRevenue += a;
          revenue += scaled(a, f[SCOPE_REVENUE * FAMILIES + i] as number);
          if (creditValue > 0) creditMinor += scaled(a, f[SCOPE_CREDITS * FAMILIES + i] as number);
        }
      }
      const s = rev[SERVICES] ?? 0;
      out.services = scaled(s, f[SCOPE_SERVICES * FAMILIES + SERVICES] as number);
      out.rawServices = s;
    } else {
      // Slower path: slices carry line attributes, so conditions are tested per slice.
      const rest = new Float64Array(FAMILIES);
      for (let i = 0; i < FAMILIES; i++) rest[i] = rev[i] ?? 0;
      const partner = partnerFacts(facts, zone);
      let services = 0;
      for (const sl of slices) {
        const fi = PRODUCT_FAMILIES.indexOf(sl.family);
        rest[fi] = (rest[fi] ?? 0) - sl.amountMinor;
        const condFacts: ConditionFacts = {
          partner,
          line: { family: sl.family, licensing: sl.licensing ?? null, solution: sl.solution ?? null },
          customer: { newBusiness: sl.newBusiness ?? null },
        };
        const factors = [PPM_ONE, PPM_ONE, PPM_ONE];
        for (const m of multipliers) {
          if (!m.test(condFacts)) continue;
          for (const s of m.scopes) factors[s] = multiplyFactors(factors[s] ?? PPM_ONE, m.factor);
        }
        rawRevenue += sl.amountMinor;
        revenue += scaled(sl.amountMinor, factors[SCOPE_REVENUE] as number);
        creditMinor += scaled(sl.amountMinor, factors[SCOPE_CREDITS] as number);
        if (fi === SERVICES) services += scaled(sl.amountMinor, factors[SCOPE_SERVICES] as number);
      }
      for (let i = 0; i < FAMILIES; i++) {
        const a = rest[i] ?? 0;
        rawRevenue += a;
        revenue += scaled(a, f[SCOPE_REVENUE * FAMILIES + i] as number);
        creditMinor += scaled(a, f[SCOPE_CREDITS * FAMILIES + i] as number);
      }
      const restServices = rest[SERVICES] ?? 0;
      services += scaled(restServices, f[SCOPE_SERVICES * FAMILIES + SERVICES] as number);
      out.services = services;
      out.rawServices = rev[SERVICES] ?? 0;
    }
    out.rawRevenue = rawRevenue;
    out.revenue = revenue;
    // Whole credits: a credit counts once fully earned.
    out.credits = creditValue > 0 ? Math.floor(creditMinor / creditValue) : -1;
    return profile;
  };

  const pathMet = (p: CompiledPath, m: Measured, people: ArrayLike<number>, company: ArrayLike<number>) => {
    if (p.revenue >= 0 && m.revenue < p.revenue) return false;
    if (p.servicesRevenue >= 0 && m.services < p.servicesRevenue) return false;
    if (p.credits >= 0 && m.credits < p.credits) return false;
    const c = p.company;
    for (let i = 0; i < c.length; i += 2)
      if ((company[c[i] as number] ?? 0) < (c[i + 1] as number)) return false;
    const q = p.people;
    for (let i = 0; i < q.length; i += 2)
      if ((people[q[i] as number] ?? 0) < (q[i + 1] as number)) return false;
    return true;
  };

  const actualOf = (spec: RequirementSpec, m: Measured, facts: PartnerTierFacts): number => {
    switch (spec.measure) {
      case 'revenue':
        return m.revenue;
      case 'servicesRevenue':
        return m.services;
      case 'credits':
        return m.credits;
      case 'companyCertifications':
        return facts.certifications.company[spec.slot] ?? 0;
      case 'certifiedPeople':
        return facts.certifications.people[spec.slot] ?? 0;
    }
  };

  const scratch: Measured = { rawRevenue: 0, rawServices: 0, revenue: 0, services: 0, credits: -1 };

  const qualifyMeasured = (zone: number, m: Measured, facts: PartnerTierFacts): TierQualification => {
    if (zone < 0) return { rank: 0, path: -1 };
    const tiers = byZone[zone] as ZoneTier[];
    const { people, company } = facts.certifications;
    for (let rank = top; rank > 0; rank--) {
      const paths = tiers[rank];
      if (!paths) continue;
      for (let i = 0; i < paths.length; i++) {
        if (pathMet(paths[i] as CompiledPath, m, people, company)) return { rank, path: i };
      }
    }
    return { rank: 0, path: -1 };
  };

  const measuresOf = (m: Measured, profile: Profile, facts: PartnerTierFacts): TierMeasures => {
    let applied: string[] | null = null;
    let details: MultiplierDetail[] | null = null;
    const rev = facts.revenueByFamily;
    const slices = facts.revenueSlices;
    // What each family holds besides its slices (the part that only knows its family).
    const rest = new Float64Array(FAMILIES);
    for (let f = 0; f < FAMILIES; f++) rest[f] = rev[f] ?? 0;
    for (const sl of slices ?? []) {
      const fi = PRODUCT_FAMILIES.indexOf(sl.family);
      rest[fi] = (rest[fi] ?? 0) - sl.amountMinor;
    }
    const partner = slices && slices.length > 0 ? partnerFacts(facts, zoneIndexOf(facts.country)) : null;
    for (let mi = 0; mi < multipliers.length; mi++) {
      const mult = multipliers[mi] as Multiplier;
      const mask = profile.familyMasks[mi] ?? 0;
      let hit = false;
      let base = 0;
      for (let f = 0; f < FAMILIES; f++) {
        if (!(mask & (1 << f))) continue;
        if ((rev[f] ?? 0) !== 0) hit = true;
        base += rest[f] ?? 0;
      }
      if (partner && slices)
        for (const sl of slices) {
          if (
            sl.amountMinor !== 0 &&
            mult.test({
              partner,
              line: { family: sl.family, licensing: sl.licensing ?? null, solution: sl.solution ?? null },
              customer: { newBusiness: sl.newBusiness ?? null },
            })
          ) {
            hit = true;
            base += sl.amountMinor;
          }
        }
      if (hit) {
        (applied ??= []).push(mult.code);
        (details ??= []).push({
          code: mult.code,
          name: mult.name,
          factor: mult.factor,
          scope: mult.scope,
          baseMinor: base,
        });
      }
    }
    return {
      currency: program.currency,
      rawRevenueMinor: m.rawRevenue,
      rawServicesRevenueMinor: m.rawServices,
      revenueMinor: m.revenue,
      servicesRevenueMinor: m.services,
      credits: m.credits < 0 ? null : m.credits,
      multipliers: applied ?? NONE,
      multiplierDetails: details ?? NO_DETAILS,
    };
  };

  const fresh = (): Measured => ({ rawRevenue: 0, rawServices: 0, revenue: 0, services: 0, credits: -1 });

  const withPending = (facts: PartnerTierFacts, pending: PendingRevenue): PartnerTierFacts => {
    const sum = new Array<number>(FAMILIES);
    for (let i = 0; i < FAMILIES; i++)
      sum[i] = (facts.revenueByFamily[i] ?? 0) + (pending.revenueByFamily[i] ?? 0);
    const slices = [...(facts.revenueSlices ?? []), ...(pending.revenueSlices ?? [])];
    const { revenueSlices: _omit, ...rest } = facts;
    return slices.length > 0
      ? { ...rest, revenueByFamily: sum, revenueSlices: slices }
      : { ...rest, revenueByFamily: sum };
  };

  const programRef = { code: program.code, version: program.version };

  return {
    program: { ...programRef, currency: program.currency },
    tierCodes,
    zoneOf: (country) => {
      const z = zoneIndexOf(country);
      return z < 0 ? null : (zoneCodes[z] ?? null);
    },

    measure(facts) {
      const m = fresh();
      const profile = measureInto(facts, zoneIndexOf(facts.country), m);
      return measuresOf(m, profile, facts);
    },

    qualify(facts) {
      const zone = zoneIndexOf(facts.country);
      measureInto(facts, zone, scratch);
      return qualifyMeasured(zone, scratch, facts);
    },

    evaluate(facts, asOf): TierEvaluation {
      const zone = zoneIndexOf(facts.country);
      const m = fresh();
      const profile = measureInto(facts, zone, m);
      const results: TierResult[] = [];
      let best: CompiledPath | null = null;
      for (let rank = top; rank > 0; rank--) {
        const paths = zone < 0 ? null : ((byZone[zone] as ZoneTier[])[rank] ?? null);
        const tier = tierCodes[rank] as string;
        if (!paths) {
          results.push({ tier, rank, available: false, met: false, paths: NO_PATHS });
          continue;
        }
        let tierMet = false;
        const pathResults: PathResult[] = new Array<PathResult>(paths.length);
        for (let i = 0; i < paths.length; i++) {
          const p = paths[i] as CompiledPath;
          const specs = p.specs;
          const checks: MeasureCheck[] = new Array<MeasureCheck>(specs.length);
          let met = true;
          for (let j = 0; j < specs.length; j++) {
            const spec = specs[j] as RequirementSpec;
            const actual = actualOf(spec, m, facts);
            const ok = actual >= spec.target;
            if (!ok) met = false;
            checks[j] = {
              measure: spec.measure,
              family: spec.family,
              kind: spec.kind,
              target: spec.target,
              actual,
              met: ok,
            };
          }
          if (met) {
            tierMet = true;
            if (best === null) best = p;
          }
          pathResults[i] = { index: p.index, name: p.name, met, checks };
        }
        results.push({ tier, rank, available: true, met: tierMet, paths: pathResults });
      }
      const won = best as CompiledPath | null;
      const rank = won?.rank ?? 0;
      return {
        partnerId: facts.partnerId,
        asOf,
        program: programRef,
        zone: zone < 0 ? null : (zoneCodes[zone] ?? null),
        tier: tierCodes[rank] as string,
        rank,
        qualifiedBy: won ? won.ref : null,
        measures: measuresOf(m, profile, facts),
        tiers: results,
      };
    },

    progress(facts, asOf, pending = null, opts = {}): ProgressReport {
      const zone = zoneIndexOf(facts.country);
      const m = fresh();
      const profile = measureInto(facts, zone, m);
      const current = qualifyMeasured(zone, m, facts);
      let pendingFacts: PartnerTierFacts | null = null;
      let pm: Measured | null = null;
      let pendingProfile: Profile | null = null;
      if (pending) {
        pendingFacts = withPending(facts, pending);
        pm = fresh();
        pendingProfile = measureInto(pendingFacts, zone, pm);
      }
      const { people, company } = facts.certifications;
      const targets: TierProgress[] = [];
      const last = opts.allHigher ? top : Math.min(top, current.rank + 1);
      for (let rank = current.rank + 1; rank <= last; rank++) {
        const tier = tierCodes[rank] as string;
        const paths = zone < 0 ? null : ((byZone[zone] as ZoneTier[])[rank] ?? null);
        if (!paths) {
          targets.push({ tier, rank, available: false, paths: [] });
          continue;
        }
        const pathProgress = paths.map((p): PathProgress => {
          const requirements = p.specs.map((spec): RequirementProgress => {
            const currentValue = actualOf(spec, m, facts);
            const base = {
              measure: spec.measure,
              family: spec.family,
              kind: spec.kind,
              target: spec.target,
              current: currentValue,
              gap: Math.max(0, spec.target - currentValue),
              met: currentValue >= spec.target,
            };
            if (!pm || !pendingFacts) return base;
            const after = actualOf(spec, pm, pendingFacts);
            return {
              ...base,
              withPending: {
                current: after,
                gap: Math.max(0, spec.target - after),
                met: after >= spec.target,
              },
            };
          });
          const met = pathMet(p, m, people, company);
          return pm
            ? {
                index: p.index,
                name: p.name,
                met,
                metWithPending: pathMet(p, pm, people, company),
                requirements,
              }
            : { index: p.index, name: p.name, met, requirements };
        });
        targets.push({ tier, rank, available: true, paths: pathProgress });
      }
      const report: ProgressReport = {
        partnerId: facts.partnerId,
        asOf,
        zone: zone < 0 ? null : (zoneCodes[zone] ?? null),
        currentTier: tierCodes[current.rank] as string,
        targets,
        measures: measuresOf(m, profile, facts),
      };
      if (pm && pendingFacts && pendingProfile) {
        const after = qualifyMeasured(zone, pm, pendingFacts);
        return {
          ...report,
          withPending: {
            tier: tierCodes[after.rank] as string,
            measures: measuresOf(pm, pendingProfile, pendingFacts),
          },
        };
      }
      return report;
    },
  };
}
