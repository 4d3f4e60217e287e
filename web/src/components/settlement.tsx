/** Small views shared by the settlement pages: a statement's status badges, a dispute's resolution. */
import { statementTone } from '../lib/settlement';
import type { Dispute, Statement } from '../pages/types';
import { Badge, IsoTime, SignedMoney } from './ui';

export function StatusBadges({ statement }: { statement: Pick<Statement, 'status' | 'overdue'> }) {
  return (
    <>
      <Badge tone={statementTone(statement.status)}>{statement.status}</Badge>
      {statement.overdue && (
        <>
          {' '}
          <Badge tone="bad">overdue</Badge>
        </>
      )}
    </>
  );
}

/** What the vendor decided: the amount credited and its note, or the reason for a rejection. */
export function DisputeResolution({ dispute: d }: { dispute: Dispute }) {
  if (d.status === 'open') return <span className="muted">Waiting for the vendor</span>;
  return (
    <>
      {d.status === 'accepted' && d.resolvedMinor !== null && (
        <>
          <SignedMoney minor={d.resolvedMinor} currency={d.currency} /> on the next statement
          {d.resolution ? ': ' : ''}
        </>
      )}
      {d.resolution}
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
