/**
 * What a notification says and where it leads. The server sends a kind and parameters, never text
 * (src/core/notifications/kinds.ts); this turns them into a sentence in the reader's language.
 */
import type { TFunction } from 'i18next';
import { detailPath } from './routes';

export interface NotificationView {
  readonly kind: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly subject: { readonly type: string; readonly id: string };
}

export interface Formatters {
  readonly money: (minor: number, currency: string) => string;
  readonly day: (isoDay: string) => string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** A tier code as a name: `titanium-black` -> "Titanium Black". */
const tierName = (v: unknown): string =>
  str(v)
    .split('-')
    .map((w) => (w ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');

/** The sentence a notification says, or null for a kind this app does not know yet. */
export function notificationText(n: NotificationView, t: TFunction, f: Formatters): string | null {
  const p = n.params;
  const day = (v: unknown) => (str(v) ? f.day(str(v).slice(0, 10)) : '');
  switch (n.kind) {
    case 'statement.issued':
      return t('notify.kinds.statementIssued', {
        sequence: num(p.sequence),
        period: str(p.period),
        total: f.money(num(p.totalMinor), str(p.currency)),
      });
    case 'dispute.decided':
      return p.decision === 'accepted'
        ? t('notify.kinds.disputeAccepted', {
            statementId: str(p.statementId),
            amount: typeof p.amountMinor === 'number' ? f.money(p.amountMinor, str(p.currency)) : '',
          })
        : t('notify.kinds.disputeRejected', { statementId: str(p.statementId) });
    case 'deal.decided': {
      const key = {
        approved: 'notify.kinds.dealApproved',
        rejected: 'notify.kinds.dealRejected',
        extended: 'notify.kinds.dealExtended',
        'extension-refused': 'notify.kinds.dealExtensionRefused',
      }[str(p.decision)];
      return key ? t(key, { customer: str(p.customerName), until: day(p.protectedUntil) }) : null;
    }
    case 'deal.expiring':
      return t('notify.kinds.dealExpiring', {
        customer: str(p.customerName),
        count: num(p.daysLeft),
        until: day(p.protectedUntil),
      });
    case 'offer.received':
      return t('notify.kinds.offerReceived', { deadline: day(p.deadline) });
    case 'tier.changed': {
      const direction = str(p.direction);
      const key =
        direction === 'up'
          ? 'notify.kinds.tierUp'
          : direction === 'down'
            ? 'notify.kinds.tierDown'
            : 'notify.kinds.tierNew';
      return t(key, { to: tierName(p.to), from: tierName(p.from), day: day(p.validFrom) });
    }
    case 'certification.expiring':
      return t('notify.kinds.certificationExpiring', {
        person: str(p.personName),
        certification: str(p.certification),
        count: num(p.daysLeft),
        day: day(p.expiresOn),
      });
    case 'mdf.decided': {
      const key = {
        preapproved: 'notify.kinds.mdfPreapproved',
        refused: 'notify.kinds.mdfRefused',
        'claim-approved': 'notify.kinds.mdfClaimPaid',
        'claim-rejected': 'notify.kinds.mdfClaimRejected',
      }[str(p.decision)];
      if (!key) return null;
      return t(key, {
        title: str(p.title),
        amount: p.amountMinor == null ? '' : f.money(num(p.amountMinor), str(p.currency)),
        deadline: day(p.claimDeadline),
      });
    }
    case 'mdf.claim-due':
      return t('notify.kinds.mdfClaimDue', {
        title: str(p.title),
        count: num(p.daysLeft),
        deadline: day(p.claimDeadline),
        amount: f.money(num(p.preapprovedMinor), str(p.currency)),
      });
    default:
      return null;
  }
}

/** Where the notification's subject is read in the app. */
export function notificationLink(n: NotificationView): string | null {
  switch (n.subject.type) {
    case 'statement':
      return detailPath('statements', n.subject.id);
    case 'dispute':
      return detailPath('disputes', n.subject.id);
    case 'deal':
      return detailPath('deals', n.subject.id);
    case 'offer':
      return '/offers';
    case 'program':
      return detailPath('programs', n.subject.id);
    case 'mdf-activity':
      return detailPath('mdf', n.subject.id);
    default: {
      const programId = n.params.programId;
      return typeof programId === 'string' ? detailPath('programs', programId) : null;
    }
  }
}
