import {
  message,
  money,
  percent,
  renderEnglish,
  type Message,
  type MessageValue,
} from '../messages/message.js';
import type { Ppm } from '../money/rate.js';
import { applyRate, divRoundHalfEven, multiplyFactors, PPM_ONE } from '../money/rate.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import type { ConditionFacts } from '../programs/conditions.js';
import type { ProductFamily } from '../model/catalog.js';
import type { CrossSellComponent, GrowthAcceleratorComponent } from '../programs/types.js';
import { applyToLine, limitedAmount } from './accrual.js';
import type { AppliedComponent, AppliedMultiplier, CompiledComponent, CompiledProgram } from './compile.js';
import {
  conditionFacts,
  dayNumber,
  rateMessage,
  FAMILY_COUNT,
  familyIndex,
  multiplierFor,
} from './compile.js';
import { linesOfColumns, type PeriodColumns, type ReplacedLine } from './period-columns.js';
import type {
  CloseProposal,
  CloseProposalType,
  Explanation,
  IncentiveLine,
  LineContext,
  LineFacts,
  PartnerPeriodFacts,
  PeriodInput,
} from './types.js';

/**
 * Period close: the "settlement: close" components per partner and period, then minimums and caps.
 * Close amounts are rounded once per proposal: per partner, period, component and (tier, rate,
 * multiplier) group for line-based components settled at close, per partner, period and component for
 * cross-sell and growth.
 */

interface Draft {
  c: CompiledComponent;
  type: CloseProposalType;
  base: number;
  rate: Ppm;
  tier: string;
  multiplier: AppliedMultiplier;
  effectiveRate: Ppm;
  amount: number;
  message: Message;
  condition: CloseProposal['explanation']['condition'];
  capped: CloseProposal['capped'];
}

const NONE: AppliedMultiplier = { multiplier: PPM_ONE, codes: [] };

