import type { RuleApplication } from '../ledger/postings.js';
import {
  message,
  money,
  optional,
  renderEnglish,
  type Message,
  type MessageValue,
} from '../messages/message.js';
import { PPM_ONE, type Ppm } from '../money/rate.js';
import type { IncentiveEngine } from './engine.js';
import type { CloseProposal, IncentiveLine, PartnerPeriodFacts, Period } from './types.js';

/**
 * The period plan (issue 13): what a period owes and what to post for it, computed once, purely, from the
 * facts the caller loaded. The close applies it (postings and close items in the ledger), its dry run and
 * a partner's projected earnings report it, and a simulation runs it on a draft program with nothing held.
 *
 * - **Accruals** per line and component, through the engine's columnar path (`accrueLines`).
 * - **Close items** per partner (cross-sell, growth, close components, minimums, caps): `settlePeriod`.
 * - **True-ups**: what is due now minus what the ledger holds, per order line and component (one posting
 *   each, with the rule it applies) and per partner and component for close items. A period whose facts
 *   did not change plans nothing; a caller that knows the ledger holds what is due (`held: 'due'`) has the
 *   plan compare nothing.
 * - **Totals** per partner and component, and a summary per component: the batch computation the ledger
 *   must equal after the close (the reconciliation).
 *
 * `planTotals` is the part of the plan that needs no ledger: accruals, close proposals and totals (what a
 * simulation compares). `planPeriod` runs it and adds the true-ups against what the ledger holds.
 */

/** What the ledger holds from the engine's own transactions, as the partner sees it (credits positive). */
export interface HeldAmount {
  readonly partnerId: string;
  /** The order line, or null for a close item of the partner. */
  readonly lineId: string | null;
  readonly component: string;
  readonly amountMinor: number;
}

export interface PeriodPlanInput {
  readonly period: Period;
  /** The period's lines with their final facts (returns carrying their clawback limits). */
  readonly lines: readonly IncentiveLine[];
  readonly partners: readonly PartnerPeriodFacts[];
  /**
   * What the ledger holds for the period (nothing for a simulation), or `'due'` when the caller knows it
   * holds exactly what is due (a re-close that found nothing changed: see the close's fingerprint), so
   * that the plan posts nothing and compares no line.
   */
  readonly held: readonly HeldAmount[] | 'due';
}

/** What each line earns per component (the engine's columnar batch), row i = lines[i]. */
export interface LineAccruals {
  /** Components per line, in engine order (`codes`). */
  readonly width: number;
  readonly codes: readonly string[];
  /** amounts[i * width + c]: what lines[i] earns for codes[c]. */
  readonly amounts: ArrayLike<number>;
  /**
   * When asked for (`planTotals` with `multipliers`): multipliers[i * width + c], the payout multiplier
   * (ppm) lines[i] earns codes[c] at, 0 when no payout multiplier applies to it.
   */
  readonly multipliers?: ArrayLike<number> | undefined;
}

/** A line difference to post: one posting of the rule the line earns by now. */
export interface PlannedPosting {
  readonly partnerId: string;
  readonly lineId: string;
  readonly baseMinor: number;
  /** The difference posted (due - held). */
  readonly amountMinor: number;
  /** What the line earns for the component after the posting. */
  readonly dueMinor: number;
  readonly application: RuleApplication;
}

/** A close item difference to post, per partner and component, with its explanation (JSON text). */
export interface PlannedCloseItem {
  readonly partnerId: string;
  readonly component: string;
  readonly ruleId: string;
  readonly ruleVersion: string;
  readonly baseMinor: number;
  readonly rate: Ppm;
  readonly effectiveRate: Ppm;
  readonly tier: string;
  readonly multiplier: Ppm;
  readonly budgetPool: string | null;
  readonly explanation: string;
  readonly amountMinor: number;
}

