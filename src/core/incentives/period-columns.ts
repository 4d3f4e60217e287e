import { PRODUCT_FAMILIES, type ProductFamily } from '../model/catalog.js';
import { TrellisError } from '../shared/errors.js';
import { dayNumber, familyIndex } from './compile.js';
import type { IncentiveEngine } from './engine.js';
import { partnerComponentTotals, type PartnerComponentTotal } from './plan.js';
import type { CloseProposal, IncentiveLine, LineFacts, PartnerPeriodFacts, Period } from './types.js';

/**
 * A period's lines as columns (issue 14): what a simulation keeps between runs and plans from. One entry
 * per line in each typed array, in the lines' order; strings and facts objects are kept once, in tables
 * (partners, customers, days, facts) the columns index. A line's id is not kept: totals never read it (a
 * return whose clawback limits matter is kept whole, beside the columns: `ReplacedLine`).
 */
export interface PeriodColumns {
  readonly length: number;
  readonly partnerIds: readonly string[];
  /** Index into `partnerIds`, numbered in order of first appearance. */
  readonly partner: Uint32Array;
  readonly customerIds: readonly string[];
  readonly customer: Uint32Array;
  readonly dates: readonly string[];
  /** Index into `dates`. */
  readonly date: Uint32Array;
  /** The line's day (`dayNumber` of its date). */
  readonly day: Int32Array;
  /** Index into PRODUCT_FAMILIES. */
  readonly family: Uint8Array;
  readonly amountMinor: Float64Array;
  /** NaN: none. */
  readonly quantity: Float64Array;
  /** NaN: none. */
  readonly orderTotalMinor: Float64Array;
  readonly facts: readonly LineFacts[];
  /** Index into `facts` (lines sharing a facts object share an entry). */
  readonly fact: Uint32Array;
}

/** A line that replaces the columns' line at `at` (a return with the clawback limits an engine sets). */
export interface ReplacedLine {
  readonly at: number;
  readonly line: IncentiveLine;
}

/** The columns of `lines` (their clawback limits are not kept: see `ReplacedLine`). */
export function toPeriodColumns(lines: readonly IncentiveLine[]): PeriodColumns {
  const n = lines.length;
  const partnerIds: string[] = [];
  const customerIds: string[] = [];
  const dates: string[] = [];
  const facts: LineFacts[] = [];
  const partnerOf = new Map<string, number>();
  const customerOf = new Map<string, number>();
  const dateOf = new Map<string, number>();
  const factOf = new Map<LineFacts, number>();
  const dayOf: number[] = [];
  const intern = <K>(map: Map<K, number>, table: K[], key: K): number => {
    let i = map.get(key);
    if (i === undefined) {
      map.set(key, (i = table.length));
      table.push(key);
    }
    return i;
  };
  const c = {
    partner: new Uint32Array(n),
    customer: new Uint32Array(n),
    date: new Uint32Array(n),
    day: new Int32Array(n),
    family: new Uint8Array(n),
    amountMinor: new Float64Array(n),
    quantity: new Float64Array(n),
    orderTotalMinor: new Float64Array(n),
    fact: new Uint32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const l = lines[i] as IncentiveLine;
    if (!Number.isSafeInteger(l.amountMinor))
      throw new TrellisError('invalid_input', `line ${l.lineId}: amount is not an integer of minor units`);
    c.partner[i] = intern(partnerOf, partnerIds, l.partnerId);
    c.customer[i] = intern(customerOf, customerIds, l.customerId);
    const d = intern(dateOf, dates, l.orderDate);
    if (d === dayOf.length) dayOf.push(dayNumber(l.orderDate));
    c.date[i] = d;
    c.day[i] = dayOf[d] as number;
    c.family[i] = familyIndex(l.family);
    c.amountMinor[i] = l.amountMinor;
    c.quantity[i] = l.quantity ?? Number.NaN;
    c.orderTotalMinor[i] = l.orderTotalMinor ?? Number.NaN;
    c.fact[i] = intern(factOf, facts, l.facts);
  }
  return { length: n, partnerIds, customerIds, dates, facts, ...c };
}

/** The lines of the columns as objects (no line id), `replaced` ones in their places. */
export function linesOfColumns(c: PeriodColumns, replaced: readonly ReplacedLine[] = []): IncentiveLine[] {
  const out = new Array<IncentiveLine>(c.length);
  for (let i = 0; i < c.length; i++) {
    const quantity = c.quantity[i] as number;
    const total = c.orderTotalMinor[i] as number;
    out[i] = {
      lineId: '',
      partnerId: c.partnerIds[c.partner[i] as number] as string,
      customerId: c.customerIds[c.customer[i] as number] as string,
      orderDate: c.dates[c.date[i] as number] as string,
      family: PRODUCT_FAMILIES[c.family[i] as number] as ProductFamily,
      amountMinor: c.amountMinor[i] as number,
      quantity: Number.isNaN(quantity) ? null : quantity,
      orderTotalMinor: Number.isNaN(total) ? null : total,
      facts: c.facts[c.fact[i] as number] as LineFacts,
    };
  }
  for (const r of replaced) out[r.at] = r.line;
  return out;
}

/** What `planTotalsOfColumns` computes: `planTotals`'s totals and proposals, and the lines' multipliers' part. */
export interface ColumnTotals {
  /** Per partner and component, as `planTotals` gives them (same values, same order). */
  readonly totals: readonly PartnerComponentTotal[];
  /** Close items as the engine proposes them (non-zero ones). */
  readonly proposals: readonly CloseProposal[];
  readonly totalMinor: number;
  /** The payout multipliers' part of the per-line accruals (`multiplierPart` of each line's component). */
  readonly lineMultiplierMinor: number;
}

/**
 * `planTotals` over columns (a simulation's plan): the per-line accruals are summed per partner by the
 * engine's columnar batch (one evaluation per distinct facts, family and date segment; no amount kept per
 * line), the returns in `replaced` accrued one by one within their clawback limits; the close proposals
 * are the engine's `settleColumns` (`settlePeriod` of the same lines, lines alike summed). Totals equal `planTotals` on
 * `linesOfColumns(columns, replaced)`, to the cent and in the same order.
 */
export function planTotalsOfColumns(
  engine: IncentiveEngine,
  input: {
    readonly period: Period;
    readonly columns: PeriodColumns;
    readonly replaced: readonly ReplacedLine[];
    readonly partners: readonly PartnerPeriodFacts[];
  },
): ColumnTotals {
  const { columns, replaced } = input;
  const { width, perPartner, multiplierMinor } = engine.accrueColumns(columns, replaced);
  const codes = engine.components.map((c) => c.code);
  const proposals = engine
    .settleColumns({
      period: input.period,
      columns,
      replaced,
      partners: input.partners,
      accrued: perPartner,
    })
    .filter((p) => p.amountMinor !== 0);

  // As planTotals: partners in order of their first line, then close items' new keys in their order.
  const totals = partnerComponentTotals(
    codes,
    columns.partnerIds.map(
      (partnerId, row) => [partnerId, perPartner.subarray(row * width, (row + 1) * width)] as const,
    ),
    proposals,
  );
  return {
    totals,
    proposals,
    totalMinor: totals.reduce((s, t) => s + t.totalMinor, 0),
    lineMultiplierMinor: multiplierMinor,
  };
}
