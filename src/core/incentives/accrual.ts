import { formatMoney } from '../money/money.js';
import { applyRate } from '../money/rate.js';
import { TrellisError } from '../shared/errors.js';
import type { AppliedComponent, CompiledProgram } from './compile.js';
import { conditionFacts, dayNumber, describeRate, evaluateLine, familyIndex } from './compile.js';
import type { AccrualProposal, IncentiveLine, LineFacts } from './types.js';
import type { RuleApplication } from '../ledger/postings.js';

export function tierOf(p: CompiledProgram, facts: LineFacts, where: string): number {
  const t = p.tierIndex.get(facts.tier);
  if (t === undefined) {
    throw new TrellisError(
      'invalid_input',
      `${where}: unknown tier "${facts.tier}"; expected one of ${p.tiers.join(', ')}`,
    );
  }
  return t;
}

/** The line-based components that apply to a line (both settlements), with the facts they were read from. */
export function applyToLine(p: CompiledProgram, line: IncentiveLine) {
  const cf = conditionFacts(p.currency, line.facts, line);
  const tier = tierOf(p, line.facts, `line ${line.lineId}`);
  const applied = evaluateLine(p, dayNumber(line.orderDate), familyIndex(line.family), tier, line.facts, cf);
  // The tier the line was evaluated at (its facts'): a close groups its line-based components by it.
  return { applied, cf, tier: line.facts.tier };
}

/**
 * What a line accrues for a component: applyRate once, then, on a return that carries clawback limits,
 * never more negative than the limit (only what was paid is clawed back).
 */
export function limitedAmount(
  line: Pick<IncentiveLine, 'clawbackLimitMinor'>,
  component: string,
  amountMinor: number,
): number {
  const limits = line.clawbackLimitMinor;
  if (limits == null || amountMinor >= 0) return amountMinor;
  const limit = Math.max(0, limits[component] ?? 0);
  return amountMinor < -limit ? -limit : amountMinor;
}

/**
 * What a line accrues under one rule application (its effective rate), within the line's clawback limits:
 * the amount `accrueLine` proposes for that component. The bulk import computes amounts from rule
 * applications cached per `applicationKey` with it.
 */
export function applicationAmount(
  line: Pick<IncentiveLine, 'amountMinor' | 'clawbackLimitMinor'>,
  a: Pick<RuleApplication, 'component' | 'effectiveRate'>,
): number {
  return limitedAmount(line, a.component, applyRate(line.amountMinor, a.effectiveRate));
}

/**
 * The accruals of one line ("settlement: accrual" components), in stacking order. One proposal per
 * component that applies; amount = applyRate(amount, effectiveRate), rounded half-even once. A line of
 * amount 0 proposes nothing. A return (negative amount) proposes the same rules with negative amounts.
 */
export function accrueLine(p: CompiledProgram, line: IncentiveLine): AccrualProposal[] {
  if (line.amountMinor === 0) return [];
  const { applied, cf } = applyToLine(p, line);
  const out: AccrualProposal[] = [];
  for (const a of applied) {
    if (a.component.info.settlement !== 'accrual') continue;
    out.push(accrualProposal(p, line, a, cf));
  }
  return out;
}

/**
 * The rules a line's accrual components apply, without amounts or sentences (what the ledger keeps of a
 * rule application): the same evaluation as `accrueLine`, in stacking order.
 */
export function lineApplications(p: CompiledProgram, line: IncentiveLine): RuleApplication[] {
  if (line.amountMinor === 0) return [];
  const { applied } = applyToLine(p, line);
  const out: RuleApplication[] = [];
  for (const a of applied) {
    const c = a.component;
    if (c.info.settlement !== 'accrual') continue;
    out.push({
      component: c.info.code,
      kind: c.info.kind,
      ruleId: `${p.program.code}/${c.info.code}`,
      ruleVersion: p.ruleVersion,
      tier: line.facts.tier,
      rate: a.rate,
      multiplier: a.multiplier.multiplier,
      multipliers: a.multiplier.codes,
      effectiveRate: a.effectiveRate,
      budgetPool: c.info.budgetPool,
    });
  }
  return out;
}

/**
 * What decides a line's rule applications besides its amount: lines with equal keys get equal
 * applications (family, tier, new business, exclusivity, order day and the context facts some condition
 * reads). Null when conditions read amounts (then every line is its own case).
 */
export function applicationKey(p: CompiledProgram, line: IncentiveLine): string | null {
  if (p.dynamic) return null;
  let key = `${line.family}|${line.facts.tier}|${line.facts.newBusiness ? 1 : 0}|${line.facts.exclusive ? 1 : 0}|${line.orderDate}|${line.amountMinor < 0 ? '-' : '+'}`;
  for (const k of p.contextKeys) key += `|${String(line.facts[k] ?? '')}`;
  return key;
}

function accrualProposal(
  p: CompiledProgram,
  line: IncentiveLine,
  a: AppliedComponent,
  cf: ReturnType<typeof conditionFacts>,
): AccrualProposal {
  const c = a.component;
  const computed = applyRate(line.amountMinor, a.effectiveRate);
  const amountMinor = limitedAmount(line, c.info.code, computed);
  const what = line.amountMinor < 0 ? 'return' : 'line';
  const limited =
    amountMinor === computed
      ? ''
      : ` Clawback limited to ${formatMoney({ amountMinor: -amountMinor, currency: p.currency })}, what was paid and not yet clawed back for the returned line (computed ${formatMoney({ amountMinor: computed, currency: p.currency })}).`;
  const detail =
    c.lineKind === 'base-rebate'
      ? `${line.facts.tier}, ${line.family}`
      : c.lineKind === 'deal-registration'
        ? `${line.family}; registration approved and protecting this customer`
        : line.family;
  const beat =
    a.beat.length === 0 ? '' : `; best of group ${c.info.exclusiveGroup} over ${a.beat.join(', ')}`;
  const text =
    `${c.info.name}: ${describeRate(p.currency, line.amountMinor, a.rate, a.multiplier, detail)}` +
    ` = ${formatMoney({ amountMinor, currency: p.currency })} on ${what} ${line.lineId} of ${line.orderDate}${beat}.${limited}`;
  return {
    component: c.info.code,
    kind: c.info.kind,
    ruleId: `${p.program.code}/${c.info.code}`,
    ruleVersion: p.ruleVersion,
    partnerId: line.partnerId,
    budgetPool: c.info.budgetPool,
    baseMinor: line.amountMinor,
    rate: a.rate,
    tier: line.facts.tier,
    multiplier: a.multiplier.multiplier,
    multipliers: a.multiplier.codes,
    effectiveRate: a.effectiveRate,
    amountMinor,
    explanation: { text, condition: c.hasCondition ? c.condition.explain(cf).leaves : [] },
    lineId: line.lineId,
    orderDate: line.orderDate,
    family: line.family,
  };
}
