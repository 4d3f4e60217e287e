import type { Actor } from '../../core/access/actor.js';
import { seesWholeVendor } from '../../core/access/capabilities.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { compileIncentives, type IncentiveEngine } from '../../core/incentives/index.js';
import { programPeriods, type PeriodRange } from '../../core/ledger/periods.js';
import { addDays } from '../../core/programs/dates.js';
import { formatProgramFileError, parseProgramDocument } from '../../core/programs/parse.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import {
  firstMismatches,
  mergeOutcomes,
  startComparison,
  type SimulatedProgram,
  type SimulationComparison,
} from '../../core/simulation/compare.js';
import { tierChanges, type TierChanges } from '../../core/simulation/tier-changes.js';
import { compileTierEvaluator } from '../../core/tiers/index.js';
import { simulationRepository } from '../../db/repositories/simulation-repository.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { engineFor } from '../incentives/engines.js';
import { checkShards } from '../incentives/close-shards.js';
import { resolvePeriod } from '../incentives/program-period.js';
import { loadTierFacts } from '../tiers/evaluate-program.js';
import { historyCacheOf } from './history-cache.js';
import {
  keptHistoryKey,
  MISMATCHES,
  simulateInShards,
  type ShardSimulation,
  type SimulationShardSubject,
} from './simulation-shards.js';

/** The baseline a draft is compared with: a published program (by code or id) or a program file's text. */
export type BaselineInput = { program: string } | { text: string; file?: string | undefined };

export interface SimulateInput {
  /** A name to find the simulation by (default: the draft's code and version, and the range). */
  name?: string | undefined;
  /** The draft program file's text (YAML or JSON), validated like `trellis program validate`. */
  draftText: string;
  /** The file name errors are reported against (default `draft.yaml`). */
  draftFile?: string | undefined;
  /** Default: the published program with the draft's code. */
  baseline?: BaselineInput | undefined;
  from: string;
  to: string;
  /**
   * Shards of partners the simulation computes in, each but the first on a thread of its own (1..16;
   * default 1). The result is the same whatever the count.
   */
  shards?: number | undefined;
}

export interface SimulationProgress {
  phase(name: string, total: number): void;
  update(done: number): void;
}

export interface LedgerMismatch {
  period: string;
  partnerId: string;
  component: string;
  ledgerMinor: number;
  baselineMinor: number;
}

export interface SimulationResult {
  program: string;
  draftVersion: string;
  baseline: { program: string | null; file: string | null; versions: string[] };
  from: string;
  to: string;
  currency: string;
  /** The draft engine's rule version (what reproduces the result with the same draft text). */
  engineVersion: string;
  baselineEngineVersions: string[];
  periods: { code: string; from: string; to: string; closed: boolean; lines: number }[];
  lines: number;
  /**
   * The baseline run equals the ledger to the cent (per partner and component) for every closed period of
   * the range; null when no period of the range is closed.
   */
  baselineEqualsLedger: boolean | null;
  /** The first mismatches, when it does not. */
  ledgerMismatches: LedgerMismatch[];
  comparison: SimulationComparison;
  /** Who moves tier under the draft's thresholds; null when the draft's tiers are the baseline's. */
  tierChanges: TierChanges | null;
}

