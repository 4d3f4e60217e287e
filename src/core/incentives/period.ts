import { TrellisError } from '../shared/errors.js';
import { accrueLine, applicationAmount, applyToLine, tierOf } from './accrual.js';
import { multiplierPart, prepareBatch } from './batch.js';
import { evaluateShared, settlePeriod, sharedEvaluations } from './close.js';
import type { CompiledProgram } from './compile.js';
import { dayNumber, familyIndex } from './compile.js';
import type { PeriodColumns, ReplacedLine } from './period-columns.js';
import type { ComponentTotal, IncentiveLine, LineContext, LineFacts, PeriodInput } from './types.js';

/**
 * Per-line accruals of many lines at once, as numbers: `amounts[i * width + component]` is what line i
 * accrues for the component (`IncentiveEngine.components` order), equal to the sum of `accrueLine(line)`
 * for it. Runs the columnar batch path; returns carrying clawback limits go through `accrueLine`.
 */
export function accrueLines(
  p: CompiledProgram,
  lines: readonly IncentiveLine[],
  options?: { readonly multipliers?: boolean },
): { width: number; amounts: Float64Array; multipliers?: Float64Array } {
  const rows = new Uint32Array(lines.length);
  for (let i = 0; i < rows.length; i++) rows[i] = i;
  const width = p.components.length;
  if (!options?.multipliers) return { width, amounts: accrueInto(p, lines, rows, lines.length) };
  const multipliers = new Float64Array(Math.max(lines.length, 1) * width);
  return { width, amounts: accrueInto(p, lines, rows, lines.length, multipliers), multipliers };
}

/**
 * What `accrueLine` proposes for a line, as components and amounts only (no explanation): what a return's
 * turn in its clawback reads. The function returned keeps what applies to lines alike (facts, family, date
 * segment: `evaluateShared`) when no condition reads a line's amount, so many lines are evaluated once.
 */
export function lineAccruals(
  p: CompiledProgram,
): (line: IncentiveLine) => { component: string; amountMinor: number }[] {
  const shared = sharedEvaluations(p);
  return (line) => {
    if (line.amountMinor === 0) return [];
    const { applied } = shared === null ? applyToLine(p, line) : evaluateShared(p, line, shared);
    const out: { component: string; amountMinor: number }[] = [];
    for (const a of applied) {
      const c = a.component.info;
      if (c.settlement !== 'accrual') continue;
      out.push({
        component: c.code,
        amountMinor: applicationAmount(line, { component: c.code, effectiveRate: a.effectiveRate }),
      });
    }
    return out;
  };
}

/**
 * The per-line accruals of a period's columns summed per partner: `perPartner[row * width + c]` for
 * `columns.partnerIds[row]`, the lines in `replaced` (returns with clawback limits) accrued one by one in
 * place of the columns' lines at their index; and the payout multipliers' part of every line's accrual per
 * component (`multiplierPart`, as a simulation counts it). The facts are read once per distinct facts
 * object (tier, new business, exclusivity, context), not per line.
 */
export function accrueColumns(
  p: CompiledProgram,
  columns: PeriodColumns,
  replaced: readonly ReplacedLine[],
): { width: number; perPartner: Float64Array; multiplierMinor: number } {
  const width = p.components.length;
  const n = columns.length;
  const { contexts, tierIndex, newBusiness, exclusive, contextIndex } = factColumns(p, columns);
  let amountMinor = columns.amountMinor;
  if (replaced.length > 0) {
    amountMinor = Float64Array.from(amountMinor);
    // A replaced line is accrued on its own below (a line of amount 0 accrues nothing in the batch).
    for (const r of replaced) amountMinor[r.at] = 0;
  }
  const perPartner = new Float64Array(Math.max(columns.partnerIds.length, 1) * width);
  const multiplied = new Float64Array(1);
  prepareBatch(p, contexts, null).accrue(
    {
      length: n,
      amountMinor,
      familyIndex: columns.family,
      tierIndex,
      newBusiness,
      exclusive,
      contextIndex,
      partnerIndex: columns.partner,
      orderDay: columns.day,
      quantity: columns.quantity,
      orderTotalMinor: columns.orderTotalMinor,
    },
    perPartner,
    undefined,
    multiplied,
  );
  let multiplierMinor = multiplied[0] as number;
  // What `accrueLine` proposes for each (its amounts and multipliers; no explanation is read here). When
  // no condition reads a line's amount (`sharedEvaluations`), what applies to a line depends on its facts
  // (what conditions and rates read of them, not the object), family and date segment only: returns alike
  // in these share one evaluation (`evaluateShared`, the close's rule).
  const shared = sharedEvaluations(p);
  for (const r of replaced) {
    if (r.line.amountMinor === 0) continue;
    const row = columns.partner[r.at] as number;
    const e = shared === null ? applyToLine(p, r.line) : evaluateShared(p, r.line, shared);
    for (const a of e.applied) {
      const c = a.component.info;
      if (c.settlement !== 'accrual') continue;
      const amount = applicationAmount(r.line, { component: c.code, effectiveRate: a.effectiveRate });
      const cell = row * width + c.index;
      perPartner[cell] = (perPartner[cell] as number) + amount;
      if (a.multiplier.codes.length > 0) multiplierMinor += multiplierPart(amount, a.multiplier.multiplier);
    }
  }
  return { width, perPartner, multiplierMinor };
}