export interface PartnerComponentTotal {
  readonly partnerId: string;
  readonly component: string;
  readonly accruedMinor: number;
  readonly closeMinor: number;
  readonly totalMinor: number;
}

export interface ComponentSummary {
  component: string;
  /** What the period earns after the close: per-line accruals and close items (minor units). */
  lineMinor: number;
  closeMinor: number;
  totalMinor: number;
  /** What the plan posts for it (the difference it found). */
  trueUpMinor: number;
}

/** What the period earns, before any comparison with the ledger (`planTotals`). */
export interface PeriodTotals {
  /** What each line earns per component (what the ledger holds per line after the close). */
  readonly accruals: LineAccruals;
  /** Close items as the engine proposes them (non-zero ones), for projections. */
  readonly proposals: readonly CloseProposal[];
  /** The batch computation: per partner and component, what the period earns. */
  readonly totals: readonly PartnerComponentTotal[];
  /** What partners earn in the period. */
  readonly totalMinor: number;
}

export interface PeriodPlan extends PeriodTotals {
  /** Line differences, by partner, then line, then component. */
  readonly postings: readonly PlannedPosting[];
  /** Close item differences, by partner, then component. */
  readonly closeItems: readonly PlannedCloseItem[];
  /** Per component in stacking order (components the engine does not know last). */
  readonly components: readonly ComponentSummary[];
  /** Partners with lines, holdings or close items. */
  readonly partners: ReadonlySet<string>;
  /** Net amount the differences move to partners. */
  readonly netMinor: number;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What a close proposal says: its message, or its English text when it has none. */
function said(p: CloseProposal): MessageValue {
  return p.explanation.message ? { message: p.explanation.message } : p.explanation.text;
}

/**
 * The rule applications of lines (`engine.ruleApplications`), worked out once per `applicationKey`: lines
 * with equal keys get equal applications.
 */
function ruleApplicationsOf(engine: IncentiveEngine): (line: IncentiveLine) => readonly RuleApplication[] {
  const applications = new Map<string, RuleApplication[]>();
  return (line) => {
    const key = engine.applicationKey(line);
    let list = key === null ? undefined : applications.get(key);
    if (!list) {
      list = engine.ruleApplications(line);
      if (key !== null) applications.set(key, list);
    }
    return list;
  };
}

/**
 * What the period earns, with no ledger: accruals per line and component, close proposals, and the
 * totals per partner and component (the part of `planPeriod` a simulation needs; `planPeriod` runs it).
 */
export function planTotals(
  engine: IncentiveEngine,
  input: Pick<PeriodPlanInput, 'period' | 'lines' | 'partners'>,
  options?: { readonly multipliers?: boolean },
): PeriodTotals {
  const { period, lines } = input;
  const { width, amounts, multipliers } = engine.accrueLines(lines, options);
  const codes = engine.components.map((c) => c.code);
  const proposals = engine
    .settlePeriod({ period, lines, partners: input.partners })
    .filter((p) => p.amountMinor !== 0);

  // --- the batch computation: per partner and component ---
  // Accruals summed per partner in a row of components first (integers: exact below 2^53).
  const accruedOf = new Map<string, Float64Array>();
  lines.forEach((line, i) => {
    let row = accruedOf.get(line.partnerId);
    if (!row) accruedOf.set(line.partnerId, (row = new Float64Array(width)));
    for (let c = 0; c < width; c++) row[c] = (row[c] as number) + (amounts[i * width + c] as number);
  });
  const totals = partnerComponentTotals(codes, accruedOf, proposals);
  return {
    accruals: { width, codes, amounts, multipliers },
    proposals,
    totals,
    totalMinor: totals.reduce((s, t) => s + t.totalMinor, 0),
  };
}

/**
 * Each partner's totals per component, from its accruals (a row of amounts by component index, in `codes`'
 * order) and the close proposals: partners in the rows' order, then the proposals' new keys in their
 * order; a total that is zero in every part is left out. The one summing of a period's earnings, whether
 * its lines come as objects (planTotals) or columns (period-columns.ts).
 */
export function partnerComponentTotals(
  codes: readonly string[],
  accrued: Iterable<readonly [string, ArrayLike<number>]>,
  proposals: readonly CloseProposal[],
): PartnerComponentTotal[] {
  type Total = { partnerId: string; component: string; accruedMinor: number; closeMinor: number };
  // In order of first appearance; found by partner, then component.
  const order: Total[] = [];
  const ofPartner = new Map<string, Map<string, Total>>();
  let last: { partnerId: string; totals: Map<string, Total> } | null = null;
  const total = (partnerId: string, component: string): Total => {
    if (last?.partnerId !== partnerId) {
      let totals = ofPartner.get(partnerId);
      if (!totals) ofPartner.set(partnerId, (totals = new Map()));
      last = { partnerId, totals };
    }
    let t = last.totals.get(component);
    if (!t) {
      last.totals.set(component, (t = { partnerId, component, accruedMinor: 0, closeMinor: 0 }));
      order.push(t);
    }
    return t;
  };
  for (const [partnerId, row] of accrued)
    for (let c = 0; c < codes.length; c++)
      if (row[c] !== 0) total(partnerId, codes[c] as string).accruedMinor += row[c] as number;
  for (const p of proposals) total(p.partnerId, p.component).closeMinor += p.amountMinor;
  const out: PartnerComponentTotal[] = [];
  for (const t of order) {
    const totalMinor = t.accruedMinor + t.closeMinor;
    if (totalMinor !== 0 || t.accruedMinor !== 0 || t.closeMinor !== 0)
      out.push({
        partnerId: t.partnerId,
        component: t.component,
        accruedMinor: t.accruedMinor,
        closeMinor: t.closeMinor,
        totalMinor,
      });
  }
  return out;
}

/** The period plan: see the module comment. */
export function planPeriod(engine: IncentiveEngine, input: PeriodPlanInput): PeriodPlan {
  const { period, lines } = input;
  const earned = planTotals(engine, input);
  const { width, codes, amounts } = earned.accruals;
  const componentIndex = new Map(codes.map((c, i) => [c, i]));
  const info = new Map(engine.components.map((c) => [c.code, c]));
  const partners = new Set<string>();
  for (const l of lines) partners.add(l.partnerId);

  // --- what the ledger holds: per line (by component index), per partner for close items ---
  const heldOfLine = new Map<string, { partnerId: string; byIndex: number[]; other: Map<string, number> }>();
  const heldClose = new Map<string, number>();
  const heldRows = input.held === 'due' ? [] : input.held;
  const heldIsDue = input.held === 'due';
  for (const h of heldRows) {
    partners.add(h.partnerId);
    if (h.lineId === null) {
      const key = `${h.partnerId}\u0000${h.component}`;
      heldClose.set(key, (heldClose.get(key) ?? 0) + h.amountMinor);
      continue;
    }
    let held = heldOfLine.get(h.lineId);
    if (!held)
      heldOfLine.set(
        h.lineId,
        (held = { partnerId: h.partnerId, byIndex: new Array<number>(width).fill(0), other: new Map() }),
      );
    const c = componentIndex.get(h.component);
    if (c === undefined) held.other.set(h.component, (held.other.get(h.component) ?? 0) + h.amountMinor);
    else held.byIndex[c] = (held.byIndex[c] as number) + h.amountMinor;
  }

  // --- line true-ups: due now minus held, per line and component ---
  const applications = ruleApplicationsOf(engine);
  // The line whose applications were last looked up: a line's postings come one after another.
  let lastLine: IncentiveLine | null = null;
  let lastApplications: readonly RuleApplication[] = [];
  const applicationOf = (line: IncentiveLine, component: string): RuleApplication | undefined => {
    if (line !== lastLine) {
      lastApplications = applications(line);
      lastLine = line;
    }
    return lastApplications.find((a) => a.component === component);
  };
  const reversal = (component: string, tier: string): RuleApplication => {
    const c = info.get(component);
    return {
      component,
      kind: c?.kind ?? 'base-rebate',
      ruleId: `${engine.programCode}/${component}`,
      ruleVersion: engine.ruleVersion,
      tier,
      rate: 0,
      multiplier: PPM_ONE,
      multipliers: [],
      effectiveRate: 0,
      budgetPool: c?.budgetPool ?? null,
    };
  };
  const postings: PlannedPosting[] = [];
  const trueUpOf = new Map<string, number>();
  const noteTrueUp = (component: string, diff: number) =>
    trueUpOf.set(component, (trueUpOf.get(component) ?? 0) + diff);
  const post = (
    line: IncentiveLine | undefined,
    partnerId: string,
    lineId: string,
    component: string,
    due: number,
    held: number,
  ) => {
    if (due === held) return;
    const diff = due - held;
    noteTrueUp(component, diff);
    postings.push({
      partnerId,
      lineId,
      baseMinor: line?.amountMinor ?? 0,
      amountMinor: diff,
      dueMinor: due,
      // What the line earns now; a reversal (nothing due any more) names the component at no rate.
      application:
        (due !== 0 && line ? applicationOf(line, component) : undefined) ??
        reversal(component, line?.facts.tier ?? ''),
    });
  };
  // Components in code order, so that a line's postings come out in (line, component) order.
  const codeOrder = codes.map((_, c) => c).sort((a, b) => byString(codes[a] as string, codes[b] as string));
  const seen = new Set<string>();
  if (!heldIsDue)
    lines.forEach((line, i) => {
      seen.add(line.lineId);
      const held = heldOfLine.get(line.lineId);
      for (const c of codeOrder)
        post(
          line,
          line.partnerId,
          line.lineId,
          codes[c] as string,
          amounts[i * width + c] as number,
          held?.byIndex[c] ?? 0,
        );
      if (held)
        for (const [component, h] of held.other) post(line, line.partnerId, line.lineId, component, 0, h);
    });
  // Lines the ledger holds that the period no longer has (nothing is due on them any more).
  let inOrder = true;
  for (const [lineId, held] of heldOfLine) {
    if (seen.has(lineId)) continue;
    inOrder = false;
    for (const c of codeOrder)
      post(undefined, held.partnerId, lineId, codes[c] as string, 0, held.byIndex[c] as number);
    for (const [component, h] of held.other) post(undefined, held.partnerId, lineId, component, 0, h);
  }
  const byLine = (a: PlannedPosting, b: PlannedPosting) =>
    byString(a.lineId, b.lineId) || byString(a.application.component, b.application.component);
  for (let i = 1; inOrder && i < postings.length; i++)
    if (byLine(postings[i - 1] as PlannedPosting, postings[i] as PlannedPosting) > 0) inOrder = false;
  // By partner (a stable partition of line order when the lines came sorted, else a sort).
  if (inOrder) {
    const ofPartner = new Map<string, PlannedPosting[]>();
    for (const p of postings) {
      const list = ofPartner.get(p.partnerId);
      if (list) list.push(p);
      else ofPartner.set(p.partnerId, [p]);
    }
    postings.length = 0;
    for (const partnerId of [...ofPartner.keys()].sort(byString))
      for (const p of ofPartner.get(partnerId) as PlannedPosting[]) postings.push(p);
  } else postings.sort((a, b) => byString(a.partnerId, b.partnerId) || byLine(a, b));

  // --- close items: proposals minus held, per partner and component ---
  const { proposals, totals } = earned;
  const proposalsOf = new Map<string, CloseProposal[]>();
  for (const p of proposals) {
    partners.add(p.partnerId);
    const key = `${p.partnerId}\u0000${p.component}`;
    const list = proposalsOf.get(key);
    if (list) list.push(p);
    else proposalsOf.set(key, [p]);
  }
  const closeItems: PlannedCloseItem[] = [];
  for (const key of [...new Set([...proposalsOf.keys(), ...heldClose.keys()])].sort(byString)) {
    const [partnerId = '', component = ''] = key.split('\u0000');
    const list = proposalsOf.get(key) ?? [];
    const expected = list.reduce((s, p) => s + p.amountMinor, 0);
    const held = heldClose.get(key) ?? 0;
    if (heldIsDue || expected === held) continue;
    const diff = expected - held;
    noteTrueUp(component, diff);
    const item = (p: CloseProposal | undefined, amountMinor: number, said: Message): PlannedCloseItem => ({
      partnerId,
      component,
      ruleId: p?.ruleId ?? `${engine.programCode}/${component}`,
      ruleVersion: p?.ruleVersion ?? engine.ruleVersion,
      baseMinor: p?.baseMinor ?? 0,
      rate: p?.rate ?? 0,
      effectiveRate: p?.effectiveRate ?? 0,
      tier: p?.tier ?? '',
      multiplier: p?.multiplier ?? PPM_ONE,
      budgetPool: p?.budgetPool ?? info.get(component)?.budgetPool ?? null,
      explanation: JSON.stringify({
        text: renderEnglish(said),
        message: said,
        condition: p?.explanation.condition ?? [],
        type: p?.type ?? 'component',
        capped: p?.capped ?? null,
        trueUp: { heldMinor: held, expectedMinor: expected },
      }),
      amountMinor,
    });
    if (held === 0) {
      for (const p of list)
        closeItems.push(
          item(p, p.amountMinor, message('close.closeOf', { period: period.code, then: said(p) })),
        );
    } else {
      const p = list[0];
      closeItems.push(
        item(
          p,
          diff,
          message('close.reclose', {
            period: period.code,
            held: money(held, engine.currency),
            component,
            expected: money(expected, engine.currency),
            diff: money(diff, engine.currency),
            then: optional(p ? message('close.then', { then: said(p) }) : null),
          }),
        ),
      );
    }
  }

  const { components, netMinor } = summarizeComponents(codes, totals, trueUpOf);
  return { ...earned, postings, closeItems, components, partners, netMinor };
}

/**
 * What a period plan says per component (lines, close items, totals, true-ups), in the program's component
 * order, and the net amount the true-ups move: from each partner's totals and the true-up per component.
 * The one summary of a plan, whether planned at once or merged from shards of partners (shards.ts).
 */
export function summarizeComponents(
  codes: readonly string[],
  totals: readonly { component: string; accruedMinor: number; closeMinor: number; totalMinor: number }[],
  trueUpOf: ReadonlyMap<string, number>,
): { components: ComponentSummary[]; netMinor: number } {
  const summary = new Map<string, ComponentSummary>();
  const summaryOf = (component: string) => {
    let s = summary.get(component);
    if (!s)
      summary.set(component, (s = { component, lineMinor: 0, closeMinor: 0, totalMinor: 0, trueUpMinor: 0 }));
    return s;
  };
  for (const t of totals) {
    const s = summaryOf(t.component);
    s.lineMinor += t.accruedMinor;
    s.closeMinor += t.closeMinor;
    s.totalMinor += t.totalMinor;
  }
  for (const [component, diff] of trueUpOf) summaryOf(component).trueUpMinor += diff;
  const componentIndex = new Map(codes.map((c, i) => [c, i]));
  const rank = (c: string) => componentIndex.get(c) ?? codes.length;
  const components = [...summary.values()].sort(
    (a, b) => rank(a.component) - rank(b.component) || byString(a.component, b.component),
  );
  let netMinor = 0;
  for (const d of trueUpOf.values()) netMinor += d;
  return { components, netMinor };
}