interface ParsedProgram {
  definition: ProgramDefinition;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseProgram(text: string, file: string, field: string): ParsedProgram {
  const parsed = parseProgramDocument(text, file);
  if (!parsed.ok)
    throw new TrellisError(
      'invalid_input',
      `${field} is not a valid program file: ${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'}, the first ${formatProgramFileError(parsed.errors[0] as never)}`,
      parsed.errors.map((e) => ({ location: `${e.file}:${e.line}:${e.column}`, message: e.message })),
    );
  if (parsed.document.kind !== 'Program')
    throw new TrellisError('invalid_input', `${field} is an agreement file, not a program file`, [
      { location: `${file}:1:1`, message: 'expected kind: Program' },
    ]);
  return { definition: parsed.document };
}

/** What a simulation runs on, after every check that needs no history. */
export interface PreparedSimulation {
  vendorId: string;
  draft: ProgramDefinition;
  /** The published program whose enrolments and tiers the facts are read with. */
  program: { id: string; code: string };
  baseline: { kind: 'program' } | { kind: 'text'; definition: ProgramDefinition; file: string };
  periods: PeriodRange[];
  /** Shards of partners (checked: 1..16). */
  shards: number;
}

/**
 * The checks a simulation makes before any work (answered at once, before a job starts): a vendor's own
 * people (admins, channel managers) with the whole vendor in view; a valid draft of that vendor; a baseline
 * of that vendor; a range the draft's periods cover, with order lines in it.
 */
export async function prepareSimulation(
  ctx: AppContext,
  scope: Scope,
  input: SimulateInput,
): Promise<PreparedSimulation> {
  if (scope.kind === 'partner') throw new TrellisError('forbidden', 'only the vendor simulates its programs');
  if (scope.kind === 'vendor' && !seesWholeVendor(scope))
    throw new TrellisError(
      'forbidden',
      "a simulation covers the vendor's whole history; people limited to some regions cannot run one",
    );
  for (const [field, value] of [
    ['from', input.from],
    ['to', input.to],
  ] as const)
    if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value)))
      throw new TrellisError('invalid_input', `${field} must be a date (YYYY-MM-DD)`, [
        { location: field, message: `"${value}" is not a date` },
      ]);
  if (input.from > input.to)
    throw new TrellisError('invalid_input', `from (${input.from}) is after to (${input.to})`, [
      { location: 'from', message: 'must be on or before to' },
    ]);
  const shards = checkShards(input.shards);
  const draftFile = input.draftFile ?? 'draft.yaml';
  const { definition: draft } = parseProgram(input.draftText, draftFile, 'the draft');

  // The vendor: the caller's own; the draft must be a program of it.
  let vendorId: string;
  if (scope.kind === 'vendor') {
    vendorId = scope.vendorId;
    const slug = await ctx.repos.vendors.slugOf(vendorId);
    if (slug !== draft.vendor.slug)
      throw new TrellisError(
        'forbidden',
        `the draft is a program of vendor "${draft.vendor.slug}"; a vendor simulates only its own programs`,
        [{ location: `${draftFile}:1:1`, message: `vendor.slug must be "${slug ?? ''}"` }],
      );
  } else {
    const v = await ctx.repos.vendors.findBySlug(draft.vendor.slug);
    if (!v) throw notFound('vendor', draft.vendor.slug);
    vendorId = v.id;
  }

  // The baseline: a published program of the same vendor, or a program file of it.
  const baselineInput: BaselineInput = input.baseline ?? { program: draft.code };
  let baseline: PreparedSimulation['baseline'] = { kind: 'program' };
  let baselineCode: string;
  if ('text' in baselineInput) {
    const file = baselineInput.file ?? 'baseline.yaml';
    const { definition } = parseProgram(baselineInput.text, file, 'the baseline');
    if (definition.vendor.slug !== draft.vendor.slug)
      throw new TrellisError(
        'forbidden',
        `the baseline is a program of vendor "${definition.vendor.slug}", the draft of "${draft.vendor.slug}": a vendor simulates only against its own programs`,
      );
    baseline = { kind: 'text', definition, file };
    baselineCode = definition.code;
  } else baselineCode = baselineInput.program;
  const found = await ctx.repos.programs.get(scope, baselineCode);
  if (!found || found.vendorId !== vendorId) {
    const elsewhere = await ctx.repos.programs.get(SYSTEM_SCOPE, baselineCode);
    if (elsewhere && elsewhere.vendorId !== vendorId)
      throw new TrellisError(
        'forbidden',
        `program ${baselineCode} is another vendor's: a vendor simulates only against its own programs`,
        [{ location: 'baseline', message: 'a program of your vendor' }],
      );
    throw new TrellisError(
      'not_found',
      `baseline program ${baselineCode} was not found${input.baseline ? '' : " (no published program has the draft's code: name a baseline)"}`,
      [{ location: 'baseline', message: 'a published program code' }],
    );
  }

  const periods = programPeriods(draft).filter((p) => p.to >= input.from && p.from <= input.to);
  if (periods.length === 0)
    throw new TrellisError(
      'invalid_input',
      `no period of the draft (${draft.version}: ${draft.effective.from} to ${draft.effective.to ?? 'open'}) falls between ${input.from} and ${input.to}`,
      [{ location: 'from', message: 'a range within the draft’s periods' }],
    );
  // Every period needs a baseline: a published version (or the baseline file) that holds it.
  const baselineCodes = new Set<string>();
  if (baseline.kind === 'text')
    for (const p of programPeriods(baseline.definition)) baselineCodes.add(p.code);
  else
    for (const v of await ctx.repos.programs.versions(scope, found.id))
      if (v.status === 'published')
        for (const p of programPeriods(JSON.parse(v.definition) as ProgramDefinition))
          baselineCodes.add(p.code);
  const uncovered = periods.filter((p) => !baselineCodes.has(p.code)).map((p) => p.code);
  if (uncovered.length > 0)
    throw new TrellisError(
      'invalid_input',
      `the baseline ${baseline.kind === 'text' ? 'file' : `program ${found.code}`} has no ${baseline.kind === 'text' ? '' : 'published '}version with period${uncovered.length === 1 ? '' : 's'} ${uncovered.join(', ')} of the draft`,
      [{ location: 'baseline', message: 'a baseline holding the periods simulated' }],
    );
  const first = periods[0] as PeriodRange;
  const last = periods[periods.length - 1] as PeriodRange;
  if (!(await simulationRepository(ctx.store.db).hasLines(vendorId, first.from, last.to)))
    throw new TrellisError(
      'invalid_input',
      `no order lines sold through partners between ${first.from} and ${last.to}: there is no history to simulate on`,
      [{ location: 'from', message: 'a range with order history' }],
    );
  return {
    vendorId,
    draft,
    program: { id: found.id, code: found.code },
    baseline,
    periods,
    shards,
  };
}

