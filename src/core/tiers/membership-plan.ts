import type { IsoDate } from '../programs/types.js';

/** A stored time-boxed record of one slot (a partner's tier, or one status), in force on d when validFrom <= d < validTo. */
export interface SlotRecord {
  readonly id: string;
  readonly validFrom: IsoDate;
  /** Exclusive; null = open-ended. */
  readonly validTo: IsoDate | null;
  /** The tier's rank (floor 0); records of a status slot all rank the same. */
  readonly rank: number;
}

/** What to write so that a new record starting on `validFrom` never overlaps the slot's other records. */
export interface SlotPlan {
  /**
   * Records to end: the one in force on `validFrom` ends there (one starting that same day is replaced),
   * and later lower-ranked records it supersedes end where they start (in force on no day; kept as history).
   */
  readonly close: readonly { readonly id: string; readonly validTo: IsoDate }[];
  /** The new record: from `validFrom` to the earlier of its own end and the start of the next later record it does not supersede. */
  readonly open: { readonly validFrom: IsoDate; readonly validTo: IsoDate | null };
}

/** True when the record is in force on at least one day. */
export const inForceOnSomeDay = (r: { validFrom: IsoDate; validTo: IsoDate | null }): boolean =>
  r.validTo === null || r.validFrom < r.validTo;

const before = (a: IsoDate | null, b: IsoDate | null): IsoDate | null =>
  a === null ? b : b === null ? a : a < b ? a : b;

/**
 * The one rule for writing a membership of a slot (a partner's tier in a program, or one of its statuses),
 * whatever the order of evaluations, status matches, invitations and back-dated runs:
 * - the record in force on `validFrom` ends on `validFrom` (a record that starts that same day is replaced);
 * - a later record of the same or a higher rank stands, and the new record ends where the first of them
 *   begins (an upgrade, or a later decision on the same tier, is never lost);
 * - later records of a lower rank before that point are superseded: they end where they start. A lower
 *   tier was decided without the new one (a tier is lowered only by a downgrade, which the program's
 *   policy decides knowing the tier held: grandfathering, the audit), so the next evaluation decides again.
 * Given records that do not overlap, the result does not overlap either.
 */
export function planSlotRecord(
  existing: readonly SlotRecord[],
  change: { readonly validFrom: IsoDate; readonly validTo?: IsoDate | null; readonly rank: number },
): SlotPlan {
  const from = change.validFrom;
  let to: IsoDate | null = change.validTo ?? null;
  const close: { id: string; validTo: IsoDate }[] = [];
  const later: SlotRecord[] = [];
  for (const r of existing) {
    if (!inForceOnSomeDay(r)) continue;
    if (r.validFrom > from) later.push(r);
    else if (r.validTo === null || r.validTo > from) close.push({ id: r.id, validTo: from });
  }
  later.sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
  for (const r of later) {
    if (to !== null && r.validFrom >= to) break;
    if (r.rank >= change.rank) {
      to = before(to, r.validFrom);
      break;
    }
    close.push({ id: r.id, validTo: r.validFrom });
  }
  return { close, open: { validFrom: from, validTo: to } };
}

/** Whether two records of one slot share a day. */
export function overlaps(
  a: { validFrom: IsoDate; validTo: IsoDate | null },
  b: { validFrom: IsoDate; validTo: IsoDate | null },
): boolean {
  if (!inForceOnSomeDay(a) || !inForceOnSomeDay(b)) return false;
  return (b.validTo === null || a.validFrom < b.validTo) && (a.validTo === null || b.validFrom < a.validTo);
}

/** A stored membership (tier or status) as the plan reads it. */
export interface StoredMembership extends Omit<SlotRecord, 'rank'> {
  readonly partnerId: string;
  readonly code: string;
}

/** A membership to write: a tier record (open-ended) or a status grant (bounded). */
export interface MembershipChange {
  readonly partnerId: string;
  readonly code: string;
  readonly validFrom: IsoDate;
  readonly validTo?: IsoDate | null;
}

export interface MembershipPlan<C extends MembershipChange> {
  /** Stored records to end (their new validTo). */
  readonly close: readonly { readonly id: string; readonly validTo: IsoDate }[];
  /** The changes in the order given, each with the validTo it is written with. */
  readonly open: readonly (C & { readonly validTo: IsoDate | null })[];
}

/**
 * The plan for writing memberships of one program: each change is placed in its slot (the partner's tier,
 * or the partner's status of that code) by `planSlotRecord`, the changes applied one after the other as
 * given, so several changes of one slot in one run also follow the rule. `isStatus` tells invitation-only
 * status codes from tier codes. Pure: the use case loads the stored records and applies the plan.
 */
export function planMemberships<C extends MembershipChange>(
  stored: readonly StoredMembership[],
  isStatus: (code: string) => boolean,
  /** Tier codes in rank order, floor first (a code not listed ranks below the floor). */
  tiers: readonly string[],
  changes: readonly C[],
): MembershipPlan<C> {
  const rankOf = (code: string) => (isStatus(code) ? 0 : tiers.indexOf(code));
  const slotOf = (partnerId: string, code: string) => `${partnerId}\u0000${isStatus(code) ? code : ''}`;
  const slots = new Map<string, SlotRecord[]>();
  for (const m of stored) {
    const key = slotOf(m.partnerId, m.code);
    let list = slots.get(key);
    if (!list) slots.set(key, (list = []));
    list.push({ id: m.id, validFrom: m.validFrom, validTo: m.validTo, rank: rankOf(m.code) });
  }
  const closes = new Map<string, IsoDate>();
  const open: (C & { validTo: IsoDate | null })[] = [];
  changes.forEach((c, i) => {
    const key = slotOf(c.partnerId, c.code);
    const records = slots.get(key) ?? [];
    const rank = rankOf(c.code);
    const plan = planSlotRecord(records, { validFrom: c.validFrom, validTo: c.validTo ?? null, rank });
    const ended = new Map(plan.close.map((x) => [x.id, x.validTo]));
    const next = records.map((r) => {
      const validTo = ended.get(r.id);
      return validTo === undefined ? r : { ...r, validTo };
    });
    for (const [id, validTo] of ended) if (!id.startsWith('\u0000new:')) closes.set(id, validTo);
    next.push({ id: `\u0000new:${i}`, ...plan.open, rank });
    slots.set(key, next);
    open.push({ ...c, validTo: plan.open.validTo });
  });
  // A change closed by a later change of the same slot in this run is written already closed.
  for (const records of slots.values())
    for (const r of records)
      if (r.id.startsWith('\u0000new:')) {
        const i = Number(r.id.slice(5));
        const o = open[i];
        if (o && o.validTo !== r.validTo) open[i] = { ...o, validTo: r.validTo };
      }
  return { close: [...closes].map(([id, validTo]) => ({ id, validTo })), open };
}
