/**
 * Display helpers for vendor agreements (GET /api/agreements...): status, terms in words, notice dates, in
 * the person's language (`t` from web/src/i18n, texts under `programs.agreements.*`) and locale.
 */
import { formatDay } from './format';
import { formatPpmPercent } from './money';
import type { Translate } from './standing';

export type AgreementStatus = 'draft' | 'active' | 'notice-given' | 'terminated' | 'ended';

export function agreementStatusTone(status: string): 'ok' | 'warn' | 'bad' | 'neutral' | 'info' {
  switch (status) {
    case 'active':
      return 'ok';
    case 'notice-given':
      return 'warn';
    case 'terminated':
      return 'bad';
    case 'draft':
      return 'info';
    default:
      return 'neutral';
  }
}

const STATUS_KEYS: Readonly<Record<string, string>> = {
  draft: 'programs.agreements.status.draft',
  active: 'programs.agreements.status.active',
  'notice-given': 'programs.agreements.status.noticeGiven',
  terminated: 'programs.agreements.status.terminated',
  ended: 'programs.agreements.status.ended',
};

/** An agreement's status as people read it: "notice given", "préavis donné"; an unknown one as it is. */
export function agreementStatusLabel(t: Translate, status: string): string {
  const key = STATUS_KEYS[status];
  return key ? t(key) : status;
}

/** Basis points as a percent, exactly: 5000 -> "50%", 3333 -> "33.33%", 2510 -> "25.1%" (en-US). */
export function basisPointsText(bp: number, locale?: string): string {
  return Number.isSafeInteger(bp) ? formatPpmPercent(bp * 100, locale) : String(bp);
}

const UNIT_KEYS: Readonly<Record<string, string>> = {
  Y: 'programs.agreements.duration.years',
  M: 'programs.agreements.duration.months',
  W: 'programs.agreements.duration.weeks',
  D: 'programs.agreements.duration.days',
};

/** An ISO 8601 date duration in words: "P5Y" -> "5 years", "P90D" -> "90 days", "P1Y6M" -> "1 year 6 months". */
export function durationWords(t: Translate, iso: string): string {
  const m = /^P((?:\d+[YMWD])+)$/.exec(iso);
  if (!m?.[1]) return iso;
  const parts = [...m[1].matchAll(/(\d+)([YMWD])/g)].flatMap(([, n = '0', unit = 'D']) => {
    const count = Number(n);
    if (count === 0) return [];
    return [t(UNIT_KEYS[unit] ?? UNIT_KEYS.D!, { count })];
  });
  return parts.length ? parts.join(' ') : t('programs.agreements.duration.days', { count: 0 });
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `day` + `days` calendar days (UTC, no time zones), or null when `day` is not an ISO date. */
export function addDaysIso(day: string, days: number): string | null {
  const m = ISO.exec(day);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.toISOString().slice(0, 10) !== day) return null;
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The default notice day: today, or the term's last day once the term has run out (notice is dated in term). */
export function defaultNoticeDate(today: string, effectiveFrom: string, effectiveTo: string | null): string {
  if (today < effectiveFrom) return effectiveFrom;
  if (effectiveTo !== null && today > effectiveTo) return effectiveTo;
  return today;
}

const REASON_KEYS: Readonly<Record<string, string>> = {
  'change-of-control': 'changeOfControl',
  convenience: 'convenience',
};

/** A notice reason as an option: "Change of control"; an unknown one as it is. */
export function noticeReasonLabel(t: Translate, reason: string): string {
  const key = REASON_KEYS[reason];
  return key ? t(`programs.agreements.reason.${key}`) : reason;
}

/** A notice reason inside a sentence: "change of control". */
export function noticeReasonText(t: Translate, reason: string): string {
  const key = REASON_KEYS[reason];
  return key ? t(`programs.agreements.reasonText.${key}`) : reason.toLowerCase();
}

/** The reasons the agreement allows notice for (its clauses), in the API's spelling. */
export function allowedNoticeReasons(terms: {
  readonly changeOfControl: { readonly allowsTermination: boolean };
  readonly convenience: { readonly allowsTermination: boolean };
}): string[] {
  const out: string[] = [];
  if (terms.changeOfControl.allowsTermination) out.push('change-of-control');
  if (terms.convenience.allowsTermination) out.push('convenience');
  return out;
}

/**
 * A problem for the notice form before it is sent, or null: a date, in term, not in the future. Days in
 * the message are written for `locale`.
 */
export function noticeDateProblem(
  t: Translate,
  locale: string,
  date: string,
  today: string,
  effectiveFrom: string,
  effectiveTo: string | null,
): string | null {
  const day = (d: string) => formatDay(d, locale);
  if (addDaysIso(date, 0) === null) return t('programs.agreements.dateProblem.notADate');
  if (date > today) return t('programs.agreements.dateProblem.future', { day: day(today) });
  if (date < effectiveFrom)
    return t('programs.agreements.dateProblem.beforeStart', { day: day(effectiveFrom) });
  if (effectiveTo !== null && date > effectiveTo)
    return t('programs.agreements.dateProblem.afterEnd', { day: day(effectiveTo) });
  return null;
}
