/**
 * Defensive readers for a program version's normalised `definition` (see src/core/programs/types.ts).
 * The API types it as unknown, so every reader checks shapes and returns null (or an "unknown" view)
 * where the data is not what it expects; the UI then shows the raw JSON instead.
 */
import { formatDay } from './format';
import { formatMoneyValue, formatPpmFactor, formatPpmPercent, isMoney } from './money';
import type { Translate } from './standing';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

const money = (m: unknown): string | null =>
  isMoney(m) ? formatMoneyValue(m, undefined, { dropZeroMinor: true }) : null;

/**
 * The words these readers put in their lines, in the person's language and locale: made once by
 * `programWords(t, locale)` (components/program-words.ts memoizes it for a page).
 */
export interface ProgramWords {
  /** An amount (`{ amountMinor, currency }`) without a zero fraction: "$3,000,000"; null if not money. */
  readonly money: (value: unknown) => string | null;
  readonly years: (count: number) => string;
  readonly months: (count: number) => string;
  readonly days: (count: number) => string;
  readonly number: (value: number) => string;
  /** Parts per million as a percent: 25,000 -> "2.5%". */
  readonly percent: (ppm: number) => string;
  /** Parts per million as a factor: 1,250,000 -> "×1.25". */
  readonly factor: (ppm: number) => string;
  readonly revenueAtLeast: (amount: string) => string;
  readonly servicesRevenueAtLeast: (amount: string) => string;
  readonly creditsAtLeast: (credits: string) => string;
  readonly companyCertifications: (count: number) => string;
  readonly certifiedPeople: (count: number) => string;
  readonly pointsOn: (points: string, families: string) => string;
  readonly growthAbove: (above: string, points: string) => string;
  readonly familiesList: (families: string) => string;
  readonly factorOn: (factor: string, families: string) => string;
  readonly factorOnAllOthers: (factor: string) => string;
  readonly cap: (amount: string) => string;
  readonly minimum: (amount: string) => string;
  readonly newIfNoPurchaseIn: (duration: string) => string;
  readonly delivery: (delivery: string) => string;
  readonly atLeastFamilies: (count: number) => string;
  readonly combinations: (combinations: readonly string[]) => string;
  readonly comparedWith: (what: string) => string;
  readonly base: (base: string) => string;
  readonly expiresAfter: (duration: string) => string;
  readonly effective: (from: string, to: string | null) => string;
  readonly componentNumber: (n: number) => string;
  readonly unreadable: string;
}

/** The readers' words from the catalogues (`programs.words.*`), numbers and days written for `locale`. */
export function programWords(t: Translate, locale: string): ProgramWords {
  const numbers = new Intl.NumberFormat(locale);
  return {
    money: (value) => (isMoney(value) ? formatMoneyValue(value, locale, { dropZeroMinor: true }) : null),
    years: (count) => t('programs.agreements.duration.years', { count }),
    months: (count) => t('programs.agreements.duration.months', { count }),
    days: (count) => t('programs.agreements.duration.days', { count }),
    number: (value) => numbers.format(value),
    percent: (ppm) => formatPpmPercent(ppm, locale),
    factor: (ppm) => formatPpmFactor(ppm, locale),
    revenueAtLeast: (amount) => t('programs.words.revenueAtLeast', { amount }),
    servicesRevenueAtLeast: (amount) => t('programs.words.servicesRevenueAtLeast', { amount }),
    creditsAtLeast: (credits) => t('programs.words.creditsAtLeast', { credits }),
    companyCertifications: (count) => t('programs.words.companyCertifications', { count }),
    certifiedPeople: (count) => t('programs.words.certifiedPeople', { count }),
    pointsOn: (points, families) => t('programs.words.pointsOn', { points, families }),
    growthAbove: (above, points) => t('programs.words.growthAbove', { above, points }),
    familiesList: (families) => t('programs.words.familiesList', { families }),
    factorOn: (factor, families) => t('programs.words.factorOn', { factor, families }),
    factorOnAllOthers: (factor) => t('programs.words.factorOnAllOthers', { factor }),
    cap: (amount) => t('programs.words.cap', { amount }),
    minimum: (amount) => t('programs.words.minimum', { amount }),
    newIfNoPurchaseIn: (duration) => t('programs.words.newIfNoPurchaseIn', { duration }),
    delivery: (delivery) => t('programs.words.delivery', { delivery }),
    atLeastFamilies: (count) => t('programs.words.atLeastFamilies', { count }),
    combinations: (combos) =>
      t('programs.words.combinations', {
        list: combos.map((x) => `[${x}]`).join(` ${t('programs.words.or')} `),
      }),
    comparedWith: (what) => t('programs.words.comparedWith', { what }),
    base: (base) => t('programs.words.base', { base }),
    expiresAfter: (duration) => t('programs.words.expiresAfter', { duration }),
    effective: (from, to) =>
      to === null
        ? t('programs.words.effectiveOpen', { from: formatDay(from, locale) })
        : t('programs.words.effective', { from: formatDay(from, locale), to: formatDay(to, locale) }),
    componentNumber: (n) => t('programs.words.componentNumber', { n }),
    unreadable: t('programs.words.unreadable'),
  };
}

