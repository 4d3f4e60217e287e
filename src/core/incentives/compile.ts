import {
  factor,
  list,
  message,
  money,
  optional,
  percent,
  renderEnglish,
  type Message,
  type MessageValue,
} from '../messages/message.js';
import type { Ppm } from '../money/rate.js';
import { multiplyFactors, PPM_ONE } from '../money/rate.js';
import type { ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import type { CompiledCondition, ConditionAttribute, ConditionFacts } from '../programs/conditions.js';
import { compileCondition, conditionLeaves } from '../programs/conditions.js';
import type { IncentiveComponent, ProgramDefinition, ServiceDelivery } from '../programs/types.js';
import { TrellisError } from '../shared/errors.js';
import type { CompiledComponentInfo, IncentiveVersionInfo, LineContext, LineFacts } from './types.js';

/**
 * Compilation of a program's incentive components, once per program version: components sorted by
 * priority, conditions compiled, base-rebate rates flattened to a (tier x family) Int32Array, families
 * turned into bit masks, payout multipliers resolved to the components they multiply, effective dates
 * turned into day numbers. Everything below reads numbers and arrays only.
 */

export const FAMILY_COUNT = PRODUCT_FAMILIES.length;
const FAMILY_INDEX = new Map<string, number>(PRODUCT_FAMILIES.map((f, i) => [f, i]));
const DAY_MS = 86_400_000;
/** Condition attributes that vary per line beyond the batch columns: they force the slow path. */
const DYNAMIC_ATTRIBUTES: ReadonlySet<string> = new Set(['line.amount', 'line.quantity', 'order.total']);

/** Days since 1970-01-01 of an ISO date (UTC). */
const dayNumbers = new Map<string, number>();

/** Days since 1970-01-01 of an ISO date (memoised: a period's lines share few distinct days). */
export function dayNumber(date: string): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
    n = Date.UTC(y, m - 1, d) / DAY_MS;
    // Bounded: dates are days, a few thousand at most in practice; never grows without limit.
    if (dayNumbers.size > 100_000) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}

export function familyIndex(family: ProductFamily): number {
  return FAMILY_INDEX.get(family) ?? -1;
}

function familyMask(families: readonly ProductFamily[]): number {
  if (families.length === 0) return (1 << FAMILY_COUNT) - 1;
  let mask = 0;
  for (const f of families) mask |= 1 << familyIndex(f);
  return mask;
}

export type LineRateKind =
  'base-rebate' | 'new-business' | 'services-attach' | 'mdf-accrual' | 'deal-registration';

export interface CompiledComponent {
  readonly info: CompiledComponentInfo;
  readonly source: IncentiveComponent;
  readonly condition: CompiledCondition;
  readonly hasCondition: boolean;
  /** The condition reads line.amount, line.quantity or order.total. */
  readonly dynamic: boolean;
  readonly fromDay: number;
  /** Inclusive; Infinity = open-ended. */
  readonly toDay: number;
  /** Line-based kinds: base-rebate, new-business, services-attach, mdf-accrual, deal-registration. */
  readonly lineKind: LineRateKind | null;
  /** base-rebate: rates[tier * FAMILY_COUNT + family], 0 = no rate. */
  readonly rates: Int32Array | null;
  readonly points: Ppm;
  readonly families: number;
  readonly delivery: ServiceDelivery | null;
  /** Indexes (into `multipliers`) of the payout multipliers that apply to this component. */
  readonly multiplierIdx: readonly number[];
  readonly capMinor: number | null;
  readonly minimumMinor: number | null;
  /** Index of the exclusive group among the groups of the program, -1 = none. */
  readonly group: number;
}

export interface CompiledMultiplier {
  readonly code: string;
  readonly factor: Ppm;
  readonly condition: CompiledCondition;
  readonly dynamic: boolean;
  readonly fromDay: number;
  readonly toDay: number;
}

export interface CompiledProgram {
  readonly program: ProgramDefinition;
  readonly currency: string;
  readonly ruleVersion: string;
  readonly tiers: readonly string[];
  readonly tierIndex: ReadonlyMap<string, number>;
  /** Every component but payout multipliers, in stacking order; `info.index` is the position here. */
  readonly components: readonly CompiledComponent[];
  readonly byCode: ReadonlyMap<string, CompiledComponent>;
  readonly multipliers: readonly CompiledMultiplier[];
  /** Line-based components (either settlement), in stacking order. */
  readonly lineBased: readonly CompiledComponent[];
  readonly groupCount: number;
  /** Some accrual condition or multiplier condition reads per-line attributes beyond the columns. */
  readonly dynamic: boolean;
  /**
   * The line-context facts any condition of the program reads (plus deliversServices, which services
   * rates read, and registeredDeal when a deal-registration component reads it): contexts that differ only in other facts accrue the same, so batches key on these only.
   */
  readonly contextKeys: readonly (keyof LineContext)[];
}