/** What the batch reads of the columns' facts, per line; by columns, then the program's tiers and context keys. */
interface FactColumns {
  readonly contexts: readonly LineContext[];
  readonly tierIndex: Uint8Array;
  readonly newBusiness: Uint8Array;
  readonly exclusive: Uint8Array;
  readonly contextIndex: Uint32Array;
}

const factColumnsOf = new WeakMap<PeriodColumns, Map<string, FactColumns>>();

/**
 * The columns' facts as the batch reads them (tier, new business, exclusivity, context), read once per
 * distinct facts object, and kept with the columns for programs of the same tiers and context keys (what
 * they depend on besides the columns): a simulation's history is planned again by other drafts.
 */
function factColumns(p: CompiledProgram, columns: PeriodColumns): FactColumns {
  const keys = p.contextKeys;
  const cacheKey = JSON.stringify([p.tiers, keys]);
  let ofColumns = factColumnsOf.get(columns);
  if (!ofColumns) factColumnsOf.set(columns, (ofColumns = new Map()));
  const known = ofColumns.get(cacheKey);
  if (known) return known;
  const n = columns.length;
  const F = columns.facts.length;
  const tierOfFact = new Uint8Array(F);
  const nbOfFact = new Uint8Array(F);
  const exOfFact = new Uint8Array(F);
  const ctxOfFact = new Uint32Array(F);
  const contexts: LineContext[] = [];
  const contextIds = new Map<string, number>();
  columns.facts.forEach((facts, f) => {
    const context: Record<string, unknown> = {};
    for (const k of keys) {
      const v = facts[k];
      if (v !== undefined && v !== null) context[k] = v;
    }
    const key = JSON.stringify(keys.map((k) => context[k] ?? null));
    let ctx = contextIds.get(key);
    if (ctx === undefined) {
      contextIds.set(key, (ctx = contexts.length));
      contexts.push(context as LineContext);
    }
    ctxOfFact[f] = ctx;
    tierOfFact[f] = tierOf(p, facts, `a line of the period`);
    nbOfFact[f] = facts.newBusiness ? 1 : 0;
    exOfFact[f] = facts.exclusive ? 1 : 0;
  });
  const out = {
    contexts,
    tierIndex: new Uint8Array(n),
    newBusiness: new Uint8Array(n),
    exclusive: new Uint8Array(n),
    contextIndex: new Uint32Array(n),
  };
  const fact = columns.fact;
  for (let i = 0; i < n; i++) {
    const f = fact[i] as number;
    out.tierIndex[i] = tierOfFact[f] as number;
    out.newBusiness[i] = nbOfFact[f] as number;
    out.exclusive[i] = exOfFact[f] as number;
    out.contextIndex[i] = ctxOfFact[f] as number;
  }
  ofColumns.set(cacheKey, out);
  return out;
}

/**
 * Accrues `lines` into `out[row * width + component]`, line i into row `rows[i]`; with `multipliers` (a
 * row per line), the payout multiplier each line earns each component at (0: none applies).
 */
