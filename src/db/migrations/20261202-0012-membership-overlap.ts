import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * At most one tier per partner and program on any day, and each invitation-only status (Titanium Black)
 * at most once per partner and program on any day, held by the database (issue 9, item 3).
 *
 * 1. Repair: stores written before this migration may hold overlapping records (a back-dated status
 *    match left the later evaluated record open). Per (program, partner, slot) - the slot is "tier" for
 *    tier codes and the code itself for invitation-only statuses (`program_tiers.invitation_only`) -
 *    the records are written again in the order they were created, (created_at, id), under the rule the
 *    use cases now follow (`replay` below; src/core/tiers/README.md), and each keeps the earlier of its
 *    stored and its replayed end. Deterministic; records are only ever shortened, never deleted.
 * 2. Guard: a trigger refuses an insert or update that would make two records of one slot share a day.
 *    On PostgreSQL it first locks the partner's enrolment row in the program (`for update`, as the use
 *    cases do before they read), so concurrent writers of one partner's memberships are serialised and,
 *    at READ COMMITTED (what Trellis uses), the check sees what the other committed. SQLite has one
 *    writer.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await repair(db);
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite) {
    for (const event of ['insert', 'update']) {
      await sql
        .raw(
          `create trigger memberships_no_overlap_${event} before ${event} on memberships
           when ${overlapCondition('new')}
           begin select raise(abort, 'membership_overlap: two records of one tier or status would be in force on the same day'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `create function memberships_no_overlap() returns trigger language plpgsql as $$
       begin
         -- Serialise writers of this partner's memberships in the program: its enrolment row (a row lock
         -- lives in the row, not in the shared lock table, so a run over 20,000 partners stays within it).
         perform 1 from enrolments where program_id = new.program_id and partner_id = new.partner_id for update;
         if ${overlapCondition('new')} then
           raise exception 'membership_overlap: two records of one tier or status would be in force on the same day (partner %, program %, code %, from %)',
             new.partner_id, new.program_id, new.tier_code, new.valid_from
             using errcode = '23P01';
         end if;
         return new;
       end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger memberships_no_overlap before insert or update on memberships
       for each row execute function memberships_no_overlap()`,
    )
    .execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (sqlite) {
    await sql.raw('drop trigger if exists memberships_no_overlap_insert').execute(db);
    await sql.raw('drop trigger if exists memberships_no_overlap_update').execute(db);
    return;
  }
  await sql.raw('drop trigger if exists memberships_no_overlap on memberships').execute(db);
  await sql.raw('drop function if exists memberships_no_overlap()').execute(db);
}

/** SQL: the code is an invitation-only status of the program (any version), not a tier. */
const isStatus = (row: string) =>
  `exists (select 1 from program_tiers pt join program_versions pv on pv.id = pt.program_version_id
           where pv.program_id = ${row}.program_id and pt.code = ${row}.tier_code and pt.invitation_only = 1)`;

/** SQL: the record `row` is in force on some day and another record of its slot shares one of its days. */
function overlapCondition(row: string): string {
  const end = (r: string) => `coalesce(${r}.valid_to, '9999-12-31')`;
  return `(${row}.valid_from < ${end(row)} and exists (
    select 1 from memberships m
    where m.program_id = ${row}.program_id and m.partner_id = ${row}.partner_id and m.id <> ${row}.id
      and m.valid_from < ${end('m')} and m.valid_from < ${end(row)} and ${row}.valid_from < ${end('m')}
      and (m.tier_code = ${row}.tier_code or (not ${isStatus(row)} and not ${isStatus('m')}))))`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function repair(db: Kysely<any>): Promise<void> {
  const codes = await sql<{ programId: string; code: string; rank: number; invitationOnly: number }>`
    select pv.program_id, pt.code, max(pt.rank) as rank, max(pt.invitation_only) as invitation_only
    from program_tiers pt join program_versions pv on pv.id = pt.program_version_id
    group by pv.program_id, pt.code`.execute(db);
  const known = new Map(codes.rows.map((c) => [`${c.programId}\u0000${c.code}`, c]));
  const rows = await sql<{
    id: string;
    programId: string;
    partnerId: string;
    tierCode: string;
    validFrom: string;
    validTo: string | null;
    createdAt: string;
  }>`select id, program_id, partner_id, tier_code, valid_from, valid_to, created_at from memberships`.execute(
    db,
  );
  const slots = new Map<string, Row[]>();
  for (const r of rows.rows) {
    const code = known.get(`${r.programId}\u0000${r.tierCode}`);
    const status = Number(code?.invitationOnly ?? 0) === 1;
    const key = `${r.programId}\u0000${r.partnerId}\u0000${status ? r.tierCode : ''}`;
    let list = slots.get(key);
    if (!list) slots.set(key, (list = []));
    list.push({ ...r, rank: status ? 0 : Number(code?.rank ?? -1) });
  }
  for (const records of slots.values()) {
    if (records.length < 2) continue;
    for (const fix of replay(records))
      await db.updateTable('memberships').set({ validTo: fix.validTo }).where('id', '=', fix.id).execute();
  }
}

interface Row {
  id: string;
  validFrom: string;
  validTo: string | null;
  createdAt: string;
  rank: number;
}

const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * The repair: the slot's records written again in the order they were created ((created_at, id)) under
 * the rule the use cases now follow (`planSlotRecord` in src/core/tiers, copied here because a migration
 * never changes once committed): the record in force on a new record's first day ends there, later records
 * of a lower rank up to the first of the same or a higher rank are superseded (end where they start), and
 * the new record ends where that one begins. A record is only ever shortened (the earlier of its stored
 * and its replayed end), so the result does not overlap. Returns the records whose end changes.
 */
function replay(records: readonly Row[]): { id: string; validTo: string }[] {
  const live = (r: { validFrom: string; validTo: string | null }) =>
    r.validTo === null || r.validFrom < r.validTo;
  const order = records
    .filter(live)
    .sort((a, b) =>
      a.createdAt !== b.createdAt
        ? a.createdAt < b.createdAt
          ? -1
          : 1
        : a.id < b.id
          ? -1
          : a.id > b.id
            ? 1
            : 0,
    );
  const slot: Row[] = [];
  for (const next of order) {
    let to = next.validTo;
    const later = slot.filter((r) => live(r) && r.validFrom > next.validFrom);
    later.sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
    for (const r of slot)
      if (live(r) && r.validFrom <= next.validFrom && (r.validTo === null || r.validTo > next.validFrom))
        r.validTo = next.validFrom;
    for (const r of later) {
      if (to !== null && r.validFrom >= to) break;
      if (r.rank >= next.rank) {
        to = earlier(to, r.validFrom);
        break;
      }
      r.validTo = r.validFrom;
    }
    slot.push({ ...next, validTo: to });
  }
  const stored = new Map(records.map((r) => [r.id, r.validTo]));
  const fixes: { id: string; validTo: string }[] = [];
  for (const r of slot) {
    const before = stored.get(r.id) ?? null;
    const after = earlier(before, r.validTo);
    if (after !== null && after !== before) fixes.push({ id: r.id, validTo: after });
  }
  return fixes;
}