const programOf = (p: ProgramDefinition): SimulatedProgram => ({
  componentPools: Object.fromEntries(p.components.map((c) => [c.code, c.budgetPool])),
  pools: p.budgetPools.map((b) => ({ code: b.code, amountMinor: b.amount.amountMinor })),
});

/**
 * Runs a prepared simulation: for each period, the facts are loaded once (as the close loads them, with
 * the baseline program's enrolments and tiers) and planned with nothing held, by the baseline's engine
 * and the draft's (the plan's totals: `planTotals`, no posting built); the plans are compared
 * (core/simulation). Reads only: nothing is written.
 */
export async function runSimulation(
  ctx: AppContext,
  scope: Scope,
  prepared: PreparedSimulation,
  range: { from: string; to: string },
  progress?: SimulationProgress | undefined,
): Promise<SimulationResult> {
  const { draft, vendorId } = prepared;
  const draftEngine = compileIncentives(draft, { version: null });
  const textEngine =
    prepared.baseline.kind === 'text'
      ? compileIncentives(prepared.baseline.definition, { version: null })
      : null;

  // Each period's baseline version (outside the read transaction: these read through the context).
  const subjects: {
    range: PeriodRange;
    definition: ProgramDefinition;
    engine: IncentiveEngine;
    version: string;
    /** The published version's id; null for a baseline file. */
    versionId: string | null;
  }[] = [];
  for (const p of prepared.periods) {
    if (prepared.baseline.kind === 'text') {
      const definition = prepared.baseline.definition;
      const r = programPeriods(definition).find((x) => x.code === p.code);
      if (!r)
        throw new TrellisError(
          'invalid_input',
          `the baseline (${definition.version}) has no period ${p.code} of the draft`,
          [{ location: 'baseline', message: `a program with period ${p.code}` }],
        );
      subjects.push({
        range: r,
        definition,
        engine: textEngine as IncentiveEngine,
        version: definition.version,
        versionId: null,
      });
    } else {
      let r;
      try {
        r = await resolvePeriod(
          ctx,
          scope.kind === 'vendor' ? scope : SYSTEM_SCOPE,
          prepared.program.id,
          p.code,
        );
      } catch (e) {
        if (e instanceof TrellisError && e.code === 'invalid_input')
          throw new TrellisError(
            'invalid_input',
            `the baseline program ${prepared.program.code} has no published version with period ${p.code}`,
            [{ location: 'baseline', message: `a published version holding ${p.code}` }],
          );
        throw e;
      }
      subjects.push({
        range: r.range,
        definition: r.definition,
        engine: engineFor(r.versionId, r.definition),
        version: r.definition.version,
        versionId: r.versionId,
      });
    }
  }

  const baselineLast = (subjects[subjects.length - 1] as (typeof subjects)[number]).definition;
  const count = checkShards(prepared.shards);
  progress?.phase('simulating', subjects.length * count);
  // Every partner's outcomes in one shard, or in shards of partners (simulation-shards.ts), merged.
  const shardSubject: SimulationShardSubject = {
    vendorId,
    programId: prepared.program.id,
    draft,
    periods: subjects.map((s) => ({ range: s.range, definition: s.definition, versionId: s.versionId })),
  };
  const shards = await simulateInShards(
    ctx.store,
    shardSubject,
    count,
    { draft: draftEngine, baselines: subjects.map((s) => s.engine) },
    progress ? (done) => progress.update(done) : null,
    ctx.settings.close.queue,
    ctx.settings.simulation.threads,
  );
  const comparing = startComparison(programOf(baselineLast), programOf(draft));
  const mismatches: LedgerMismatch[] = [];
  let closedCount = 0;
  let mismatchCount = 0;
  const periodsOut: SimulationResult['periods'] = [];
  let lineCount = 0;
  for (const [i, s] of subjects.entries()) {
    const ofShards = shards.map((r) => r.periods[i] as ShardSimulation['periods'][number]);
    comparing.add({
      period: s.range,
      baseline: mergeOutcomes(ofShards.map((p) => p.baseline)),
      draft: mergeOutcomes(ofShards.map((p) => p.draft)),
    });
    const closed = ofShards.some((p) => p.closed);
    const lines = ofShards.reduce((n, p) => n + p.lines, 0);
    if (closed) {
      closedCount++;
      mismatchCount += ofShards.reduce((n, p) => n + p.mismatchCount, 0);
      mismatches.push(
        ...firstMismatches(
          ofShards.map((p) => p.mismatches),
          MISMATCHES - mismatches.length,
        ),
      );
    }
    periodsOut.push({ ...s.range, closed, lines });
    lineCount += lines;
  }
  const comparison = comparing.finish(shards.flatMap((r) => r.profiles));

  // Tier changes under the draft's thresholds, over the qualification window ending with the range.
  let tiers: TierChanges | null = null;
  if (
    JSON.stringify([draft.tiers, draft.qualifyingMultipliers, draft.qualification]) !==
    JSON.stringify([baselineLast.tiers, baselineLast.qualifyingMultipliers, baselineLast.qualification])
  ) {
    progress?.phase('evaluating tiers', 1);
    const asOf = addDays(range.to, 1);
    let evaluators;
    try {
      evaluators = [compileTierEvaluator(baselineLast), compileTierEvaluator(draft)] as const;
    } catch (e) {
      throw new TrellisError(
        'invalid_input',
        `the draft's tiers cannot be evaluated: ${(e as Error).message}`,
      );
    }
    // Kept with shard 0's history in this process (the data version covers what tier evaluation reads).
    const history = historyCacheOf(ctx.store).get(
      keptHistoryKey(shardSubject, count, ctx.settings.simulation.threads, ctx.store),
      (shards[0] as ShardSimulation).version,
    );
    const tierKey = `${asOf}|${JSON.stringify(baselineLast)}`;
    let facts = history?.tiers.get(tierKey);
    if (!facts) {
      ({ facts } = await loadTierFacts(ctx, vendorId, prepared.program.id, baselineLast, asOf));
      history?.tiers.set(tierKey, facts);
    }
    tiers = tierChanges(
      draft.tiers.map((t) => t.code),
      facts.map((f) => ({
        partnerId: f.partnerId,
        baseline: evaluators[0].evaluate(f, asOf).tier,
        draft: evaluators[1].evaluate(f, asOf).tier,
      })),
    );
    progress?.update(1);
  }

  return {
    program: draft.code,
    draftVersion: draft.version,
    baseline: {
      program: prepared.baseline.kind === 'program' ? prepared.program.code : null,
      file: prepared.baseline.kind === 'text' ? prepared.baseline.file : null,
      versions: [...new Set(subjects.map((s) => s.version))],
    },
    from: range.from,
    to: range.to,
    currency: draft.currency,
    engineVersion: draftEngine.ruleVersion,
    baselineEngineVersions: [...new Set(subjects.map((s) => s.engine.ruleVersion))],
    periods: periodsOut,
    lines: lineCount,
    baselineEqualsLedger: closedCount === 0 ? null : mismatchCount === 0,
    ledgerMismatches: mismatches,
    comparison,
    tierChanges: tiers,
  };
}

