import { rosterChanged } from '../engagement/roster.js';
import type { Scope } from '../../core/access/scope.js';
import type { ErrorDetail } from '../../core/shared/errors.js';
import { TrellisError } from '../../core/shared/errors.js';
import { statusMatch } from '../../core/tiers/index.js';
import type { MembershipRow } from '../../db/repositories/membership-repository.js';
import { tierFactsRepository } from '../../db/repositories/tier-facts-repository.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { programInForce, type ProgramInForce } from '../programs/program-in-force.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { slotsOf, writeMemberships } from './write-memberships.js';

export interface LegacyTierRow {
  /** Where the row came from (file:row), for error messages. */
  location: string;
  partnerId: string;
  legacyProgram: string;
  legacyTier: string;
}

/**
 * Status match for merged programs (Dell + EMC, 2017): a partner found in several legacy programs gets
 * the higher of its mapped tiers, grandfathered for the program's period. All or nothing: an unknown
 * partner, a partner not enrolled in the program, or a row that maps to nothing stops the import.
 */
export async function applyStatusMatch(
  ctx: AppContext,
  scope: Scope,
  input: {
    program: string;
    rows: LegacyTierRow[];
    /** Who ran it, for the audit (default: the CLI). */ actor?: string;
  },
): Promise<{ matched: { partnerId: string; tier: string; grandfatheredUntil: string; reason: string }[] }> {
  const probe = await ctx.repos.programs.get(scope, input.program);
  if (!probe) throw new TrellisError('not_found', `program ${input.program} was not found`);
  const versions = await ctx.repos.programs.versions(scope, probe.id);
  const withMatch = versions.map(
    (v) => JSON.parse(v.definition) as { statusMatch: { effective: string } | null },
  );
  const effective = withMatch.find((d) => d.statusMatch)?.statusMatch?.effective;
  if (!effective) throw new TrellisError('invalid_input', `program ${probe.code} defines no status match`);
  const pif = await programInForce(ctx, scope, input.program, effective);
  const enrolled = new Set(
    (await tierFactsRepository(ctx.store.db).enrolled(pif.programId)).map((p) => p.partnerId),
  );
  const errors: ErrorDetail[] = [];
  const byPartner = new Map<string, LegacyTierRow[]>();
  for (const r of input.rows) {
    if (!enrolled.has(r.partnerId)) {
      errors.push({
        location: r.location,
        message: `partner ${r.partnerId} is not enrolled in ${pif.definition.code}`,
      });
      continue;
    }
    byPartner.set(r.partnerId, [...(byPartner.get(r.partnerId) ?? []), r]);
  }
  const planned = planStatusMatch(ctx, pif, byPartner);
  const { rows, matched } = planned;
  errors.push(...planned.errors);
  if (errors.length > 0)
    throw new TrellisError(
      'invalid_input',
      `status match refused: ${errors.length} problem(s); nothing was written`,
      errors,
    );
  await ctx.store.db.transaction().execute(async (trx) => {
    // The one rule: the record in force on the effective day ends there (one that starts that day is
    // replaced); a later record stands and the matched tier ends where it begins.
    await writeStatusMatch(trx, pif, rows);
    await recordAudit(trx, ctx, {
      actor: { kind: 'system', id: input.actor ?? 'cli' },
      action: 'tiers.status-match',
      target: { type: 'program', id: pif.programId, vendorId: pif.vendorId, partnerId: null },
      detail: { partners: rows.length },
    });
  });
  // Routing ranks partners by the tier they hold: this process's rosters read the new tiers.
  rosterChanged(ctx.store, pif.vendorId);
  return { matched };
}

export interface StatusMatched {
  partnerId: string;
  tier: string;
  grandfatheredUntil: string;
  reason: string;
}

/**
 * The status match of each partner from its legacy memberships (`location` names a row for errors), as
 * the memberships to write: the pure `statusMatch` of `src/core/tiers` per partner. Used by the CSV
 * import above and by the merge of legacy programs (`src/app/transfers/merge.ts`).
 */
export function planStatusMatch(
  ctx: Pick<AppContext, 'clock' | 'ids'>,
  pif: Pick<ProgramInForce, 'programId' | 'vendorId' | 'definition'>,
  byPartner: ReadonlyMap<string, readonly Omit<LegacyTierRow, 'partnerId'>[]>,
): { rows: MembershipRow[]; matched: StatusMatched[]; errors: ErrorDetail[] } {
  const now = ctx.clock.now().toISOString();
  const rows: MembershipRow[] = [];
  const matched: StatusMatched[] = [];
  const errors: ErrorDetail[] = [];
  for (const [partnerId, legacy] of byPartner) {
    const result = statusMatch(
      pif.definition,
      legacy.map((l) => ({ program: l.legacyProgram, tier: l.legacyTier })),
    );
    for (const ignored of result.ignored) {
      const row = legacy.find((l) => l.legacyProgram === ignored.program && l.legacyTier === ignored.tier);
      errors.push({ location: row?.location ?? partnerId, message: ignored.why });
    }
    if (!result.tier || !result.effectiveFrom || !result.grandfatheredUntil) continue;
    rows.push({
      id: ctx.ids.next('membership'),
      vendorId: pif.vendorId,
      programId: pif.programId,
      partnerId,
      tierCode: result.tier,
      validFrom: result.effectiveFrom,
      validTo: null,
      source: 'status-match',
      reason: result.reason,
      createdAt: now,
      grandfatheredUntil: result.grandfatheredUntil,
      sponsor: null,
      // The reason as a message the app translates (the column keeps its English text).
      detail: JSON.stringify({
        mapping: result.mapping,
        candidates: result.candidates,
        reasonMessage: result.reasonMessage,
      }),
    });
    matched.push({
      partnerId,
      tier: result.tier,
      grandfatheredUntil: result.grandfatheredUntil,
      reason: result.reason,
    });
  }
  return { rows, matched, errors };
}

/**
 * Writes status-matched memberships in the caller's transaction under the one rule: the record in force
 * on the effective day ends there (one that starts that day is replaced); a later record stands and the
 * matched tier ends where it begins.
 */
export async function writeStatusMatch(
  trx: Kysely<Database>,
  pif: Pick<ProgramInForce, 'vendorId' | 'programId' | 'definition'>,
  rows: MembershipRow[],
): Promise<MembershipRow[]> {
  return writeMemberships(trx, {
    vendorId: pif.vendorId,
    programId: pif.programId,
    ...slotsOf(pif.definition),
    partnerIds: rows.map((r) => r.partnerId),
    decide: () => rows,
  });
}
