import type { Kysely } from 'kysely';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { planMemberships } from '../../core/tiers/index.js';
import {
  membershipRepository,
  type MembershipRow,
  type StoredMembershipRow,
} from '../../db/repositories/membership-repository.js';
import type { Database } from '../../db/schema.js';
import { notifyTierChanges, tierChangesOf } from '../notifications/notify.js';
import { emitTierChanges } from '../webhooks/emit.js';

/** Above this many partners a writer locks and reads the whole program rather than a list of ids. */
const WHOLE_PROGRAM_FROM = 500;

/** A program's invitation-only status codes (every other code is a tier) and its tier codes in rank order. */
export function slotsOf(program: ProgramDefinition): {
  statusCodes: ReadonlySet<string>;
  tiers: readonly string[];
} {
  return {
    statusCodes: new Set(program.statuses.map((s) => s.code)),
    tiers: program.tiers.map((t) => t.code),
  };
}

/**
 * The one way memberships are written, inside the caller's transaction: lock the partners' enrolments
 * (PostgreSQL), read what they hold, then `decide` (given the stored records, which may have changed since
 * the caller looked) which rows to write; the pure plan (`planMemberships`) ends the records they meet and
 * bounds each new one, and the plan is applied: ends first, then inserts. Returns the rows as written.
 */
export async function writeMemberships(
  trx: Kysely<Database>,
  input: {
    /** The program's vendor: the locks name it, so each stays within one vendor's rows (issue 18). */
    vendorId: string;
    programId: string;
    statusCodes: ReadonlySet<string>;
    tiers: readonly string[];
    /** The partners written; null = any partner of the program (an evaluation run). */
    partnerIds: readonly string[] | null;
    decide(stored: readonly StoredMembershipRow[]): MembershipRow[] | Promise<MembershipRow[]>;
  },
): Promise<MembershipRow[]> {
  const repo = membershipRepository(trx);
  const ids =
    input.partnerIds === null || input.partnerIds.length > WHOLE_PROGRAM_FROM
      ? undefined
      : [...new Set(input.partnerIds)].sort();
  await repo.lockPartners(input.vendorId, input.programId, ids);
  const stored = await repo.stored(input.programId, ids);
  const rows = await input.decide(stored);
  const plan = planMemberships(
    stored,
    (code) => input.statusCodes.has(code),
    input.tiers,
    rows.map((r) => ({ ...r, code: r.tierCode })),
  );
  for (const c of plan.close) await repo.close(c.id, c.validTo);
  const written = plan.open.map(({ code: _code, ...row }) => row as MembershipRow);
  await repo.insert(written);
  const changes = tierChangesOf(input.tiers, input.statusCodes, stored, written);
  await notifyTierChanges(trx, changes);
  await emitTierChanges(
    trx,
    changes.map(({ membership: m, from, direction }) => ({
      membershipId: m.id,
      vendorId: m.vendorId,
      partnerId: m.partnerId,
      createdAt: m.createdAt,
      data: {
        programId: m.programId,
        partnerId: m.partnerId,
        from,
        to: m.tierCode,
        validFrom: m.validFrom,
        direction,
      },
    })),
  );
  return written;
}