export interface StoredSimulationView {
  id: string;
  name: string;
  program: string;
  draftVersion: string;
  baseline: BaselineInput;
  from: string;
  to: string;
  engineVersion: string | null;
  status: 'running' | 'succeeded' | 'failed';
  jobId: string | null;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
}

type Who = { actor: Actor | { kind: 'system'; id: string }; scope: Scope; jobId?: string | undefined };

const actorId = (a: Who['actor']): string | null =>
  a.kind === 'person' ? a.personId : a.kind === 'token' ? a.tokenId : a.kind === 'system' ? a.id : null;

/** Records a simulation (running) after its checks; the caller then runs it (`completeSimulation`). */
export async function recordSimulation(
  ctx: AppContext,
  who: Who,
  input: SimulateInput,
  simulationId?: string | undefined,
): Promise<{ id: string; prepared: PreparedSimulation }> {
  const prepared = await prepareSimulation(ctx, who.scope, input);
  const id = simulationId ?? ctx.ids.next('simulation');
  const baseline: BaselineInput = input.baseline ?? { program: prepared.program.code };
  const name =
    input.name?.trim() || `${prepared.draft.code} ${prepared.draft.version} ${input.from}..${input.to}`;
  // The simulation and its audit event in one transaction (a simulation is a record people rely on).
  await ctx.store.db.transaction().execute(async (trx) => {
    await simulationRepository(trx).insert({
      id,
      vendorId: prepared.vendorId,
      name,
      programCode: prepared.draft.code,
      draftVersion: prepared.draft.version,
      draftText: input.draftText,
      baseline: JSON.stringify(baseline),
      fromDate: input.from,
      toDate: input.to,
      engineVersion: null,
      status: 'running',
      result: null,
      error: null,
      jobId: who.jobId ?? null,
      createdBy: actorId(who.actor),
      createdAt: ctx.clock.now().toISOString(),
      finishedAt: null,
    });
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'simulation.start',
      target: { type: 'simulation', id, vendorId: prepared.vendorId, partnerId: null },
      after: {
        program: prepared.draft.code,
        draftVersion: prepared.draft.version,
        from: input.from,
        to: input.to,
      },
      requestId: null,
      detail: { name, baseline, jobId: who.jobId ?? null },
    });
  });
  return { id, prepared };
}

