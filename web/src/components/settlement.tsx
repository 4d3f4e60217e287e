/** Small views shared by the settlement pages: a statement's status badges, a dispute's resolution. */
import { Trans } from 'react-i18next';
import { useT } from '../i18n';
import { statementTone } from '../lib/settlement';
import type { Dispute, Statement } from '../pages/types';
import { Badge, IsoTime, SignedMoney } from './ui';

type T = ReturnType<typeof useT>;

/** Groups of stored values shown to people, each value with its text in the "settle" catalogue. */
export type SettleEnum =
  | 'statementStatus'
  | 'lineKind'
  | 'disputeStatus'
  | 'membershipSource'
  | 'exhaustion'
  | 'delivery'
  | 'enrolmentStatus'
  | 'partnerKind'
  | 'segment'
  | 'channel'
  | 'family'
  | 'licensing';

/** A stored value (a status, a kind) as people read it; an unknown value is shown as it is. */
export function enumText(t: T, group: SettleEnum, value: string): string {
  return t(`settle.${group}.${value}`, { defaultValue: value });
}

export function StatusBadges({ statement }: { statement: Pick<Statement, 'status' | 'overdue'> }) {
  const t = useT();
  return (
    <>
      <Badge tone={statementTone(statement.status)}>{enumText(t, 'statementStatus', statement.status)}</Badge>
      {statement.overdue && (
        <>
          {' '}
          <Badge tone="bad">{t('settle.overdue')}</Badge>
        </>
      )}
    </>
  );
}

/** What the vendor decided: the amount credited and its note, or the reason for a rejection. */
export function DisputeResolution({ dispute: d }: { dispute: Dispute }) {
  const t = useT();
  if (d.status === 'open') return <span className="muted">{t('settle.waitingForVendor')}</span>;
  const money = <SignedMoney minor={d.resolvedMinor ?? 0} currency={d.currency} />;
  return (
    <>
      {d.status === 'accepted' && d.resolvedMinor !== null ? (
        d.resolution ? (
          <Trans i18nKey="settle.creditedWithNote" values={{ note: d.resolution }} components={{ money }} />
        ) : (
          <Trans i18nKey="settle.credited" components={{ money }} />
        )
      ) : (
        d.resolution
      )}
      {d.resolvedAt && (
        <>
          {' '}
          <span className="muted">
            (<IsoTime value={d.resolvedAt} dateOnly />)
          </span>
        </>
      )}
    </>
  );
}
