/** Display helpers for vendor agreements (GET /api/agreements...): status, terms in words, notice dates. */

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

const STATUS_LABELS: Readonly<Record<string, string>> = {
  draft: 'draft',
  active: 'active',
  'notice-given': 'notice given',
  terminated: 'terminated',
  ended: 'ended',
};

export function agreementStatusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** Basis points as a percent, exactly: 5000 -> "50%", 3333 -> "33.33%", 2510 -> "25.1%". */
export function basisPointsText(bp: number): string {
  if (!Number.isSafeInteger(bp)) return String(bp);
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(bp);
  const cents = String(abs % 100)
    .padStart(2, '0')
    .replace(/0$/, '');
  return `${sign}${Math.floor(abs / 100)}${abs % 100 ? `.${cents}` : ''}%`;
}

const UNITS: Readonly<Record<string, [string, string]>> = {
  Y: ['year', 'years'],
  M: ['month', 'months'],
  W: ['week', 'weeks'],
  D: ['day', 'days'],
};

/** An ISO 8601 date duration in words: "P5Y" -> "5 years", "P90D" -> "90 days", "P1Y6M" -> "1 year 6 months". */
export function durationWords(iso: string): string {
  const m = /^P((?:\d+[YMWD])+)$/.exec(iso);
  if (!m?.[1]) return iso;
  const parts = [...m[1].matchAll(/(\d+)([YMWD])/g)].flatMap(([, n = '0', unit = 'D']) => {
    const count = Number(n);
    if (count === 0) return [];
    const [one, many] = UNITS[unit] ?? [unit, unit];
    return [`${count} ${count === 1 ? one : many}`];
  });
  return parts.length ? parts.join(' ') : '0 days';
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

export const NOTICE_REASON_LABELS: Readonly<Record<string, string>> = {
  'change-of-control': 'Change of control',
  convenience: 'Convenience',
};

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

/** A problem for the notice form before it is sent, or null: a date, in term, not in the future. */
export function noticeDateProblem(
  date: string,
  today: string,
  effectiveFrom: string,
  effectiveTo: string | null,
): string | null {
  if (addDaysIso(date, 0) === null) return 'Enter the notice day as a date (YYYY-MM-DD).';
  if (date > today) return `Notice cannot be dated in the future (today is ${today}).`;
  if (date < effectiveFrom)
    return `The agreement takes effect on ${effectiveFrom}; notice is dated from then.`;
  if (effectiveTo !== null && date > effectiveTo)
    return `The agreement's term ended on ${effectiveTo}; notice is dated within the term.`;
  return null;
}