/** Runs a recorded simulation and stores its result (or its error); returns the result with its id. */
export async function completeSimulation(
  ctx: AppContext,
  who: Who,
  id: string,
  input: SimulateInput,
  progress?: SimulationProgress | undefined,
  checked?: PreparedSimulation | undefined,
): Promise<SimulationResult & { id: string }> {
  const repo = simulationRepository(ctx.store.db);
  try {
    const prepared = checked ?? (await prepareSimulation(ctx, who.scope, input));
    const result = await runSimulation(ctx, who.scope, prepared, input, progress);
    await repo.finish(id, {
      status: 'succeeded',
      result: JSON.stringify(result),
      error: null,
      engineVersion: result.engineVersion,
      finishedAt: ctx.clock.now().toISOString(),
      ...(who.jobId ? { jobId: who.jobId } : {}),
    });
    return { id, ...result };
  } catch (e) {
    await repo.finish(id, {
      status: 'failed',
      result: null,
      error: JSON.stringify({
        code: e instanceof TrellisError ? e.code : 'internal',
        detail: e instanceof Error ? e.message : String(e),
      }),
      engineVersion: null,
      finishedAt: ctx.clock.now().toISOString(),
      ...(who.jobId ? { jobId: who.jobId } : {}),
    });
    throw e;
  }
}

/**
 * Checks, records and runs a simulation (the CLI; the job of POST /api/simulations, under the id its
 * request answered). A draft refused by the checks records nothing.
 */
export async function simulate(
  ctx: AppContext,
  who: Who,
  input: SimulateInput,
  progress?: SimulationProgress | undefined,
  simulationId?: string | undefined,
): Promise<SimulationResult & { id: string }> {
  const { id, prepared } = await recordSimulation(ctx, who, input, simulationId);
  return completeSimulation(ctx, who, id, input, progress, prepared);
}