/** The line-context fact each condition attribute reads (the others are batch columns or per line). */
const CONTEXT_KEY_OF: Partial<Record<ConditionAttribute, keyof LineContext>> = {
  'line.licensing': 'licensing',
  'line.solution': 'solution',
  'order.channel': 'channel',
  'order.region': 'orderRegion',
  'order.segment': 'orderSegment',
  'order.country': 'orderCountry',
  'order.registeredDeal': 'registeredDeal',
  'customer.country': 'customerCountry',
  'customer.segment': 'customerSegment',
  'partner.kind': 'partnerKind',
  'partner.status': 'partnerStatus',
  'partner.zone': 'partnerZone',
  'partner.country': 'partnerCountry',
  'partner.region': 'partnerRegion',
  'partner.deliversServices': 'deliversServices',
  'partner.growth': 'partnerGrowth',
};

function isDynamic(component: IncentiveComponent): boolean {
  if (component.condition === null) return false;
  return conditionLeaves(component.condition).some((l) => DYNAMIC_ATTRIBUTES.has(l.leaf.attribute));
}

function invalid(program: ProgramDefinition, message: string): TrellisError {
  return new TrellisError('invalid_input', `program ${program.code} ${program.version}: ${message}`);
}

/** Compiles the incentive part of a program version. Throws `invalid_input` on a program it cannot run. */
export function compileProgram(
  program: ProgramDefinition,
  versionInfo: IncentiveVersionInfo,
): CompiledProgram {
  const tiers = program.tiers.map((t) => t.code);
  const tierIndex = new Map(tiers.map((t, i) => [t, i]));
  if (tiers.length > 255) throw invalid(program, 'more than 255 tiers');
  const ctx = { tiers };
  const ruleVersion = `${program.code}@${program.version}${versionInfo.version === null ? '' : `#${versionInfo.version}`}`;
  const sorted = program.components
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.priority - b.c.priority || a.i - b.i)
    .map((x) => x.c);

  const multiplierSources = sorted.filter((c) => c.kind === 'payout-multiplier');
  const multipliers: CompiledMultiplier[] = multiplierSources.map((m) => ({
    code: m.code,
    factor: m.kind === 'payout-multiplier' ? m.factor : PPM_ONE,
    condition: compileCondition(m.condition, ctx),
    dynamic: isDynamic(m),
    fromDay: dayNumber(m.effective.from),
    toDay: m.effective.to === null ? Infinity : dayNumber(m.effective.to),
  }));

  const groups = new Map<string, Set<string>>();
  const components: CompiledComponent[] = [];
  for (const source of sorted) {
    if (source.kind === 'payout-multiplier') continue;
    const index = components.length;
    const lineKind: LineRateKind | null =
      source.kind === 'cross-sell' || source.kind === 'growth-accelerator' ? null : source.kind;
    const settlement = lineKind === null ? 'close' : source.settlement;
    let rates: Int32Array | null = null;
    let points = 0;
    let families = familyMask([]);
    let delivery: ServiceDelivery | null = null;
    switch (source.kind) {
      case 'base-rebate':
        rates = new Int32Array(tiers.length * FAMILY_COUNT);
        for (const [tier, byFamily] of Object.entries(source.rates)) {
          const t = tierIndex.get(tier);
          if (t === undefined) throw invalid(program, `${source.code}: unknown tier "${tier}"`);
          for (const [family, rate] of Object.entries(byFamily)) {
            const f = FAMILY_INDEX.get(family);
            if (f !== undefined && rate !== undefined) rates[t * FAMILY_COUNT + f] = rate;
          }
        }
        break;
      case 'new-business':
      case 'mdf-accrual':
      case 'deal-registration':
      case 'cross-sell':
        points = source.points;
        families = familyMask(source.families);
        break;
      case 'services-attach':
        points = source.points;
        families = familyMask(source.families);
        delivery = source.delivery;
        break;
      case 'growth-accelerator':
        families = familyMask(source.families);
        break;
    }
    let group = -1;
    if (source.exclusiveGroup !== null) {
      const members = groups.get(source.exclusiveGroup) ?? new Set<string>();
      members.add(settlement);
      groups.set(source.exclusiveGroup, members);
      if (members.size > 1) {
        throw invalid(
          program,
          `exclusive group "${source.exclusiveGroup}" mixes accrual and close components; the best of a group is chosen per line among accrual components and per partner and period among close ones`,
        );
      }
      if (lineKind === null) {
        throw invalid(program, `${source.code}: ${source.kind} components cannot be in an exclusive group`);
      }
      group = [...groups.keys()].indexOf(source.exclusiveGroup);
    }
    const minimum = source.minimum;
    const cap = source.caps.perPartnerPerPeriod;
    for (const m of [minimum, cap]) {
      if (m !== null && m.currency !== program.currency) {
        throw invalid(program, `${source.code}: caps and minimums must be in ${program.currency}`);
      }
    }
    components.push({
      info: {
        index,
        code: source.code,
        name: source.name,
        kind: source.kind,
        priority: source.priority,
        settlement,
        exclusiveGroup: source.exclusiveGroup,
        budgetPool: source.budgetPool,
      },
      source,
      condition: compileCondition(source.condition, ctx),
      hasCondition: source.condition !== null,
      dynamic: isDynamic(source),
      fromDay: dayNumber(source.effective.from),
      toDay: source.effective.to === null ? Infinity : dayNumber(source.effective.to),
      lineKind,
      rates,
      points,
      families,
      delivery,
      multiplierIdx: multiplierSources
        .map((m, i) => ({ m, i }))
        .filter(
          ({ m }) => m.kind === 'payout-multiplier' && (m.appliesTo ?? [source.code]).includes(source.code),
        )
        .map(({ i }) => i),
      capMinor: cap === null ? null : cap.amountMinor,
      minimumMinor: minimum === null ? null : minimum.amountMinor,
      group,
    });
  }
  const lineBased = components.filter((c) => c.lineKind !== null);
  const dynamic =
    lineBased.some((c) => c.dynamic && c.info.settlement === 'accrual') || multipliers.some((m) => m.dynamic);
  return {
    program,
    currency: program.currency,
    ruleVersion,
    tiers,
    tierIndex,
    components,
    byCode: new Map(components.map((c) => [c.info.code, c])),
    multipliers,
    lineBased,
    groupCount: groups.size,
    dynamic,
    contextKeys: contextKeysOf(program),
  };
}