function accrueInto(
  p: CompiledProgram,
  all: readonly IncentiveLine[],
  rows: Uint32Array,
  rowCount: number,
  multipliers?: Float64Array,
): Float64Array {
  const width = p.components.length;
  const contexts: LineContext[] = [];
  const contextIds = new Map<string, number>();
  const contextOfFacts = new Map<LineFacts, number>();
  const keys = p.contextKeys;
  // Returns that carry clawback limits are accrued one by one (their amounts depend on the limits).
  const fastIdx: number[] = [];
  const slowIdx: number[] = [];
  all.forEach((l, i) => (l.clawbackLimitMinor != null && l.amountMinor < 0 ? slowIdx : fastIdx).push(i));
  const n = fastIdx.length;
  const cols = {
    length: n,
    amountMinor: new Float64Array(n),
    familyIndex: new Uint8Array(n),
    tierIndex: new Uint8Array(n),
    newBusiness: new Uint8Array(n),
    exclusive: new Uint8Array(n),
    contextIndex: new Uint32Array(n),
    partnerIndex: new Uint32Array(n),
    orderDay: new Int32Array(n),
    quantity: new Float64Array(n),
    orderTotalMinor: new Float64Array(n),
  };
  fastIdx.forEach((at, i) => {
    const line = all[at] as IncentiveLine;
    if (!Number.isSafeInteger(line.amountMinor)) {
      throw new TrellisError('invalid_input', `line ${line.lineId}: amount is not an integer of minor units`);
    }
    // Only the facts some condition reads tell contexts apart (a program reading none has one context).
    // Lines often share one facts object: its context is worked out once.
    let ctx = contextOfFacts.get(line.facts);
    if (ctx === undefined) {
      const context: Record<string, unknown> = {};
      for (const k of keys) {
        const v = line.facts[k];
        if (v !== undefined && v !== null) context[k] = v;
      }
      const key = JSON.stringify(keys.map((k) => context[k] ?? null));
      ctx = contextIds.get(key);
      if (ctx === undefined) {
        contextIds.set(key, (ctx = contexts.length));
        contexts.push(context as LineContext);
      }
      contextOfFacts.set(line.facts, ctx);
    }
    cols.amountMinor[i] = line.amountMinor;
    cols.familyIndex[i] = familyIndex(line.family);
    cols.tierIndex[i] = tierOf(p, line.facts, `line ${line.lineId}`);
    cols.newBusiness[i] = line.facts.newBusiness ? 1 : 0;
    cols.exclusive[i] = line.facts.exclusive ? 1 : 0;
    cols.contextIndex[i] = ctx;
    cols.partnerIndex[i] = rows[at] as number;
    cols.orderDay[i] = dayNumber(line.orderDate);
    cols.quantity[i] = line.quantity ?? Number.NaN;
    cols.orderTotalMinor[i] = line.orderTotalMinor ?? Number.NaN;
  });
  const out = new Float64Array(Math.max(rowCount, 1) * width);
  prepareBatch(p, contexts, null).accrue(cols, out, multipliers);
  const componentIndex = new Map(p.components.map((c) => [c.info.code, c.info.index]));
  for (const at of slowIdx) {
    const line = all[at] as IncentiveLine;
    for (const proposal of accrueLine(p, line)) {
      const cell = (rows[at] as number) * width + (componentIndex.get(proposal.component) ?? 0);
      out[cell] = (out[cell] as number) + proposal.amountMinor;
      if (multipliers && proposal.multipliers.length > 0) multipliers[cell] = proposal.multiplier;
    }
  }
  return out;
}

/**
 * The period from scratch: accruals through the columnar batch path, then `settlePeriod`. Returns one
 * row per partner and component that has a non-zero amount, partners sorted by id, components in
 * stacking order. Equals, to the cent, the sum of `accrueLine` over the period's lines plus the
 * amounts of `settlePeriod` (the ledger's invariant).
 */
export function computePeriod(p: CompiledProgram, input: PeriodInput): ComponentTotal[] {
  const from = dayNumber(input.period.from);
  const to = dayNumber(input.period.to);
  const width = p.components.length;
  const partners = new Map<string, number>();
  const lines = input.lines.filter((l) => {
    const d = dayNumber(l.orderDate);
    return d >= from && d <= to;
  });
  const rows = new Uint32Array(lines.length);
  lines.forEach((line, i) => {
    let row = partners.get(line.partnerId);
    if (row === undefined) partners.set(line.partnerId, (row = partners.size));
    rows[i] = row;
  });
  const accrued = accrueInto(p, lines, rows, partners.size);

  const close = new Map<string, number>();
  for (const proposal of settlePeriod(p, input)) {
    const key = `${proposal.partnerId}\u0000${proposal.component}`;
    close.set(key, (close.get(key) ?? 0) + proposal.amountMinor);
  }
  const ids = new Set([...partners.keys(), ...[...close.keys()].map((k) => k.split('\u0000')[0] ?? '')]);
  const out: ComponentTotal[] = [];
  for (const partnerId of [...ids].sort()) {
    const row = partners.get(partnerId);
    for (const c of p.components) {
      const accruedMinor = row === undefined ? 0 : (accrued[row * width + c.info.index] as number);
      const closeMinor = close.get(`${partnerId}\u0000${c.info.code}`) ?? 0;
      if (accruedMinor === 0 && closeMinor === 0) continue;
      out.push({
        partnerId,
        component: c.info.code,
        accruedMinor,
        closeMinor,
        totalMinor: accruedMinor + closeMinor,
      });
    }
  }
  return out;
}
