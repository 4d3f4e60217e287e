/** Small views shared by the deal-registration pages: status badges, countdowns, lines and history. */
import { useEffect, useState } from 'react';
import { formatDate, locale, plainT, useT } from '../i18n';
import {
  awaitingReview,
  dealStatusText,
  dealTone,
  familyText,
  formatLocalTime,
  protectionText,
  protectionUrgent,
  slaTimer,
} from '../lib/deals';
import { humanize } from '../lib/format';
import type { Deal, DealEvent, DealLine } from '../pages/deals-types';
import { Badge, Dash, Money, TableWrap } from './ui';

/** The current time, ticking every `everyMs` (timers and countdowns stay right while a page is open). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(t);
  }, [everyMs]);
  return now;
}

/** An instant in the person's own time zone; the UTC instant stays in dateTime and the tooltip. */
export function LocalTime({ value }: { value: string | null | undefined }) {
  if (!value) return <Dash />;
  return (
    <time dateTime={value} title={value}>
      {formatLocalTime(value, locale())}
    </time>
  );
}

export function DealStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={dealTone(status)}>
      <span data-status={status}>{dealStatusText(t, status)}</span>
    </Badge>
  );
}

/** The status, plus the vendor's flags: SLA breached, escalated, an extension asked for. */
export function DealBadges({ deal }: { deal: Deal }) {
  const t = useT();
  return (
    <span className="badges">
      <DealStatusBadge status={deal.status} />
      {deal.slaBreached && (
        <>
          {' '}
          <Badge tone="bad">{t('deals.badges.slaBreached')}</Badge>
        </>
      )}
      {deal.escalated && (
        <>
          {' '}
          <Badge tone="warn">{t('deals.badges.escalated')}</Badge>
        </>
      )}
      {deal.extensionRequestedAt && (deal.status === 'approved' || deal.status === 'extended') && (
        <>
          {' '}
          <Badge tone="info">{t('deals.badges.extensionRequested')}</Badge>
        </>
      )}
    </span>
  );
}

/** "protected 23 more days", urgent under 14 days; nothing when the registration does not protect. */
export function ProtectionCountdown({ deal }: { deal: Pick<Deal, 'protectionDaysLeft' | 'protectedUntil'> }) {
  const t = useT();
  const text = protectionText(plainT(t), deal.protectionDaysLeft);
  if (!text) return <Dash />;
  const urgent = protectionUrgent(deal.protectionDaysLeft);
  return (
    <span
      className={urgent ? 'countdown countdown-urgent' : 'countdown'}
      title={
        deal.protectedUntil
          ? t('deals.protection.lastProtectedDay', { day: formatDate(deal.protectedUntil) })
          : undefined
      }
    >
      {urgent && <span aria-hidden="true">⚠ </span>}
      {text}
      {urgent && <span className="visually-hidden"> {t('deals.protection.expiringSoon')}</span>}
    </span>
  );
}

/** The review clock: "due in 2 h 10 min", or "overdue by 35 min" in red; nothing once decided. */
export function SlaTimer({ deal, now }: { deal: Pick<Deal, 'status' | 'reviewDueAt'>; now: number }) {
  const t = useT();
  if (!awaitingReview(deal.status)) return <Dash />;
  const timer = slaTimer(plainT(t), deal.reviewDueAt, now);
  if (!timer) return <Dash />;
  return (
    <span className={timer.overdue ? 'sla sla-overdue' : 'sla'} title={deal.reviewDueAt ?? undefined}>
      {timer.text}
    </span>
  );
}

export function DealLinesTable({
  lines,
  currency,
  caption,
}: {
  lines: readonly DealLine[];
  currency: string;
  caption: string;
}) {
  const t = useT();
  const total = lines.reduce((s, l) => s + l.amountMinor, 0);
  return (
    <TableWrap label={caption}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('deals.lines.line')}</th>
            <th scope="col">{t('deals.lines.family')}</th>
            <th scope="col">{t('deals.lines.description')}</th>
            <th scope="col" className="num">
              {t('deals.lines.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.lineNo}>
              <td>{l.lineNo}</td>
              <td>{familyText(t, l.family)}</td>
              <td>{l.description ?? <Dash />}</td>
              <td className="num">
                <Money minor={l.amountMinor} currency={currency} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              {t('deals.lines.total')}
            </th>
            <td className="num">
              <Money minor={total} currency={currency} />
            </td>
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}

/** The immutable history: when (the person's time zone), which side acted, what changed, the note. */
export function DealHistory({
  history,
  reasonLabel,
}: {
  history: readonly DealEvent[];
  reasonLabel: (code: string) => string;
}) {
  const t = useT();
  return (
    <ol className="deal-history">
      {history.map((e, i) => (
        <li key={i}>
          <LocalTime value={e.at} /> ·{' '}
          <strong>{t(`deals.history.sides.${e.by}`, { defaultValue: humanize(e.by) })}</strong>
          {t('common.colon')}
          {t(`deals.history.actions.${e.action}`, { defaultValue: humanize(e.action) })}
          {e.fromStatus !== e.toStatus && (
            <>
              {' '}
              <span className="muted">
                ({e.fromStatus ? `${dealStatusText(t, e.fromStatus)} → ` : ''}
                {dealStatusText(t, e.toStatus)})
              </span>
            </>
          )}
          {e.reasonCode && (
            <>
              {' '}
              · <em>{reasonLabel(e.reasonCode)}</em>
            </>
          )}
          {e.note && <p className="history-note">“{e.note}”</p>}
        </li>
      ))}
    </ol>
  );
}