function contextKeysOf(program: ProgramDefinition): (keyof LineContext)[] {
  const keys = new Set<keyof LineContext>(['deliversServices']);
  // Deal-registration rates read the line's registeredDeal fact, whatever their conditions read.
  if (program.components.some((c) => c.kind === 'deal-registration')) keys.add('registeredDeal');
  for (const c of program.components) {
    if (c.condition === null) continue;
    for (const l of conditionLeaves(c.condition)) {
      const key = CONTEXT_KEY_OF[l.leaf.attribute];
      if (key) keys.add(key);
    }
  }
  return [...keys];
}

/** The facts a condition reads, grouped as the attribute names read. */
export function conditionFacts(
  currency: string,
  facts: LineFacts,
  line: {
    readonly family?: ProductFamily | null;
    readonly amountMinor?: number | null;
    readonly quantity?: number | null;
    readonly orderTotalMinor?: number | null;
  },
): ConditionFacts {
  return {
    line: {
      family: line.family ?? null,
      amount: line.amountMinor == null ? null : { amountMinor: line.amountMinor, currency },
      quantity: line.quantity ?? null,
      licensing: facts.licensing ?? null,
      solution: facts.solution ?? null,
    },
    order: {
      channel: facts.channel ?? null,
      region: facts.orderRegion ?? null,
      segment: facts.orderSegment ?? null,
      country: facts.orderCountry ?? null,
      total: line.orderTotalMinor == null ? null : { amountMinor: line.orderTotalMinor, currency },
      registeredDeal: facts.registeredDeal ?? null,
    },
    customer: {
      newBusiness: facts.newBusiness,
      country: facts.customerCountry ?? null,
      segment: facts.customerSegment ?? null,
    },
    partner: {
      kind: facts.partnerKind ?? null,
      exclusive: facts.exclusive,
      tier: facts.tier,
      status: facts.partnerStatus ?? null,
      zone: facts.partnerZone ?? null,
      country: facts.partnerCountry ?? null,
      region: facts.partnerRegion ?? null,
      deliversServices: facts.deliversServices ?? null,
      growth: facts.partnerGrowth ?? null,
    },
  };
}

