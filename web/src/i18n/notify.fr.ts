import type { TranslationOf } from './catalogue';
import type en from './notify.en';

export default {
  title: 'Notifications',
  bell_zero: 'Notifications, aucune non lue',
  bell_one: 'Notifications, {{count, number}} non lue',
  bell_other: 'Notifications, {{count, number}} non lues',
  intro:
    'Ce qui est arrivé à vos relevés, contestations, enregistrements, offres, niveaux et certifications.',
  onlyUnread: 'Non lues seulement',
  markRead: 'Marquer comme lue',
  markAllRead: 'Tout marquer comme lu',
  unread: 'Non lue',
  empty: 'Aucune notification.',
  emptyUnread: 'Rien de non lu.',
  open: 'Ouvrir',
  email: 'M’envoyer aussi ces notifications par e-mail',
  emailSaved: 'Préférence d’e-mail enregistrée.',
  from: 'De {{vendor}}',
  kinds: {
    mdfPreapproved:
      'Votre activité « {{title}} » est pré-approuvée pour {{amount}} ; réclamez avant le {{deadline}} une fois terminée.',
    mdfRefused: 'Votre activité « {{title}} » a été refusée.',
    mdfClaimPaid: 'Votre demande pour « {{title}} » est approuvée : {{amount}} payés.',
    mdfClaimRejected:
      'Votre demande pour « {{title}} » a été rejetée ; vous pouvez réclamer à nouveau avant le {{deadline}}.',
    mdfClaimDue_one:
      'Réclamez {{amount}} pour « {{title}} » : {{count, number}} jour restant (avant le {{deadline}}).',
    mdfClaimDue_other:
      'Réclamez {{amount}} pour « {{title}} » : {{count, number}} jours restants (avant le {{deadline}}).',
    statementIssued: 'Le relevé {{sequence}} de {{period}} a été émis : {{total}}.',
    disputeAccepted: 'Votre contestation du relevé {{statementId}} a été acceptée ({{amount}}).',
    disputeRejected: 'Votre contestation du relevé {{statementId}} a été rejetée.',
    dealApproved: 'Votre enregistrement pour {{customer}} a été approuvé, protégé jusqu’au {{until}}.',
    dealRejected: 'Votre enregistrement pour {{customer}} a été rejeté.',
    dealExtended:
      'La protection de votre enregistrement pour {{customer}} a été prolongée jusqu’au {{until}}.',
    dealExtensionRefused: 'La prolongation de votre enregistrement pour {{customer}} a été refusée.',
    dealExpiring_one:
      'Votre enregistrement pour {{customer}} ne sera plus protégé dans {{count, number}} jour ({{until}}).',
    dealExpiring_other:
      'Votre enregistrement pour {{customer}} ne sera plus protégé dans {{count, number}} jours ({{until}}).',
    offerReceived: 'Une commande vous a été proposée ; répondez avant le {{deadline}}.',
    tierUp: 'Vous êtes passé au niveau {{to}} (depuis {{from}}) le {{day}}.',
    tierDown: 'Vous êtes descendu au niveau {{to}} (depuis {{from}}) le {{day}}.',
    tierNew: 'Vous détenez désormais le niveau {{to}}, depuis le {{day}}.',
    certificationExpiring_one:
      'La certification {{certification}} de {{person}} expire dans {{count, number}} jour ({{day}}).',
    certificationExpiring_other:
      'La certification {{certification}} de {{person}} expire dans {{count, number}} jours ({{day}}).',
  },
} satisfies TranslationOf<typeof en>;
