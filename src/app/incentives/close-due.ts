import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { payoutDates, programPeriods } from '../../core/ledger/periods.js';
import { addDays } from '../../core/programs/dates.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import type { AppContext } from '../context.js';
import { closePeriod, type CloseResult } from './close-period.js';

/**
 * The payout calendar's daily run: every period of a published program whose close date (period end +
 * `closeAfterDays`, or the file's explicit date) has come within the last `catchUpDays` days and that was
 * never closed is closed now, oldest first. Older history (an imported past year) and periods already
 * closed are left to people: a re-close is an explicit act.
 */
export async function closeDuePeriods(
  ctx: AppContext,
  today: string,
  catchUpDays = 90,
  /** The shards of partners each close computes in (TRELLIS_CLOSE_SHARDS). */
  shards = ctx.settings.close.shards,
): Promise<CloseResult[]> {
  const earliest = addDays(today, -catchUpDays);
  const repo = settlementRepository(ctx.store.db);
  const versions = await repo.publishedVersionsBy(today);
  const results: CloseResult[] = [];
  for (const v of versions) {
    const program = JSON.parse(v.definition) as ProgramDefinition;
    const closed = new Set((await repo.closedPeriods(v.programId)).map((c) => c.period));
    for (const period of programPeriods(program)) {
      if (closed.has(period.code) || period.to >= today) continue;
      const { closeOn } = payoutDates(program, period);
      if (closeOn > today || closeOn < earliest) continue;
      results.push(
        await closePeriod(
          ctx,
          { actor: { kind: 'system', id: 'payout-calendar' }, scope: SYSTEM_SCOPE },
          { program: v.programId, period: period.code, shards },
        ),
      );
    }
  }
  return results;
}