/** The rate of a line-based component for a line, before conditions and multipliers; 0 = does not apply. */
export function lineRate(
  c: CompiledComponent,
  tier: number,
  family: number,
  newBusiness: boolean,
  deliversServices: boolean,
  registeredDeal: boolean,
): Ppm {
  switch (c.lineKind) {
    case 'base-rebate':
      return c.rates === null ? 0 : (c.rates[tier * FAMILY_COUNT + family] ?? 0);
    case 'new-business':
      return newBusiness && (c.families & (1 << family)) !== 0 ? c.points : 0;
    case 'services-attach':
      if ((c.families & (1 << family)) === 0) return 0;
      return c.delivery === 'deliver' && !deliversServices ? 0 : c.points;
    case 'mdf-accrual':
      return (c.families & (1 << family)) !== 0 ? c.points : 0;
    case 'deal-registration':
      return registeredDeal && (c.families & (1 << family)) !== 0 ? c.points : 0;
    default:
      return 0;
  }
}

export interface AppliedMultiplier {
  readonly multiplier: Ppm;
  readonly codes: readonly string[];
}

const NO_MULTIPLIER: AppliedMultiplier = { multiplier: PPM_ONE, codes: [] };

/** The payout multipliers of `c` in force on `day` whose conditions hold, combined in priority order. */
export function multiplierFor(
  p: CompiledProgram,
  c: CompiledComponent,
  day: number,
  facts: ConditionFacts,
): AppliedMultiplier {
  if (c.multiplierIdx.length === 0) return NO_MULTIPLIER;
  let multiplier = PPM_ONE;
  const codes: string[] = [];
  for (const i of c.multiplierIdx) {
    const m = p.multipliers[i];
    if (m === undefined || day < m.fromDay || day > m.toDay || !m.condition(facts)) continue;
    multiplier = multiplyFactors(multiplier, m.factor);
    codes.push(m.code);
  }
  return codes.length === 0 ? NO_MULTIPLIER : { multiplier, codes };
}

export interface AppliedComponent {
  readonly component: CompiledComponent;
  readonly rate: Ppm;
  readonly multiplier: AppliedMultiplier;
  readonly effectiveRate: Ppm;
  /** Codes of the components of the same exclusive group this one beat. */
  readonly beat: readonly string[];
}

/**
 * The line-based components (both settlements) that apply to one line, in stacking order, exclusive
 * groups resolved: of a group only the highest effective rate stays (ties: the first in stacking order).
 * The choice depends on rates only, never on the amount, so a return picks the same rules as its sale.
 */
export function evaluateLine(
  p: CompiledProgram,
  day: number,
  family: number,
  tier: number,
  facts: LineFacts,
  cf: ConditionFacts,
): AppliedComponent[] {
  const applied: AppliedComponent[] = [];
  const delivers = facts.deliversServices === true;
  const registered = facts.registeredDeal === true;
  for (const c of p.lineBased) {
    if (day < c.fromDay || day > c.toDay) continue;
    const rate = lineRate(c, tier, family, facts.newBusiness, delivers, registered);
    if (rate === 0 || !c.condition(cf)) continue;
    const multiplier = multiplierFor(p, c, day, cf);
    applied.push({
      component: c,
      rate,
      multiplier,
      effectiveRate: multiplyFactors(rate, multiplier.multiplier),
      beat: [],
    });
  }
  if (p.groupCount === 0) return applied;
  const best = new Map<number, AppliedComponent>();
  const losers = new Map<number, string[]>();
  for (const a of applied) {
    const g = a.component.group;
    if (g < 0) continue;
    const current = best.get(g);
    if (current === undefined) best.set(g, a);
    else {
      const list = losers.get(g) ?? [];
      if (a.effectiveRate > current.effectiveRate) {
        list.push(current.component.info.code);
        best.set(g, a);
      } else list.push(a.component.info.code);
      losers.set(g, list);
    }
  }
  return applied
    .filter((a) => a.component.group < 0 || best.get(a.component.group) === a)
    .map((a) => (a.component.group < 0 ? a : { ...a, beat: losers.get(a.component.group) ?? [] }));
}

/** "4% of USD 100.00 (titanium, storage) x1.25 (exclusivity-multiplier)" */
export function rateMessage(
  currency: string,
  baseMinor: number,
  rate: Ppm,
  multiplier: AppliedMultiplier,
  detail: MessageValue,
): Message {
  return message('close.rate', {
    rate: percent(rate),
    base: money(baseMinor, currency),
    detail: optional(detail === '' ? null : message('ledger.detail', { detail })),
    multiplier: optional(
      multiplier.codes.length === 0
        ? null
        : message('ledger.multiplier', {
            factor: factor(multiplier.multiplier),
            codes: list(multiplier.codes),
          }),
    ),
  });
}

/** `rateMessage` in English, with a detail that is plain text (a tier, a family). */
export function describeRate(
  currency: string,
  baseMinor: number,
  rate: Ppm,
  multiplier: AppliedMultiplier,
  detail: string,
): string {
  return renderEnglish(rateMessage(currency, baseMinor, rate, multiplier, detail));
}
