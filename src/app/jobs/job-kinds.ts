import { createReadStream } from 'node:fs';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { TrellisError } from '../../core/shared/errors.js';
import type { AppContext } from '../context.js';
import { closeDuePeriods } from '../incentives/close-due.js';
import { closePeriod } from '../incentives/close-period.js';
import { isConcurrencyError } from '../../db/concurrency.js';
import { importOrders, problemDetails, rejectsHeader, rejectsLine } from '../orders/import-orders.js';
import { evaluateAllPrograms } from '../tiers/evaluate-all.js';
import { evaluateProgramTiers } from '../tiers/evaluate-program.js';
import { recordAudit } from '../access/audit.js';
import { rebuildCoverage } from '../engagement/rebuild.js';
import { mergePrograms, type MergeInput } from '../transfers/merge.js';
import { splitPartnerBase, type SplitInput } from '../transfers/split.js';
import { simulate, type SimulateInput } from '../simulation/simulate.js';
import { runStatementBulk, type BulkSelection } from '../incentives/bulk-statements.js';
import type { StatementAction } from '../../core/ledger/settlement.js';
import { runMdfExpiry, type MdfExpiryInput } from '../mdf/expiry.js';
import { importRateFile } from '../currencies/rates.js';
import { importDeals } from '../deals/import-deals.js';
import type { DealActor } from '../deals/deal-events.js';