export function formatDuration(value: unknown, words: ProgramWords): string | null {
  if (!isRecord(value)) return null;
  const months = int(value.months);
  const days = int(value.days);
  if (months === null || days === null) return null;
  const parts: string[] = [];
  if (months % 12 === 0 && months > 0) parts.push(words.years(months / 12));
  else if (months > 0) parts.push(words.months(months));
  if (days > 0) parts.push(words.days(days));
  return parts.length > 0 ? parts.join(' ') : words.days(0);
}

export function formatMonthDay(value: unknown): string | null {
  if (!isRecord(value)) return null;
  const month = int(value.month);
  const day = int(value.day);
  if (month === null || day === null) return null;
  return `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function conditionScalar(v: unknown): string {
  return money(v) ?? (typeof v === 'string' ? v : JSON.stringify(v));
}

/** "order.channel in [partner, distributor] and not (customer.newBusiness eq true)"; null if unreadable. */
export function formatCondition(node: unknown): string | null {
  if (!isRecord(node)) return null;
  if (typeof node.attribute === 'string' && typeof node.operator === 'string' && 'value' in node) {
    const value = Array.isArray(node.value)
      ? `[${node.value.map(conditionScalar).join(', ')}]`
      : conditionScalar(node.value);
    return `${node.attribute} ${node.operator} ${value}`;
  }
  if ('not' in node) {
    const inner = formatCondition(node.not);
    return inner === null ? null : `not (${inner})`;
  }
  const group = Array.isArray(node.all) ? node.all : Array.isArray(node.any) ? node.any : null;
  if (group === null) return null;
  const parts = group.map((p) => {
    const s = formatCondition(p);
    if (s === null) return null;
    return isRecord(p) && typeof p.attribute === 'string' ? s : `(${s})`;
  });
  if (parts.some((p) => p === null)) return null;
  return parts.join(Array.isArray(node.all) ? ' and ' : ' or ');
}

function countRequirements(value: unknown, phrase: (count: number) => string): string[] | null {
  if (!Array.isArray(value)) return null;
  const out: string[] = [];
  for (const r of value) {
    if (!isRecord(r)) return null;
    const count = int(r.count);
    if (count === null) return null;
    const qualifiers = [text(r.family), text(r.kind)].filter((q): q is string => q !== null);
    out.push(`${phrase(count)}${qualifiers.length ? ` (${qualifiers.join(', ')})` : ''}`);
  }
  return out;
}

export interface PathView {
  readonly name: string | null;
  /** One line per measure: "Revenue ≥ $3,000,000". */
  readonly requirements: readonly string[];
}

/** The measures of one qualification path; null if the path is not in the expected shape. */
export function describePath(path: unknown, words: ProgramWords): PathView | null {
  if (!isRecord(path)) return null;
  const requirements: string[] = [];
  const revenue = words.money(path.revenue);
  if (revenue) requirements.push(words.revenueAtLeast(revenue));
  const services = words.money(path.servicesRevenue);
  if (services) requirements.push(words.servicesRevenueAtLeast(services));
  const credits = int(path.credits);
  if (credits !== null) requirements.push(words.creditsAtLeast(words.number(credits)));
  const company = countRequirements(path.companyCertifications ?? [], words.companyCertifications);
  const people = countRequirements(path.certifiedPeople ?? [], words.certifiedPeople);
  if (company === null || people === null) return null;
  requirements.push(...company, ...people);
  return { name: text(path.name), requirements };
}

export interface ZoneView {
  readonly code: string;
  readonly name: string;
  readonly countries: readonly string[];
  readonly regions: readonly string[];
}

export function readZones(definition: unknown): ZoneView[] | null {
  if (!isRecord(definition) || !Array.isArray(definition.zones)) return null;
  const zones: ZoneView[] = [];
  for (const z of definition.zones) {
    if (!isRecord(z) || typeof z.code !== 'string') return null;
    zones.push({
      code: z.code,
      name: text(z.name) ?? z.code,
      countries: arrayOf(z.countries).filter((c): c is string => typeof c === 'string'),
      regions: arrayOf(z.regions).filter((c): c is string => typeof c === 'string'),
    });
  }
  return zones;
}

/** For one tier and zone: `floor` (no requirements), `none` (not reachable there) or the paths (any one qualifies). */
export type QualificationCell =
  | { readonly kind: 'floor' }
  | { readonly kind: 'none' }
  | { readonly kind: 'paths'; readonly paths: readonly PathView[] };

export interface QualificationMatrix {
  readonly zones: readonly { readonly code: string; readonly name: string }[];
  readonly rows: readonly {
    readonly code: string;
    readonly name: string;
    readonly cells: readonly QualificationCell[];
  }[];
}

/** Tiers (rows, in rank order) by zones (columns); null if the definition is not in the expected shape. */
export function qualificationMatrix(definition: unknown, words: ProgramWords): QualificationMatrix | null {
  if (!isRecord(definition) || !Array.isArray(definition.tiers)) return null;
  const zones = (readZones(definition) ?? []).map((z) => ({ code: z.code, name: z.name }));
  // Zones a requirement names but the zone list does not: still shown, as their codes.
  for (const tier of definition.tiers) {
    for (const req of isRecord(tier) ? arrayOf(tier.requirements) : []) {
      for (const code of isRecord(req) ? arrayOf(req.zones) : []) {
        if (typeof code === 'string' && !zones.some((z) => z.code === code)) zones.push({ code, name: code });
      }
    }
  }
  const rows: QualificationMatrix['rows'][number][] = [];
  for (const tier of definition.tiers) {
    if (!isRecord(tier) || typeof tier.code !== 'string') return null;
    const requirements = arrayOf(tier.requirements);
    const cells: QualificationCell[] = [];
    for (const zone of zones) {
      if (requirements.length === 0) {
        cells.push({ kind: 'floor' });
        continue;
      }
      const paths: PathView[] = [];
      for (const req of requirements) {
        if (!isRecord(req) || !Array.isArray(req.zones) || !Array.isArray(req.paths)) return null;
        if (!req.zones.includes(zone.code)) continue;
        for (const p of req.paths) {
          const view = describePath(p, words);
          if (view === null) return null;
          paths.push(view);
        }
      }
      cells.push(paths.length > 0 ? { kind: 'paths', paths } : { kind: 'none' });
    }
    rows.push({ code: tier.code, name: text(tier.name) ?? tier.code, cells });
  }
  return { zones, rows };
}

/** How a component pays: a tier-by-family table of rates, or lines of text. */
export type RatesView =
  | {
      readonly kind: 'matrix';
      readonly rows: readonly string[];
      readonly columns: readonly string[];
      /** rows x columns; null where the table has no rate. */
      readonly values: readonly (readonly (string | null)[])[];
    }
  | { readonly kind: 'lines'; readonly lines: readonly string[] }
  | { readonly kind: 'unknown' };

function families(value: unknown): string | null {
  const list = arrayOf(value).filter((f): f is string => typeof f === 'string');
  return list.length > 0 ? list.join(', ') : null;
}

export function componentRates(
  component: unknown,
  words: ProgramWords,
  tierOrder: readonly string[] = [],
): RatesView {
  if (!isRecord(component)) return { kind: 'unknown' };
  if (isRecord(component.rates)) {
    const rates = component.rates;
    const rows = Object.keys(rates).sort((a, b) => {
      const ia = tierOrder.indexOf(a);
      const ib = tierOrder.indexOf(b);
      if (ia < 0 || ib < 0) return (ia < 0 ? 1 : 0) - (ib < 0 ? 1 : 0);
      return ia - ib;
    });
    const columns: string[] = [];
    for (const r of rows) {
      const byFamily = rates[r];
      if (!isRecord(byFamily)) return { kind: 'unknown' };
      for (const f of Object.keys(byFamily)) if (!columns.includes(f)) columns.push(f);
    }
    const values = rows.map((r) =>
      columns.map((c) => {
        const ppm = int((rates[r] as Json)[c]);
        return ppm === null ? null : words.percent(ppm);
      }),
    );
    return { kind: 'matrix', rows, columns, values };
  }
  const lines: string[] = [];
  const fams = families(component.families);
  const points = int(component.points);
  if (points !== null) lines.push(fams ? words.pointsOn(words.percent(points), fams) : words.percent(points));
  if (Array.isArray(component.thresholds)) {
    for (const t of component.thresholds) {
      const above = isRecord(t) ? int(t.above) : null;
      const pts = isRecord(t) ? int(t.points) : null;
      if (above === null || pts === null) return { kind: 'unknown' };
      lines.push(words.growthAbove(words.percent(above), words.percent(pts)));
    }
    if (points === null && fams) lines.push(words.familiesList(fams));
  }
  const factor = int(component.factor);
  if (factor !== null) {
    const applies = Array.isArray(component.appliesTo) ? families(component.appliesTo) : null;
    lines.push(
      applies ? words.factorOn(words.factor(factor), applies) : words.factorOnAllOthers(words.factor(factor)),
    );
  }
  return lines.length > 0 ? { kind: 'lines', lines } : { kind: 'unknown' };
}

export interface ComponentView {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly priority: number | null;
  readonly settlement: string | null;
  readonly exclusiveGroup: string | null;
  readonly budgetPool: string | null;
  readonly condition: string | null;
  /** Other terms worth a line: caps, minimum, look-back, delivery, expiry, comparison. */
  readonly terms: readonly string[];
  readonly rates: RatesView;
  readonly raw: unknown;
}

/** Incentive components sorted by priority (stacking order); null if `components` is not a list. */
export function readComponents(definition: unknown, words: ProgramWords): ComponentView[] | null {
  if (!isRecord(definition) || !Array.isArray(definition.components)) return null;
  const tierOrder = arrayOf(definition.tiers).flatMap((t) =>
    isRecord(t) && typeof t.code === 'string' ? [t.code] : [],
  );
  const views = definition.components.map((c, i): ComponentView => {
    const r = isRecord(c) ? c : {};
    const terms: string[] = [];
    const cap = isRecord(r.caps) ? words.money(r.caps.perPartnerPerPeriod) : null;
    if (cap) terms.push(words.cap(cap));
    const minimum = words.money(r.minimum);
    if (minimum) terms.push(words.minimum(minimum));
    const lookBack = formatDuration(r.lookBack, words);
    if (lookBack) terms.push(words.newIfNoPurchaseIn(lookBack));
    if (typeof r.delivery === 'string') terms.push(words.delivery(r.delivery));
    const minFamilies = int(r.minFamilies);
    if (minFamilies !== null) terms.push(words.atLeastFamilies(minFamilies));
    const combos = arrayOf(r.combinations)
      .map((x) => families(x))
      .filter((x): x is string => x !== null);
    if (combos.length > 0) terms.push(words.combinations(combos));
    if (typeof r.comparedWith === 'string') terms.push(words.comparedWith(r.comparedWith));
    if (typeof r.base === 'string') terms.push(words.base(r.base));
    const expires = formatDuration(r.expiresAfter, words);
    if (expires) terms.push(words.expiresAfter(expires));
    if (isRecord(r.effective) && typeof r.effective.from === 'string') {
      terms.push(words.effective(r.effective.from, text(r.effective.to)));
    }
    return {
      code: text(r.code) ?? `#${i + 1}`,
      name: text(r.name) ?? text(r.code) ?? words.componentNumber(i + 1),
      kind: text(r.kind) ?? 'unknown',
      priority: int(r.priority),
      settlement: text(r.settlement),
      exclusiveGroup: text(r.exclusiveGroup),
      budgetPool: text(r.budgetPool),
      condition:
        r.condition === null || r.condition === undefined
          ? null
          : (formatCondition(r.condition) ?? words.unreadable),
      terms,
      rates: componentRates(c, words, tierOrder),
      raw: c,
    };
  });
  return views
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (a.v.priority ?? Infinity) - (b.v.priority ?? Infinity) || a.i - b.i)
    .map(({ v }) => v);
}

/** Definition keys the program page renders with dedicated views; others fall back to JSON. */
export const RENDERED_KEYS = [
  'apiVersion',
  'kind',
  'vendor',
  'code',
  'name',
  'version',
  'effective',
  'currency',
  'additionalCurrencies',
  'fiscalYearStart',
  'periods',
  'supersedes',
  'zones',
  'defaultZone',
  'tiers',
  'qualification',
  'statuses',
  'qualifyingMultipliers',
  'components',
  'budgetPools',
  'statusMatch',
  'dealRegistration',
  'coverage',
  'payouts',
  'marketingFunds',
] as const;
