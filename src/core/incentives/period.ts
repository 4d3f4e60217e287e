import { TrellisError } from '../shared/errors.js';
import { accrueLine, tierOf } from './accrual.js';
import { prepareBatch } from './batch.js';
import { settlePeriod } from './close.js';
import type { CompiledProgram } from './compile.js';
import { dayNumber, familyIndex } from './compile.js';
import type { ComponentTotal, LineContext, PeriodInput } from './types.js';

const CONTEXT_KEYS = [
  'channel',
  'registeredDeal',
  'licensing',
  'orderCountry',
  'orderRegion',
  'orderSegment',
  'customerCountry',
  'customerSegment',
  'partnerKind',
  'partnerStatus',
  'partnerZone',
  'partnerCountry',
  'partnerRegion',
  'deliversServices',
  'partnerGrowth',
] as const satisfies readonly (keyof LineContext)[];

/**
 * The period from scratch: accruals through the columnar batch path, then `settlePeriod`. Returns one
 * row per partner and component that has a non-zero amount, partners sorted by id, components in
 * stacking order. Equals, to the cent, the sum of `accrueLine` over the period's lines plus the
 * amounts of `settlePeriod` (the ledger's invariant).
 */
export function computePeriod(p: CompiledProgram, input: PeriodInput): ComponentTotal[] {
  const from = dayNumber(input.period.from);
  const to = dayNumber(input.period.to);
  const partners = new Map<string, number>();
  const contexts: LineContext[] = [];
  const contextIds = new Map<string, number>();
  const inPeriod = input.lines.filter((l) => {
    const d = dayNumber(l.orderDate);
    return d >= from && d <= to;
  });
  // Returns that carry clawback limits are accrued one by one (their amounts depend on the limits).
  const limited = inPeriod.filter((l) => l.clawbackLimitMinor != null && l.amountMinor < 0);
  const limitedSet = new Set(limited);
  const lines = limited.length === 0 ? inPeriod : inPeriod.filter((l) => !limitedSet.has(l));
  const n = lines.length;
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
  lines.forEach((line, i) => {
    if (!Number.isSafeInteger(line.amountMinor)) {
      throw new TrellisError('invalid_input', `line ${line.lineId}: amount is not an integer of minor units`);
    }
    let row = partners.get(line.partnerId);
    if (row === undefined) partners.set(line.partnerId, (row = partners.size));
    const context: Record<string, unknown> = {};
    for (const k of CONTEXT_KEYS) {
      const v = line.facts[k];
      if (v !== undefined && v !== null) context[k] = v;
    }
    const key = JSON.stringify(CONTEXT_KEYS.map((k) => context[k] ?? null));
    let ctx = contextIds.get(key);
    if (ctx === undefined) {
      contextIds.set(key, (ctx = contexts.length));
      contexts.push(context as LineContext);
    }
    cols.amountMinor[i] = line.amountMinor;
    cols.familyIndex[i] = familyIndex(line.family);
    cols.tierIndex[i] = tierOf(p, line.facts, `line ${line.lineId}`);
    cols.newBusiness[i] = line.facts.newBusiness ? 1 : 0;
    cols.exclusive[i] = line.facts.exclusive ? 1 : 0;
    cols.contextIndex[i] = ctx;
    cols.partnerIndex[i] = row;
    cols.orderDay[i] = dayNumber(line.orderDate);
    cols.quantity[i] = line.quantity ?? Number.NaN;
    cols.orderTotalMinor[i] = line.orderTotalMinor ?? Number.NaN;
  });
  const batch = prepareBatch(p, contexts, null);
  const width = batch.width;
  let accrued = new Float64Array(Math.max(partners.size, 1) * width);
  batch.accrue(cols, accrued);
  const componentIndex = new Map(p.components.map((c) => [c.info.code, c.info.index]));
  for (const line of limited) {
    let row = partners.get(line.partnerId);
    if (row === undefined) {
      partners.set(line.partnerId, (row = partners.size));
      const grown = new Float64Array(partners.size * width);
      grown.set(accrued.subarray(0, Math.min(accrued.length, grown.length)));
      accrued = grown;
    }
    for (const proposal of accrueLine(p, line)) {
      const cell = row * width + (componentIndex.get(proposal.component) ?? 0);
      accrued[cell] = (accrued[cell] as number) + proposal.amountMinor;
    }
  }

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