export const JOB_KINDS = [
  'close',
  'import-orders',
  'evaluation',
  'daily',
  'coverage-rebuild',
  'program-transfer',
  'simulate',
  'statements-bulk',
  'mdf-expiry',
  'import-rates',
  'import-deals',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface JobInputs {
  close: { program: string; period: string; dryRun: boolean; shards?: number | undefined };
  'import-orders': {
    /** The spooled upload (a temporary file, removed when the job ends). */
    file: string;
    totalBytes: number;
    vendor?: string | undefined;
    allowPartial: boolean;
    dryRun: boolean;
  };
  evaluation: { program: string; asOf: string; audit: boolean };
  /** The scheduler's daily run in `trellis serve`: every program's tier evaluation, then due closes. */
  daily: { asOf: string; closeShards?: number | undefined };
  /** Who sold to whom and every account's coverage recomputed from the vendor's stored orders. */
  'coverage-rebuild': { vendorId: string };
  /** A split of a partner base into another vendor's program, or a merge of legacy programs. */
  'program-transfer': ({ kind: 'split' } & SplitInput) | ({ kind: 'merge' } & MergeInput);
  /** A simulation of a draft program; the job records it (running) under the id the request answered. */
  simulate: { simulationId: string } & SimulateInput;
  /** Issue, approve or pay many statements (a selection or a program and period), each conditionally. */
  'statements-bulk': {
    action: StatementAction;
    selection: BulkSelection;
    reference?: string | undefined;
    confirm?: string | undefined;
  };
  /** Lapse MDF activities past their claim deadline and post the earned funds expired unused. */
  'mdf-expiry': MdfExpiryInput;
  /** An exchange-rate file (docs/currencies.md), loaded all or nothing. */
  'import-rates': {
    /** The spooled upload (a temporary file, removed when the job ends). */
    file: string;
    totalBytes: number;
    name: string;
    base?: string | undefined;
    currencies?: string[] | undefined;
    replace: boolean;
    dryRun: boolean;
  };
  /** A partner's registrations from a CRM export (docs/csv-formats.md), all or nothing, in file order. */
  'import-deals': {
    /** The spooled upload (a temporary file, removed when the job ends). */
    file: string;
    totalBytes: number;
    program?: string | undefined;
    submit: boolean;
    dryRun: boolean;
  };
}

/** Who started a job, as plain data (it crosses to a worker thread). */
export interface JobStarter {
  actor: Actor | { kind: 'system'; id: string };
  scope: Scope;
  requestId: string | null;
  /** The job's own id (set by the runner). */
  jobId?: string | undefined;
}

export interface JobProgress {
  phase(name: string, total: number): void;
  update(done: number): void;
}

/** Runs a job's use case (on a worker thread or in process) and returns its result as plain data. */
export async function runJobWork<K extends JobKind>(
  ctx: AppContext,
  who: JobStarter,
  kind: K,
  input: JobInputs[K],
  progress: JobProgress,
): Promise<unknown> {
  try {
    return await jobWork(ctx, who, kind, input, progress);
  } catch (e) {
    // A job that lost a race to a concurrent request (a serialization failure, a deadlock, a unique key)
    // fails with the 409 the request answered before jobs (the HTTP error handler's rule), never as an
    // internal error (500): the store's error class does not survive the worker thread, so it is mapped
    // here, on both paths.
    if (isConcurrencyError(e))
      throw new TrellisError(
        'conflict',
        'another request changed the same records at the same time; read them again and retry',
      );
    throw e;
  }
}

async function jobWork<K extends JobKind>(
  ctx: AppContext,
  who: JobStarter,
  kind: K,
  input: JobInputs[K],
  progress: JobProgress,
): Promise<unknown> {
  switch (kind) {
    case 'coverage-rebuild': {
      const i = input as JobInputs['coverage-rebuild'];
      progress.phase('rebuilding coverage', 1);
      const result = await rebuildCoverage(ctx, i.vendorId);
      progress.update(1);
      await recordAudit(ctx.store.db, ctx, {
        actor: who.actor,
        action: 'coverage.rebuild',
        target: { type: 'coverage', id: null, vendorId: i.vendorId, partnerId: null },
        after: result,
        requestId: who.requestId,
      });
      return result;
    }
    case 'program-transfer': {
      const i = input as JobInputs['program-transfer'];
      const caller = {
        actor: who.actor,
        scope: who.scope,
        requestId: who.requestId,
        jobId: who.jobId,
        progress,
      };
      const { kind: _kind, ...rest } = i;
      return i.kind === 'split'
        ? splitPartnerBase(ctx, caller, rest as SplitInput)
        : mergePrograms(ctx, caller, rest as MergeInput);
    }
    case 'simulate': {
      const { simulationId, ...i } = input as JobInputs['simulate'];
      return simulate(
        ctx,
        { actor: who.actor, scope: who.scope, jobId: who.jobId },
        i,
        progress,
        simulationId,
      );
    }
    case 'statements-bulk': {
      const i = input as JobInputs['statements-bulk'];
      return runStatementBulk(
        ctx,
        { actor: who.actor, scope: who.scope, requestId: who.requestId },
        i.action,
        i.selection,
        { reference: i.reference, confirm: i.confirm, progress },
      );
    }
    case 'mdf-expiry':
      return runMdfExpiry(
        ctx,
        { actor: who.actor, scope: who.scope, requestId: who.requestId },
        input as JobInputs['mdf-expiry'],
        progress,
      );
    case 'close': {
      const i = input as JobInputs['close'];
      return closePeriod(
        ctx,
        { actor: who.actor, scope: who.scope },
        { ...i, requestId: who.requestId, progress },
      );
    }
    case 'import-orders': {
      const i = input as JobInputs['import-orders'];
      let rejected: string[] = [];
      let header: readonly string[] = [];
      progress.phase('importing', i.totalBytes);
      // Two uploads of the same orders at once: the loser of an order's unique key runs again from the
      // spooled file, and finds the winner's orders as replays (re-importing changes nothing).
      const run = () => {
        rejected = [];
        return importOrders(
          ctx,
          { actor: who.actor as Actor, scope: who.scope, requestId: who.requestId },
          createReadStream(i.file, { highWaterMark: 1 << 20 }),
          {
            vendor: i.vendor,
            allowPartial: i.allowPartial,
            dryRun: i.dryRun,
            name: 'upload',
            totalBytes: i.totalBytes,
            onProgress: (bytes) => progress.update(bytes),
            onHeader: (names) => {
              header = names;
            },
            onReject: (row) => rejected.push(rejectsLine(row)),
          },
        );
      };
      const outcome = await againOnRace(run);
      if (!outcome.ok)
        throw new TrellisError(
          'invalid_input',
          `${outcome.message}${outcome.problemCount > outcome.problems.length ? ` (the first ${outcome.problems.length} of ${outcome.problemCount} problems are listed)` : ''}`,
          problemDetails(outcome.problems),
        );
      progress.update(i.totalBytes);
      const { header: _header, ...summary } = outcome.summary;
      return {
        ...summary,
        rejected: {
          errors: problemDetails(outcome.problems),
          problemCount: outcome.problemCount,
          csv: rejected.length > 0 ? rejectsHeader(header) + rejected.join('') : '',
        },
      };
    }
    case 'import-deals': {
      const i = input as JobInputs['import-deals'];
      progress.phase('importing registrations', i.totalBytes);
      // Two uploads of one export at once: the loser of a reference's unique key runs again from the
      // spooled file and finds the winner's registration already there (re-importing changes nothing).
      const outcome = await againOnRace(() =>
        importDeals(
          ctx,
          { actor: who.actor as DealActor, scope: who.scope },
          createReadStream(i.file, { highWaterMark: 1 << 20 }),
          {
            name: 'the file',
            program: i.program,
            submit: i.submit,
            dryRun: i.dryRun,
            requestId: who.requestId,
          },
        ),
      );
      if (!outcome.ok)
        throw new TrellisError('invalid_input', outcome.message, problemDetails(outcome.problems));
      progress.update(i.totalBytes);
      return outcome.summary;
    }
    case 'import-rates': {
      const i = input as JobInputs['import-rates'];
      progress.phase('importing rates', i.totalBytes);
      // Two uploads at once: the loser of a rate's unique key runs again and finds the winner's rates.
      const outcome = await againOnRace(() =>
        importRateFile(ctx, who, createReadStream(i.file, { highWaterMark: 1 << 20 }), {
          name: i.name,
          base: i.base,
          currencies: i.currencies,
          replace: i.replace,
          dryRun: i.dryRun,
        }),
      );
      if (!outcome.ok)
        throw new TrellisError(
          outcome.status === 409 ? 'conflict' : 'invalid_input',
          outcome.message,
          outcome.problems,
        );
      progress.update(i.totalBytes);
      return outcome.summary;
    }
    case 'evaluation': {
      const i = input as JobInputs['evaluation'];
      progress.phase('evaluating', 1);
      const summary = await evaluateProgramTiers(
        ctx,
        { actor: who.actor, scope: who.scope },
        { ...i, ...(who.requestId ? { requestId: who.requestId } : {}) },
      );
      progress.update(1);
      return summary;
    }
    case 'daily': {
      const i = input as JobInputs['daily'];
      progress.phase('evaluating tiers', 1);
      const evaluations = await evaluateAllPrograms(ctx, i.asOf);
      progress.update(1);
      progress.phase('closing due periods', 1);
      const closes = await closeDuePeriods(ctx, i.asOf, 90, i.closeShards ?? 1);
      progress.update(1);
      return {
        asOf: i.asOf,
        evaluations: evaluations.map((r) => ({
          program: r.program.code,
          upgrades: r.upgrades,
          downgrades: r.downgrades,
          started: r.started,
        })),
        closes: closes.map((c) => ({ program: c.program, period: c.period, closeId: c.closeId })),
      };
    }
  }
  throw new Error(`unknown job kind ${String(kind)}`);
}

/**
 * Runs an import again when it lost a race to a concurrent one (a unique key, a serialization failure):
 * imports are idempotent, so the second run finds the winner's rows and changes nothing. At most 3 runs.
 */
async function againOnRace<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= 3 || !isConcurrencyError(e)) throw e;
    }
  }
}