/** Lines of the period grouped by partner, partners sorted by id. */
export function partnersOfPeriod(input: PeriodInput): Map<string, IncentiveLine[]> {
  const from = dayNumber(input.period.from);
  const to = dayNumber(input.period.to);
  const byPartner = new Map<string, IncentiveLine[]>();
  for (const p of input.partners ?? []) byPartner.set(p.partnerId, []);
  for (const line of input.lines) {
    const day = dayNumber(line.orderDate);
    if (day < from || day > to) continue;
    const list = byPartner.get(line.partnerId) ?? [];
    list.push(line);
    byPartner.set(line.partnerId, list);
  }
  return new Map([...byPartner.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function lastFacts(lines: readonly IncentiveLine[]): LineFacts | null {
  let best: IncentiveLine | null = null;
  for (const l of lines) if (best === null || l.orderDate >= best.orderDate) best = l;
  return best === null ? null : best.facts;
}

export function settlePeriod(p: CompiledProgram, input: PeriodInput): CloseProposal[] {
  const facts = new Map((input.partners ?? []).map((f) => [f.partnerId, f]));
  const out: CloseProposal[] = [];
  const shared = sharedEvaluations(p);
  for (const [partnerId, lines] of partnersOfPeriod(input)) {
    out.push(
      ...settlePartner(
        p,
        input,
        partnerId,
        partnerLines(p, lines, shared),
        facts.get(partnerId) ?? null,
        shared,
      ),
    );
  }
  return out;
}

/**
 * A partner's lines as the settlement reads them, in columns: line i's amount, family (index into
 * PRODUCT_FAMILIES) and what applies to it (`evals[kind[i]]`); its customer (numbered: lines of one
 * customer share a number) and day (`dayNumber`) when a close-only component asks (`customer()`,
 * `day()`, each worked out once). `lines`: the lines as objects, when the accruals are summed here
 * (within each return's clawback limits); null when every accrual is given.
 */
interface PartnerLines {
  readonly length: number;
  readonly amount: ArrayLike<number>;
  readonly family: ArrayLike<number>;
  readonly kind: ArrayLike<number>;
  readonly evals: readonly (LineEval | undefined)[];
  customer(): ArrayLike<number>;
  day(): ArrayLike<number>;
  readonly lines: readonly IncentiveLine[] | null;
  /** The facts of the partner's last line (by date), null without lines. */
  readonly lastFacts: LineFacts | null;
}

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

/** The columns of a partner's lines (objects): what applies to each worked out here (`evaluateLines`). */
function partnerLines(
  p: CompiledProgram,
  lines: readonly IncentiveLine[],
  shared: SharedEvaluations | null,
): PartnerLines {
  const n = lines.length;
  const amount = new Float64Array(n);
  const family = new Uint8Array(n);
  const kind = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const line = lines[i] as IncentiveLine;
    amount[i] = line.amountMinor;
    family[i] = familyIndex(line.family);
    kind[i] = i;
  }
  return {
    length: n,
    amount,
    family,
    kind,
    evals: evaluateLines(p, lines, shared),
    customer: once(() => {
      const numbers = new Map<string, number>();
      return Uint32Array.from(lines, (l) => {
        let at = numbers.get(l.customerId);
        if (at === undefined) numbers.set(l.customerId, (at = numbers.size));
        return at;
      });
    }),
    day: once(() => Int32Array.from(lines, (l) => dayNumber(l.orderDate))),
    lines,
    lastFacts: lastFacts(lines),
  };
}

/**
 * `settlePeriod` of a period's columns (a simulation's plan), with `accrued[row * width + c]` what each
 * partner's lines accrue per component (`accrueColumns`; returns within their clawback limits). When no
 * condition reads a line's amount, quantity or order total and every partner of the lines has its facts,
 * what the close reads of lines is linear in their amounts, per (partner, customer, family, date segment
 * and the facts conditions and rates read): the per-line roundings are those of the accruals, given as each
 * partner's `accruedMinor`; so lines equal in these are settled as one line of their summed amount (the
 * same proposals, with no English text: `explanation.text` is ''). Otherwise the lines are settled one by
 * one.
 */
export function settleColumns(
  p: CompiledProgram,
  input: {
    readonly period: PeriodInput['period'];
    readonly columns: PeriodColumns;
    readonly replaced: readonly ReplacedLine[];
    readonly partners: readonly PartnerPeriodFacts[];
    readonly accrued: Float64Array;
  },
): CloseProposal[] {
  const { columns: c, period } = input;
  const shared = sharedEvaluations(p);
  const given = new Map(input.partners.map((f) => [f.partnerId, f]));
  if (shared === null || c.partnerIds.some((id) => !given.get(id)?.facts))
    return settlePeriod(p, { period, lines: linesOfColumns(c, input.replaced), partners: input.partners });
  const width = p.components.length;
  const rowOf = new Map(c.partnerIds.map((id, row) => [id, row]));
  const partners = input.partners.map((f): PartnerPeriodFacts => {
    const row = rowOf.get(f.partnerId);
    if (row === undefined) return f;
    const accruedMinor: Record<string, number> = {};
    for (const comp of p.components)
      if (comp.info.settlement === 'accrual')
        accruedMinor[comp.info.code] = input.accrued[row * width + comp.info.index] as number;
    return { ...f, accruedMinor };
  });
  const summed = summedLines(c, period, shared.cuts, p.contextKeys);
  const periodOnly: PeriodInput = { period, lines: [] };
  const factsOf = new Map(partners.map((f) => [f.partnerId, f]));
  // What applies to a line, once per kind (facts class, family and segment), evaluated on the last line of
  // the kind's first sum.
  const evals: (LineEval | undefined)[] = [];
  for (let g = 0; g < summed.kind.length; g++) {
    const kind = summed.kind[g] as number;
    if (evals[kind] !== undefined) continue;
    const i = summed.last[g] as number;
    evals[kind] = applyToLine(p, {
      lineId: '',
      partnerId: c.partnerIds[c.partner[i] as number] as string,
      customerId: c.customerIds[c.customer[i] as number] as string,
      orderDate: c.dates[c.date[i] as number] as string,
      family: PRODUCT_FAMILIES[c.family[i] as number] as ProductFamily,
      amountMinor: summed.amount[g] as number,
      facts: c.facts[c.fact[i] as number] as LineFacts,
    });
  }
  const settled = new Map<string, CloseProposal[]>();
  const ids = new Set(partners.map((f) => f.partnerId));
  c.partnerIds.forEach((partnerId, row) => {
    const start = summed.offsets[row] as number;
    const end = summed.offsets[row + 1] as number;
    if (start === end) return;
    ids.add(partnerId);
    // The partner's summed lines: views of the summed columns (nothing copied per line).
    const lines: PartnerLines = {
      length: end - start,
      amount: summed.amount.subarray(start, end),
      family: summed.family.subarray(start, end),
      kind: summed.kind.subarray(start, end),
      evals,
      customer: () => summed.customer.subarray(start, end),
      day: () => summed.day.subarray(start, end),
      lines: null,
      lastFacts: null,
    };
    settled.set(
      partnerId,
      settlePartner(p, periodOnly, partnerId, lines, factsOf.get(partnerId) ?? null, shared, { text: false }),
    );
  });
  // As settlePeriod: every partner (with lines or facts), by id.
  const out: CloseProposal[] = [];
  for (const partnerId of [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    out.push(
      ...(settled.get(partnerId) ??
        settlePartner(
          p,
          periodOnly,
          partnerId,
          partnerLines(p, [], shared),
          factsOf.get(partnerId) ?? null,
          shared,
          {
            text: false,
          },
        )),
    );
  return out;
}

/**
 * A period's lines summed per partner and (customer, family, date segment, class of facts: facts alike in
 * what conditions and rates read, as `evaluateLines` shares evaluations): `offsets[row]` to
 * `offsets[row + 1]` are the sums of `columns.partnerIds[row]`, in the order of their last lines, each with
 * its last line (`last`), summed amount and kind (class, family and segment: what applies to it).
 */
interface SummedLines {
  readonly offsets: Uint32Array;
  readonly last: Uint32Array;
  readonly amount: Float64Array;
  readonly kind: Uint32Array;
  /** The last line's family, customer and day (the columns' `family`, `customer` and `day`). */
  readonly family: Uint8Array;
  readonly customer: Uint32Array;
  readonly day: Int32Array;
}

/** Summed lines by columns, then period, cuts and context keys (they depend on nothing else). */
const summedOf = new WeakMap<PeriodColumns, Map<string, SummedLines>>();

function summedLines(
  c: PeriodColumns,
  period: PeriodInput['period'],
  cuts: Int32Array,
  contextKeys: CompiledProgram['contextKeys'],
): SummedLines {
  const key = JSON.stringify([period.from, period.to, [...cuts], contextKeys]);
  let ofColumns = summedOf.get(c);
  if (!ofColumns) summedOf.set(c, (ofColumns = new Map()));
  const known = ofColumns.get(key);
  if (known) return known;
  const from = dayNumber(period.from);
  const to = dayNumber(period.to);
  const segments = cuts.length + 1;
  const classOf = new Uint32Array(c.facts.length);
  const classes = new Map<string, number>();
  c.facts.forEach((f, i) => {
    const k = factsClass(f, contextKeys);
    let n = classes.get(k);
    if (n === undefined) classes.set(k, (n = classes.size));
    classOf[i] = n;
  });
  type Sum = { amount: number; last: number; kind: number };
  const customers = Math.max(c.customerIds.length, 1);
  const groups = c.partnerIds.map(() => new Map<number, Sum>());
  for (let i = 0; i < c.length; i++) {
    const day = c.day[i] as number;
    if (day < from || day > to) continue;
    let s = 0;
    while (s < cuts.length && (cuts[s] as number) <= day) s++;
    const kind =
      ((classOf[c.fact[i] as number] as number) * FAMILY_COUNT + (c.family[i] as number)) * segments + s;
    const of = groups[c.partner[i] as number] as Map<number, Sum>;
    const at = kind * customers + (c.customer[i] as number);
    const g = of.get(at);
    if (g) {
      g.amount += c.amountMinor[i] as number;
      g.last = i;
    } else of.set(at, { amount: c.amountMinor[i] as number, last: i, kind });
  }
  let n = 0;
  for (const of of groups) n += of.size;
  const out = {
    offsets: new Uint32Array(c.partnerIds.length + 1),
    last: new Uint32Array(n),
    amount: new Float64Array(n),
    kind: new Uint32Array(n),
    family: new Uint8Array(n),
    customer: new Uint32Array(n),
    day: new Int32Array(n),
  };
  let g = 0;
  groups.forEach((of, row) => {
    out.offsets[row] = g;
    for (const x of [...of.values()].sort((a, b) => a.last - b.last)) {
      out.last[g] = x.last;
      out.amount[g] = x.amount;
      out.kind[g] = x.kind;
      out.family[g] = c.family[x.last] as number;
      out.customer[g] = c.customer[x.last] as number;
      out.day[g] = c.day[x.last] as number;
      g++;
    }
  });
  out.offsets[c.partnerIds.length] = g;
  ofColumns.set(key, out);
  return out;
}

/**
 * Line evaluations shared between lines (see `evaluateLines`): null when some condition (any component's
 * or payout multiplier's) reads line.amount, line.quantity or order.total.
 */
export interface SharedEvaluations {
  /**
   * The days where what applies to a line may change (a line-based component's or a payout multiplier's
   * first day, and the day after its last), sorted.
   */
  readonly cuts: Int32Array;
  /** Evaluations by family and date segment, per facts object and per the facts conditions read. */
  readonly ofFacts: Map<LineFacts, Map<string, LineEval[]>>;
  readonly byKey: Map<string, Map<string, LineEval[]>>;
  /** The close group key of each application of a shared evaluation, with the tier it was keyed for. */
  readonly groupKeys: Map<AppliedComponent, { tier: string; key: string }>;
}

export function sharedEvaluations(p: CompiledProgram): SharedEvaluations | null {
  if (p.components.some((c) => c.dynamic) || p.multipliers.some((m) => m.dynamic)) return null;
  const cuts = new Set<number>();
  for (const c of [...p.lineBased, ...p.multipliers]) {
    cuts.add(c.fromDay);
    if (c.toDay !== Infinity) cuts.add(c.toDay + 1);
  }
  return {
    cuts: Int32Array.from([...cuts].sort((a, b) => a - b)),
    ofFacts: new Map(),
    byKey: new Map(),
    groupKeys: new Map(),
  };
}

/**
 * `applyToLine` of each line. With `shared` (no condition reads a line's amount, quantity or order total),
 * what applies to a line depends only on its family, which date segment its day is in (`evaluateLine`
 * reads the day only against components' and multipliers' effective dates) and the facts conditions and
 * rates read: tier, new business, exclusivity and the context facts some condition reads (the program's
 * `contextKeys`, as the accrual batch keys its contexts). Lines equal in these share one evaluation.
 */
function evaluateLines(
  p: CompiledProgram,
  lines: readonly IncentiveLine[],
  shared: SharedEvaluations | null,
): LineEval[] {
  if (shared === null) return lines.map((line) => applyToLine(p, line));
  return lines.map((line) => evaluateShared(p, line, shared));
}

/** The class of each facts object (`factsClass`), with the context keys it was worked out for. */
const classes = new WeakMap<LineFacts, { keys: string; class: string }>();
/** Each program's context keys as one string (a compiled program's list is never changed). */
const keysText = new WeakMap<readonly string[], string>();

/**
 * What conditions and rates read of a line's facts, as a key: tier, new business, exclusivity and the
 * context facts of `contextKeys` (a program's: the ones some condition reads). Facts alike in these are
 * evaluated alike. Kept per facts object (a simulation's history keeps its facts between runs; the same
 * object is asked about again by every draft with the same context keys).
 */
function factsClass(f: LineFacts, contextKeys: readonly (keyof LineContext)[]): string {
  let keys = keysText.get(contextKeys);
  if (keys === undefined) keysText.set(contextKeys, (keys = JSON.stringify(contextKeys)));
  const known = classes.get(f);
  if (known !== undefined && known.keys === keys) return known.class;
  const key = JSON.stringify([f.tier, f.newBusiness, f.exclusive, ...contextKeys.map((k) => f[k] ?? null)]);
  classes.set(f, { keys, class: key });
  return key;
}

/** `applyToLine` of one line, shared with the lines alike in what it reads (see `evaluateLines`). */
export function evaluateShared(p: CompiledProgram, line: IncentiveLine, shared: SharedEvaluations): LineEval {
  const { cuts } = shared;
  let ofFamily = shared.ofFacts.get(line.facts);
  if (!ofFamily) {
    const key = factsClass(line.facts, p.contextKeys);
    ofFamily = shared.byKey.get(key);
    if (!ofFamily) shared.byKey.set(key, (ofFamily = new Map()));
    shared.ofFacts.set(line.facts, ofFamily);
  }
  let bySegment = ofFamily.get(line.family);
  if (!bySegment) ofFamily.set(line.family, (bySegment = []));
  const day = dayNumber(line.orderDate);
  let s = 0;
  while (s < cuts.length && (cuts[s] as number) <= day) s++;
  let e = bySegment[s];
  if (!e) bySegment[s] = e = applyToLine(p, line);
  return e;
}

/**
 * The close group of an application on a line of `tier`: by component, tier, rate and multiplier (an
 * application of an evaluation shared by lines alike, tier included, is keyed once).
 */
function groupKey(a: AppliedComponent, tier: string, shared: SharedEvaluations | null): string {
  const known = shared?.groupKeys.get(a);
  if (known?.tier === tier) return known.key;
  const key = `${a.component.info.index}|${tier}|${a.rate}|${a.multiplier.multiplier}|${a.multiplier.codes.join(',')}`;
  shared?.groupKeys.set(a, { tier, key });
  return key;
}

function settlePartner(
  p: CompiledProgram,
  input: PeriodInput,
  partnerId: string,
  lines: PartnerLines,
  given: PartnerPeriodFacts | null,
  shared: SharedEvaluations | null,
  /** `text: false`: no English text (''). */
  options: { readonly text?: boolean } = {},
): CloseProposal[] {
  const pf = given?.facts ?? lines.lastFacts;
  const closeDay = dayNumber(input.period.to);
  const pcf: ConditionFacts | null = pf === null ? null : conditionFacts(p.currency, pf, {});
  const periodMultiplier = (c: CompiledComponent): AppliedMultiplier =>
    pcf === null ? NONE : multiplierFor(p, c, closeDay, pcf);

  const n = p.components.length;
  const accrued = new Float64Array(n);
  const accruedBase = new Float64Array(n);
  const groups = new Map<string, Draft>();
  // What the lines accrue is summed only for the components whose accruals are not given.
  const accruedGiven = p.components.map((c) => given?.accruedMinor?.[c.info.code] !== undefined);
  for (let i = 0; i < lines.length; i++) {
    const amountMinor = lines.amount[i] as number;
    if (amountMinor === 0) continue;
    const e = lines.evals[lines.kind[i] as number];
    if (e === undefined) continue;
    for (const a of e.applied) {
      const c = a.component;
      if (c.info.settlement === 'accrual') {
        if (!accruedGiven[c.info.index]) {
          const line = lines.lines?.[i];
          if (line === undefined) throw new Error('unreachable: an accrual to sum without its line');
          accrued[c.info.index] =
            (accrued[c.info.index] as number) +
            limitedAmount(line, c.info.code, applyRate(amountMinor, a.effectiveRate));
        }
        accruedBase[c.info.index] = (accruedBase[c.info.index] as number) + amountMinor;
        continue;
      }
      const tier = e.tier;
      const key = groupKey(a, tier, shared);
      const g = groups.get(key);
      if (g !== undefined) g.base += amountMinor;
      else {
        groups.set(key, {
          c,
          type: 'component',
          base: amountMinor,
          rate: a.rate,
          tier,
          multiplier: a.multiplier,
          effectiveRate: a.effectiveRate,
          amount: 0,
          message: message('close.component', {}),
          condition: [],
          capped: null,
        });
      }
    }
  }

  const drafts: Draft[] = [];
  for (const c of p.components) {
    const mine: Draft[] = [];
    if (c.info.settlement === 'close' && c.lineKind !== null) {
      const list = [...groups.values()]
        .filter((g) => g.c === c && g.base !== 0)
        .sort(
          (a, b) =>
            (p.tierIndex.get(a.tier) ?? 0) - (p.tierIndex.get(b.tier) ?? 0) ||
            a.rate - b.rate ||
            a.multiplier.multiplier - b.multiplier.multiplier,
        );
      for (const g of list) {
        g.amount = applyRate(g.base, g.effectiveRate);
        g.message = message('close.component', {
          name: c.info.name,
          rate: {
            message: rateMessage(p.currency, g.base, g.rate, g.multiplier, {
              message: message(
                c.lineKind === 'deal-registration' ? 'close.registeredRevenue' : 'close.periodRevenue',
                { tier: g.tier },
              ),
            }),
          },
          amount: money(g.amount, p.currency),
          period: input.period.code,
          capped: '',
        });
        mine.push(g);
      }
    } else if (c.source.kind === 'cross-sell') {
      const d = crossSell(p, c, c.source, lines, periodMultiplier(c), pf?.tier ?? '', input);
      if (d !== null) mine.push(d);
    } else if (c.source.kind === 'growth-accelerator') {
      const d = growth(p, c, c.source, lines, periodMultiplier(c), pf, given, input);
      if (d !== null) mine.push(d);
    }

    // Minimum: qualifying revenue = the base the component computed on in the period.
    const override = given?.accruedMinor?.[c.info.code];
    let accruedTotal = override ?? (accrued[c.info.index] as number);
    const qualifying =
      c.info.settlement === 'accrual'
        ? (accruedBase[c.info.index] as number)
        : mine.reduce((s, d) => s + d.base, 0);
    if (c.minimumMinor !== null && qualifying < c.minimumMinor) {
      if (c.info.settlement === 'accrual' && accruedTotal !== 0) {
        mine.push(
          adjustment(
            c,
            'minimum-reversal',
            accruedTotal,
            -accruedTotal,
            pf?.tier ?? '',
            message('close.minimumReversal', {
              name: c.info.name,
              qualifying: money(qualifying, p.currency),
              minimum: money(c.minimumMinor, p.currency),
              accrued: money(accruedTotal, p.currency),
              period: input.period.code,
            }),
          ),
        );
        accruedTotal = 0;
      } else mine.length = 0;
    }

    // Cap per partner and period.
    if (c.capMinor !== null) {
      const cap = c.capMinor;
      if (c.info.settlement === 'accrual') {
        if (accruedTotal > cap) {
          mine.push(
            adjustment(
              c,
              'cap-adjustment',
              accruedTotal,
              cap - accruedTotal,
              pf?.tier ?? '',
              message('close.capAdjustment', {
                name: c.info.name,
                accrued: money(accruedTotal, p.currency),
                period: input.period.code,
                cap: money(cap, p.currency),
              }),
            ),
          );
        }
      } else {
        const total = mine.reduce((s, d) => s + d.amount, 0);
        let excess = total - cap;
        for (let i = mine.length - 1; i >= 0 && excess > 0; i--) {
          const d = mine[i] as Draft;
          const cut = Math.min(excess, Math.max(d.amount, 0));
          if (cut === 0) continue;
          d.capped = { capMinor: cap, uncappedMinor: d.amount };
          d.amount -= cut;
          d.message = message(d.message.key, {
            ...d.message.params,
            capped: {
              message: message('close.capped', {
                cap: money(cap, p.currency),
                cut: money(cut, p.currency),
                amount: money(d.amount, p.currency),
              }),
            },
          });
          excess -= cut;
        }
      }
    }
    drafts.push(...mine);
  }

  return drafts.map((d) => ({
    component: d.c.info.code,
    kind: d.c.info.kind,
    ruleId: `${p.program.code}/${d.c.info.code}`,
    ruleVersion: p.ruleVersion,
    partnerId,
    budgetPool: d.c.info.budgetPool,
    baseMinor: d.base,
    rate: d.rate,
    tier: d.tier,
    multiplier: d.multiplier.multiplier,
    multipliers: d.multiplier.codes,
    effectiveRate: d.effectiveRate,
    amountMinor: d.amount,
    explanation:
      options.text === false
        ? { text: '', message: d.message, condition: d.condition }
        : explained(d.message, d.condition),
    type: d.type,
    settlement: d.c.info.settlement,
    capped: d.capped,
  }));
}

/**
 * An explanation whose English text is rendered when first read: a close proposes an item per partner and
 * close component, most of them zero and never shown (rendering every one was a third of the settlement).
 */
function explained(message: Message, condition: Explanation['condition']): Explanation {
  let text: string | null = null;
  return {
    get text() {
      return (text ??= renderEnglish(message));
    },
    message,
    condition,
  };
}

function adjustment(
  c: CompiledComponent,
  type: CloseProposalType,
  base: number,
  amount: number,
  tier: string,
  said: Message,
): Draft {
  return {
    c,
    type,
    base,
    rate: 0,
    tier,
    multiplier: NONE,
    effectiveRate: 0,
    amount,
    message: said,
    condition: [],
    capped: null,
  };
}

type LineEval = ReturnType<typeof applyToLine>;

/**
 * Whether a close-only component counts a line of the period: in its effective dates (`day`, the line's
 * `dayNumber`), its condition true.
 */
function counts(c: CompiledComponent, e: LineEval | undefined, day: number): boolean {
  if (day < c.fromDay || day > c.toDay) return false;
  return e !== undefined && c.condition(e.cf);
}

function crossSell(
  p: CompiledProgram,
  c: CompiledComponent,
  src: CrossSellComponent,
  lines: PartnerLines,
  multiplier: AppliedMultiplier,
  tier: string,
  input: PeriodInput,
): Draft | null {
  // Net per customer (in order of their first line) and family: `net[at + family]`, `at` the customer's.
  const atOf = new Map<number, number>();
  const net: number[] = [];
  const customerOf = lines.customer();
  const days = lines.day();
  for (let i = 0; i < lines.length; i++) {
    if (!counts(c, lines.evals[lines.kind[i] as number], days[i] as number)) continue;
    const customer = customerOf[i] as number;
    let at = atOf.get(customer);
    if (at === undefined) {
      atOf.set(customer, (at = net.length));
      for (let f = 0; f < FAMILY_COUNT; f++) net.push(0);
    }
    const k = at + (lines.family[i] as number);
    net[k] = (net[k] as number) + (lines.amount[i] as number);
  }
  // Families as bits (PRODUCT_FAMILIES order): what a customer bought (net positive), each combination.
  const combos = src.combinations.map((combo) => combo.reduce((m, f) => m | (1 << familyIndex(f)), 0));
  let base = 0;
  let customers = 0;
  for (let at = 0; at < net.length; at += FAMILY_COUNT) {
    let bought = 0;
    let count = 0;
    for (let f = 0; f < FAMILY_COUNT; f++)
      if ((net[at + f] as number) > 0) {
        bought |= 1 << f;
        count++;
      }
    if (count < src.minFamilies) continue;
    if (combos.length > 0 && !combos.some((combo) => (combo & bought) === combo)) continue;
    customers++;
    for (let f = 0; f < FAMILY_COUNT; f++) if ((c.families & (1 << f)) !== 0) base += net[at + f] as number;
  }
  if (base === 0) return null;
  const effectiveRate = multiplyFactors(src.points, multiplier.multiplier);
  const amount = applyRate(base, effectiveRate);
  const [head, ...rest] = src.combinations.map((k): MessageValue => k.join(' + '));
  const need =
    head === undefined
      ? message('close.families', { min: src.minFamilies })
      : message('close.familiesIncluding', {
          min: src.minFamilies,
          combinations: rest.reduce(
            (first, second): MessageValue => ({ message: message('close.or', { first, second }) }),
            head,
          ),
        });
  return {
    c,
    type: 'component',
    base,
    rate: src.points,
    tier,
    multiplier,
    effectiveRate,
    amount,
    message: message('close.crossSell', {
      name: c.info.name,
      count: customers,
      need: { message: need },
      period: input.period.code,
      rate: {
        message: rateMessage(p.currency, base, src.points, multiplier, {
          message: message('close.qualifyingRevenue'),
        }),
      },
      amount: money(amount, p.currency),
      capped: '',
    }),
    condition: [],
    capped: null,
  };
}

/**
 * Whether growth from `prior` (> 0) to `revenue` is strictly above `above` (ppm), compared exactly:
 * (revenue - prior) x 1,000,000 > above x prior; in doubles while both products are safe integers (then
 * they are exact), else in BigInt.
 */
export function growsAbove(revenue: number, prior: number, above: Ppm): boolean {
  const diff = (revenue - prior) * PPM_ONE;
  const limit = above * prior;
  if (Number.isSafeInteger(diff) && Number.isSafeInteger(limit)) return diff > limit;
  return BigInt(revenue - prior) * BigInt(PPM_ONE) > BigInt(above) * BigInt(prior);
}

function growth(
  p: CompiledProgram,
  c: CompiledComponent,
  src: GrowthAcceleratorComponent,
  lines: PartnerLines,
  multiplier: AppliedMultiplier,
  pf: LineFacts | null,
  given: PartnerPeriodFacts | null,
  input: PeriodInput,
): Draft | null {
  const comparison = given?.comparison?.[src.comparedWith];
  if (comparison == null) return null;
  let revenue = 0;
  const days = lines.day();
  for (let i = 0; i < lines.length; i++)
    if (
      counts(c, lines.evals[lines.kind[i] as number], days[i] as number) &&
      (c.families & (1 << (lines.family[i] as number))) !== 0
    )
      revenue += lines.amount[i] as number;
  let prior = 0;
  PRODUCT_FAMILIES.forEach((f, i) => {
    if ((c.families & (1 << i)) !== 0) prior += comparison[f] ?? 0;
  });
  if (prior <= 0) return null;
  let passed: (typeof src.thresholds)[number] | null = null;
  for (const t of src.thresholds)
    if (growsAbove(revenue, prior, t.above) && (passed === null || t.above > passed.above)) passed = t;
  if (passed === null) return null;
  const base = src.base === 'period-revenue' ? revenue : revenue - prior;
  const effectiveRate = multiplyFactors(passed.points, multiplier.multiplier);
  const amount = applyRate(base, effectiveRate);
  const growthPpm = divRoundHalfEven((revenue - prior) * 10_000, prior) * 100;
  return {
    c,
    type: 'component',
    base,
    rate: passed.points,
    tier: pf?.tier ?? '',
    multiplier,
    effectiveRate,
    amount,
    message: message('close.growth', {
      name: c.info.name,
      revenue: money(revenue, p.currency),
      period: input.period.code,
      prior: money(prior, p.currency),
      comparedWith: src.comparedWith,
      growth: percent(growthPpm),
      above: percent(passed.above),
      rate: { message: rateMessage(p.currency, base, passed.points, multiplier, src.base) },
      amount: money(amount, p.currency),
      capped: '',
    }),
    condition: [],
    capped: null,
  };
}
