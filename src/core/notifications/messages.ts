import { minorExponent } from '../money/currency.js';
import { decimalString } from '../money/money.js';
import type { NotificationKind, NotificationParams } from './kinds.js';

export const MAIL_LOCALES = ['en', 'fr'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

/** A person's language for e-mail: its choice, else English. */
export function mailLocaleOf(locale: string | null | undefined): MailLocale {
  return locale === 'fr' ? 'fr' : 'en';
}

const INTL: Record<MailLocale, string> = { en: 'en-GB', fr: 'fr-FR' };

/** Money in the reader's locale (French: narrow no-break spaces, the currency after the amount). */
export function formatMoneyIn(locale: MailLocale, amountMinor: number, currency: string): string {
  const exp = minorExponent(currency);
  return new Intl.NumberFormat(INTL[locale], {
    style: 'currency',
    currency,
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
    // A decimal string is formatted exactly (Intl.NumberFormat v3); `minor / 10 ** exp` would round
    // amounts past 2^53 / 10^exp through a float.
  }).format(decimalString(amountMinor, exp) as unknown as number);
}

/** A calendar day (YYYY-MM-DD) or an instant in the reader's locale, as a day. */
export function formatDayIn(locale: MailLocale, day: string): string {
  const iso = day.length === 10 ? `${day}T00:00:00Z` : day;
  return new Intl.DateTimeFormat(INTL[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
}

/** A tier or status code as a name (`titanium-black` -> Titanium Black). */
export function tierName(code: string | null): string {
  if (code === null) return '';
  return code
    .split('-')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

export interface MailContext {
  vendorName: string;
  /** Where the person reads the subject in the web app (absolute when a public URL is configured). */
  link: string;
}

type Renderer<K extends NotificationKind> = (
  p: NotificationParams[K],
  c: MailContext,
  l: MailLocale,
) => { subject: string; body: string };

const DEAL_DECISION: Record<MailLocale, Record<NotificationParams['deal.decided']['decision'], string>> = {
  en: {
    approved: 'approved',
    rejected: 'rejected',
    extended: 'extended',
    'extension-refused': 'refused an extension',
  },
  fr: {
    approved: 'approuvé',
    rejected: 'refusé',
    extended: 'prolongé',
    'extension-refused': 'prolongation refusée',
  },
};

const MDF_DECISION: Record<MailLocale, Record<NotificationParams['mdf.decided']['decision'], string>> = {
  en: {
    preapproved: 'pre-approved',
    refused: 'refused',
    'claim-approved': 'paid the claim of',
    'claim-rejected': 'rejected the claim of',
  },
  fr: {
    preapproved: 'a pré-approuvé',
    refused: 'a refusé',
    'claim-approved': 'a payé la demande de remboursement de',
    'claim-rejected': 'a rejeté la demande de remboursement de',
  },
};

const RENDER: { [K in NotificationKind]: Record<MailLocale, Renderer<K>> } = {
  'statement.issued': {
    en: (p, c, l) => ({
      subject: `${c.vendorName}: statement ${p.period} issued`,
      body: `${c.vendorName} issued your statement for ${p.period}${p.sequence > 1 ? ` (supplement ${p.sequence})` : ''}: ${formatMoneyIn(l, p.totalMinor, p.currency)}.`,
    }),
    fr: (p, c, l) => ({
      subject: `${c.vendorName} : relevé ${p.period} émis`,
      body: `${c.vendorName} a émis votre relevé pour ${p.period}${p.sequence > 1 ? ` (complément ${p.sequence})` : ''} : ${formatMoneyIn(l, p.totalMinor, p.currency)}.`,
    }),
  },
  'dispute.decided': {
    en: (p, c, l) => ({
      subject: `${c.vendorName}: dispute ${p.decision}`,
      body:
        p.decision === 'accepted'
          ? `${c.vendorName} accepted your dispute on statement ${p.statementId}${p.amountMinor !== null ? `: an adjustment of ${formatMoneyIn(l, p.amountMinor, p.currency)}` : ''}.`
          : `${c.vendorName} rejected your dispute on statement ${p.statementId}.`,
    }),
    fr: (p, c, l) => ({
      subject: `${c.vendorName} : contestation ${p.decision === 'accepted' ? 'acceptée' : 'rejetée'}`,
      body:
        p.decision === 'accepted'
          ? `${c.vendorName} a accepté votre contestation sur le relevé ${p.statementId}${p.amountMinor !== null ? ` : un ajustement de ${formatMoneyIn(l, p.amountMinor, p.currency)}` : ''}.`
          : `${c.vendorName} a rejeté votre contestation sur le relevé ${p.statementId}.`,
    }),
  },
  'deal.decided': {
    en: (p, c, l) => ({
      subject: `${c.vendorName}: registration ${p.customerName} ${DEAL_DECISION.en[p.decision]}`,
      body: `${c.vendorName} ${DEAL_DECISION.en[p.decision]} your registration for ${p.customerName}${p.protectedUntil && (p.decision === 'approved' || p.decision === 'extended') ? `; protected until ${formatDayIn(l, p.protectedUntil)}` : ''}${p.reasonCode ? ` (reason: ${p.reasonCode})` : ''}.`,
    }),
    fr: (p, c, l) => ({
      subject: `${c.vendorName} : enregistrement ${p.customerName} ${DEAL_DECISION.fr[p.decision]}`,
      body: `Votre enregistrement pour ${p.customerName} chez ${c.vendorName} : ${DEAL_DECISION.fr[p.decision]}${p.protectedUntil && (p.decision === 'approved' || p.decision === 'extended') ? ` ; protégé jusqu’au ${formatDayIn(l, p.protectedUntil)}` : ''}${p.reasonCode ? ` (motif : ${p.reasonCode})` : ''}.`,
    }),
  },
  'deal.expiring': {
    en: (p, c, l) => ({
      subject: `${c.vendorName}: protection of ${p.customerName} ends in ${p.daysLeft} ${p.daysLeft === 1 ? 'day' : 'days'}`,
      body: `Your registration for ${p.customerName} with ${c.vendorName} is protected until ${formatDayIn(l, p.protectedUntil)}. Close the deal or ask for an extension.`,
    }),
    fr: (p, c, l) => ({
      subject: `${c.vendorName} : la protection de ${p.customerName} prend fin dans ${p.daysLeft} ${p.daysLeft <= 1 ? 'jour' : 'jours'}`,
      body: `Votre enregistrement pour ${p.customerName} chez ${c.vendorName} est protégé jusqu’au ${formatDayIn(l, p.protectedUntil)}. Concluez l’affaire ou demandez une prolongation.`,
    }),
  },
  'offer.received': {
    en: (p, c, l) => ({
      subject: `${c.vendorName}: a customer order is offered to you`,
      body: `${c.vendorName} offers you a customer order. Accept or decline it before ${formatDayIn(l, p.deadline)}.`,
    }),
    fr: (p, c, l) => ({
      subject: `${c.vendorName} : une commande client vous est proposée`,
      body: `${c.vendorName} vous propose une commande client. Acceptez-la ou déclinez-la avant le ${formatDayIn(l, p.deadline)}.`,
    }),
  },
  'tier.changed': {
    en: (p, c, l) => ({
      subject: `${c.vendorName}: your tier is now ${tierName(p.to)}`,
      body:
        p.from === null
          ? `You hold ${tierName(p.to)} with ${c.vendorName} from ${formatDayIn(l, p.validFrom)}.`
          : `Your tier with ${c.vendorName} moved from ${tierName(p.from)} to ${tierName(p.to)} on ${formatDayIn(l, p.validFrom)}.`,
    }),
    fr: (p, c, l) => ({
      subject: `${c.vendorName} : votre niveau est désormais ${tierName(p.to)}`,
      body:
        p.from === null
          ? `Vous détenez le niveau ${tierName(p.to)} chez ${c.vendorName} à partir du ${formatDayIn(l, p.validFrom)}.`
          : `Votre niveau chez ${c.vendorName} est passé de ${tierName(p.from)} à ${tierName(p.to)} le ${formatDayIn(l, p.validFrom)}.`,
    }),
  },
  'mdf.decided': {
    en: (p, c, l) => ({
      subject: `${c.vendorName}: MDF activity ${p.title} ${p.decision.replace('claim-', 'claim ')}`,
      body: `${c.vendorName} ${MDF_DECISION.en[p.decision]} your MDF activity ${p.title}${p.amountMinor !== null ? `: ${formatMoneyIn(l, p.amountMinor, p.currency)}` : ''}${p.reason ? ` (${p.reason})` : ''}.${p.decision === 'preapproved' || p.decision === 'claim-rejected' ? ` Claim by ${formatDayIn(l, p.claimDeadline)}.` : ''}`,
    }),
    fr: (p, c, l) => ({
      subject: `${c.vendorName} : activité FDM ${p.title}`,
      body: `${c.vendorName} ${MDF_DECISION.fr[p.decision]} votre activité FDM ${p.title}${p.amountMinor !== null ? ` : ${formatMoneyIn(l, p.amountMinor, p.currency)}` : ''}${p.reason ? ` (${p.reason})` : ''}.${p.decision === 'preapproved' || p.decision === 'claim-rejected' ? ` Demande de remboursement avant le ${formatDayIn(l, p.claimDeadline)}.` : ''}`,
    }),
  },
  'mdf.claim-due': {
    en: (p, c, l) => ({
      subject: `${c.vendorName}: claim ${p.title} by ${formatDayIn(l, p.claimDeadline)}`,
      body: `Your MDF activity ${p.title} has ended: claim up to ${formatMoneyIn(l, p.preapprovedMinor, p.currency)} from ${c.vendorName}, with its proof, by ${formatDayIn(l, p.claimDeadline)} (${p.daysLeft} day(s) left). After that the pre-approval lapses.`,
    }),
    fr: (p, c, l) => ({
      subject: `${c.vendorName} : demande de remboursement de ${p.title} avant le ${formatDayIn(l, p.claimDeadline)}`,
      body: `Votre activité FDM ${p.title} est terminée : demandez jusqu’à ${formatMoneyIn(l, p.preapprovedMinor, p.currency)} à ${c.vendorName}, avec ses justificatifs, avant le ${formatDayIn(l, p.claimDeadline)} (${p.daysLeft} jour(s) restant(s)). Ensuite la pré-approbation expire.`,
    }),
  },
  'certification.expiring': {
    en: (p, c, l) => ({
      subject: `${c.vendorName}: a certification of ${p.personName} expires in ${p.daysLeft} ${p.daysLeft === 1 ? 'day' : 'days'}`,
      body: `The ${p.certification}${p.family ? ` (${p.family})` : ''} certification of ${p.personName} with ${c.vendorName} expires on ${formatDayIn(l, p.expiresOn)}.`,
    }),
    fr: (p, c, l) => ({
      subject: `${c.vendorName} : une certification de ${p.personName} expire dans ${p.daysLeft} ${p.daysLeft <= 1 ? 'jour' : 'jours'}`,
      body: `La certification ${p.certification}${p.family ? ` (${p.family})` : ''} de ${p.personName} chez ${c.vendorName} expire le ${formatDayIn(l, p.expiresOn)}.`,
    }),
  },
};

const FOOTER: Record<MailLocale, (link: string) => string> = {
  en: (link) =>
    `Open it in Trellis: ${link}\n\nYou receive this because e-mail notifications are on in your Trellis preferences.`,
  fr: (link) =>
    `Ouvrir dans Trellis : ${link}\n\nVous recevez ce message car les notifications par e-mail sont activées dans vos préférences Trellis.`,
};

/** The e-mail of a notification in the reader's language: subject and plain-text body. */
export function renderMail<K extends NotificationKind>(
  kind: K,
  params: NotificationParams[K],
  context: MailContext,
  locale: MailLocale,
): { subject: string; text: string } {
  const render = RENDER[kind][locale] as Renderer<K>;
  const { subject, body } = render(params, context, locale);
  return { subject, text: `${body}\n\n${FOOTER[locale](context.link)}\n` };
}

/** The web app's path for a notification's subject. */
export function subjectPath(subjectType: string, subjectId: string, params: Record<string, unknown>): string {
  switch (subjectType) {
    case 'statement':
      return `/statements/${subjectId}`;
    case 'dispute':
      return typeof params.statementId === 'string' ? `/statements/${params.statementId}` : '/disputes';
    case 'deal':
      return `/deals/${subjectId}`;
    case 'offer':
      return '/offers';
    case 'program':
      return `/programs/${subjectId}`;
    case 'certification':
      return '/certifications';
    default:
      return '/notifications';
  }
}
