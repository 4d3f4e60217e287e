import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { demoSettlementPlan, type DemoSettlementStep } from '../../core/demo/index.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import type { Clock } from '../../core/shared/clock.js';
import { sequentialIds } from '../../core/shared/ids.js';
import { createContext, type AppContext } from '../context.js';
import { closePeriod } from '../incentives/close-period.js';
import { listStatements, transitionStatement } from '../incentives/statements.js';

export interface DemoSettlementSummary {
  /** The periods settled, oldest close date first. */
  periods: (DemoSettlementStep & {
    lines: number;
    statements: number;
    totalMinor: number;
    /** Time to close the period, and to issue, approve and pay its statements. */
    closeSeconds: number;
    statementSeconds: number;
  })[];
  /** Statements by status at the demo's date (paid, carried, approved = due on its pay date). */
  statements: Record<string, number>;
  seconds: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

function movableClock(start: number): Clock & { set(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), set: (ms) => (now = ms) };
}

/**
 * The payout calendar run up to the demo's date, through the use cases with the clock set on each date:
 * each period of the plan (core/demo/settlement-plan.ts) is closed on its close date, its statements
 * issued then and approved the next morning, and paid on its pay date when that has come; the others
 * stay approved, due on their pay date. Deterministic for a seed and date (own id namespace).
 */
export async function settleDemoPeriods(
  base: AppContext,
  options: {
    seed: number;
    /** The demo's instant: no step is dated after it. */
    now: Date;
    perProgram: number;
    /** Period codes also settled for every program that has them (see demoSettlementPlan). */
    storyPeriods?: readonly string[];
    onProgress?: (done: number, total: number) => void;
  },
): Promise<DemoSettlementSummary> {
  const started = performance.now();
  const today = options.now.toISOString().slice(0, 10);
  const nowMs = options.now.getTime();
  const versions = await base.repos.programs.publishedDefinitionsFrom(today);
  const plan = demoSettlementPlan(
    versions.map((v) => JSON.parse(v.definition) as ProgramDefinition),
    today,
    options.perProgram,
    options.storyPeriods ?? [],
  );
  const clock = movableClock(Date.parse(`${today}T00:00:00Z`));
  const ctx = createContext(base.store, { clock, ids: sequentialIds(`s${options.seed.toString(36)}`) });
  const who = { actor: { kind: 'system' as const, id: 'demo' }, scope: SYSTEM_SCOPE };
  // Each step at its hour of its day, never after the demo's instant.
  const at = (day: string, hours: number) =>
    clock.set(Math.min(nowMs, Date.parse(`${day}T00:00:00Z`) + hours * HOUR));
  const periods: DemoSettlementSummary['periods'] = [];
  for (const [i, step] of plan.entries()) {
    options.onProgress?.(i, plan.length);
    at(step.closeOn, 6);
    const t0 = performance.now();
    const close = await closePeriod(ctx, who, { program: step.program, period: step.period });
    const ids: string[] = [];
    for (let cursor: string | undefined, more = true; more;) {
      const page = await listStatements(
        ctx,
        SYSTEM_SCOPE,
        { program: step.program, period: step.period, status: 'draft' },
        { limit: 500, cursor, sort: 'createdAt', direction: 'asc' },
      );
      ids.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
      more = cursor !== undefined;
    }
    ids.sort();
    const t1 = performance.now();
    at(step.closeOn, 8);
    for (const id of ids) await transitionStatement(ctx, who, id, 'issue');
    clock.set(Math.min(nowMs, Date.parse(`${step.closeOn}T09:00:00Z`) + DAY));
    for (const id of ids) await transitionStatement(ctx, who, id, 'approve');
    if (step.pay) {
      at(step.payOn, 10);
      for (const id of ids)
        await transitionStatement(ctx, who, id, 'pay', { reference: `DEMO-${step.period}-${id.slice(-6)}` });
    }
    periods.push({
      ...step,
      lines: close.lines,
      statements: ids.length,
      totalMinor: close.totalMinor,
      closeSeconds: (t1 - t0) / 1000,
      statementSeconds: (performance.now() - t1) / 1000,
    });
  }
  options.onProgress?.(plan.length, plan.length);
  const statements: Record<string, number> = {};
  for (let cursor: string | undefined, more = true; more;) {
    const page = await listStatements(
      ctx,
      SYSTEM_SCOPE,
      {},
      { limit: 500, cursor, sort: 'createdAt', direction: 'asc' },
    );
    for (const s of page.items) statements[s.status] = (statements[s.status] ?? 0) + 1;
    cursor = page.nextCursor ?? undefined;
    more = cursor !== undefined;
  }
  return { periods, statements, seconds: (performance.now() - started) / 1000 };
}
