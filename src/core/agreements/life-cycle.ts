import { addDays } from '../programs/dates.js';
import type { AgreementDefinition, IsoDate } from '../programs/types.js';

/**
 * An agreement's life cycle, pure: its status on a day and the days on which its cross-vendor accruals
 * count, from its definition and the one notice of termination it may carry.
 *
 * - draft: signed but not yet in force (before `effective.from`);
 * - active: in force;
 * - notice-given: in force, a party has given notice (from the notice day to the day before it takes effect);
 * - terminated: from the day the notice takes effect (notice day + the agreement's notice days);
 * - ended: the term ran out (after `effective.to`) before any notice took effect.
 */
export const AGREEMENT_STATUSES = ['draft', 'active', 'notice-given', 'terminated', 'ended'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** The reasons a party may give notice for, each allowed only when the agreement has the clause. */
export const NOTICE_REASONS = ['change-of-control', 'convenience'] as const;
export type NoticeReason = (typeof NOTICE_REASONS)[number];

export interface AgreementNotice {
  /** The day notice was given. */
  readonly noticeDate: IsoDate;
  /** The party's vendor slug. */
  readonly by: string;
  readonly reason: NoticeReason | 'breach' | 'mutual';
  /** The first day the agreement is no longer in force: notice day + notice days. */
  readonly effectiveDate: IsoDate;
  readonly note: string | null;
}

type Terms = Pick<AgreementDefinition, 'signed' | 'effective' | 'termination' | 'parties'>;

/** The first day no longer in force after notice on `noticeDate`. */
export function terminationEffective(noticeDate: IsoDate, noticeDays: number): IsoDate {
  return addDays(noticeDate, noticeDays);
}

export function statusOn(a: Terms, notice: AgreementNotice | null, day: IsoDate): AgreementStatus {
  if (day < a.effective.from) return 'draft';
  const termEnds = a.effective.to === null ? null : addDays(a.effective.to, 1);
  const noticeEnds = notice?.effectiveDate ?? null;
  const ends =
    termEnds === null
      ? noticeEnds
      : noticeEnds === null
        ? termEnds
        : noticeEnds <= termEnds
          ? noticeEnds
          : termEnds;
  if (ends !== null && day >= ends) return ends === noticeEnds ? 'terminated' : 'ended';
  if (notice && day >= notice.noticeDate) return 'notice-given';
  return 'active';
}

/**
 * The days on which cross-vendor accruals count: from the agreement's effective day to the last day in
 * force, min(term end, termination effective - 1 day); null when that leaves no day.
 */
export function accrualWindow(
  a: Pick<AgreementDefinition, 'effective'>,
  notice: AgreementNotice | null,
): { from: IsoDate; lastDay: IsoDate | null } | null {
  const byNotice = notice ? addDays(notice.effectiveDate, -1) : null;
  const byTerm = a.effective.to;
  const lastDay =
    byNotice === null ? byTerm : byTerm === null ? byNotice : byNotice < byTerm ? byNotice : byTerm;
  if (lastDay !== null && lastDay < a.effective.from) return null;
  return { from: a.effective.from, lastDay };
}

/** Whether accruals count on a day. */
export function accruesOn(window: { from: IsoDate; lastDay: IsoDate | null } | null, day: IsoDate): boolean {
  return window !== null && day >= window.from && (window.lastDay === null || day <= window.lastDay);
}

export type NoticeDecision =
  | { ok: true; notice: AgreementNotice }
  | { ok: false; problem: 'conflict' | 'invalid'; location: string; reason: string };

/**
 * Checks a notice of termination: once per agreement, by a party, for a reason whose clause the
 * agreement has, dated while the agreement is in force (not before it takes effect, not after its term,
 * not after today).
 */
export function decideNotice(
  a: Terms & { code: string },
  existing: AgreementNotice | null,
  input: { by: string; reason: string; noticeDate: IsoDate; note: string | null; today: IsoDate },
): NoticeDecision {
  if (existing)
    return {
      ok: false,
      problem: 'conflict',
      location: 'agreement',
      reason: `notice was already given on ${existing.noticeDate} (${existing.reason}); it takes effect on ${existing.effectiveDate}`,
    };
  if (!a.parties.some((p) => p.vendor === input.by))
    return { ok: false, problem: 'invalid', location: 'by', reason: `${input.by} is not a party` };
  const reason = input.reason as NoticeReason;
  if (!(NOTICE_REASONS as readonly string[]).includes(reason))
    return {
      ok: false,
      problem: 'invalid',
      location: 'body.reason',
      reason: `unknown reason "${input.reason}"; expected ${NOTICE_REASONS.join(' or ')}`,
    };
  const clause = reason === 'change-of-control' ? a.termination.changeOfControl : a.termination.convenience;
  if (!clause.allowsTermination)
    return {
      ok: false,
      problem: 'invalid',
      location: 'body.reason',
      reason: `agreement ${a.code} does not allow termination for ${reason === 'change-of-control' ? 'change of control' : 'convenience'}`,
    };
  const day = input.noticeDate;
  if (day > input.today)
    return {
      ok: false,
      problem: 'invalid',
      location: 'body.date',
      reason: `notice cannot be dated in the future (${day}; today is ${input.today})`,
    };
  if (day < a.effective.from || day < a.signed)
    return {
      ok: false,
      problem: 'invalid',
      location: 'body.date',
      reason: `${day} is before the agreement takes effect (${a.effective.from})`,
    };
  if (a.effective.to !== null && day > a.effective.to)
    return {
      ok: false,
      problem: 'invalid',
      location: 'body.date',
      reason: `${day} is after the agreement's term ended (${a.effective.to})`,
    };
  return {
    ok: true,
    notice: {
      noticeDate: day,
      by: input.by,
      reason,
      effectiveDate: terminationEffective(day, a.termination.noticeDays),
      note: input.note,
    },
  };
}
