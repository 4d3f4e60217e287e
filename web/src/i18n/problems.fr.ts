import type { TranslationOf } from './catalogue';
import type en from './problems.en';

export default {
  toSeeThis: 'pour voir cette page.',
  status: {
    s0: 'Pas de connexion',
    s400: 'Requête invalide',
    s401: 'Non connecté',
    s403: 'Non autorisé',
    s404: 'Introuvable',
    s409: 'Conflit',
    s413: 'Trop volumineux',
    s415: 'Type non accepté',
    s422: 'Limite dépassée',
    s429: 'Trop de requêtes',
    s500: 'Erreur du serveur',
    s503: 'Service indisponible',
  },
  messages: {
    payout: {
      missingRate:
        'Aucun taux {{from}}/{{to}} pour le {{day}} : le relevé {{statementId}} ne peut être réglé en {{to}} avant que ce taux soit chargé.',
      currencyNotAllowed: 'Le programme ne paie pas en {{currency}} ; il paie en {{allowed}}.',
    },
    mdf: {
      unknownTarget: '{{targetId}} ({{kind}}) n’appartient pas à votre entreprise chez ce fournisseur.',
      linkBeforeStart:
        '{{targetId}} ({{kind}}) précède le début de l’activité ({{startsOn}}) : ce n’est pas ce qu’elle a rapporté.',
      wrongStatus:
        'Cette activité est {{status}} : ce n’est pas possible maintenant (seulement si {{allowed}}).',
      notPositive: 'Indiquez un montant supérieur à zéro.',
      overRequested: '{{amountMinor}} dépasse les {{requestedMinor}} demandés.',
      overAvailable:
        '{{amountMinor}} dépasse ce que le fonds a de disponible aujourd’hui ({{availableMinor}}).',
      overPreapproved: '{{amountMinor}} dépasse les {{preapprovedMinor}} pré-approuvés.',
      overClaimed: '{{amountMinor}} dépasse les {{claimedMinor}} réclamés.',
      beforeEnd: 'L’activité se termine le {{endsOn}} : réclamez une fois qu’elle est terminée.',
      afterDeadline: 'Le délai de demande était le {{deadline}}.',
      notYetDue: 'Le délai de demande ({{deadline}}) n’est pas passé.',
      missingProof: 'Il manque à la demande un justificatif de type : {{missing}}.',
      reasonRequired: 'Dites pourquoi : un motif est obligatoire.',
      noMarketingFunds: 'Le programme {{program}} n’a pas de fonds marketing.',
      endsBeforeStart: 'L’activité ne peut pas finir avant de commencer.',
      noVersion:
        'Aucune année du programme n’est en vigueur le {{startsOn}} : choisissez des dates dans une année du programme.',
      unknownType: 'Le programme n’a pas de type d’activité « {{type}} ».',
      noZone: 'Votre entreprise n’est dans aucune zone de ce programme.',
      unknownFund: 'Le programme n’a pas de fonds « {{fund}} ».',
      fundClosed: 'Le fonds {{fund}} n’est pas ouvert à votre zone ({{zone}}).',
      titleRequired: 'Donnez un intitulé à l’activité.',
      duplicateFile: 'Un fichier est joint deux fois.',
    },
    unreachable: 'Impossible de joindre l’API ({{reason}}).',
    serverAnswered: 'Le serveur a répondu {{status}} {{statusText}}.',
    notFound: '{{what}} {{id}} est introuvable.',
    fileTooLarge: '{{name}} dépasse la taille maximale d’un fichier ({{limit}}).',
    fileEmpty: '{{name}} est vide.',
    fileTypeRefused:
      '{{name}} n’est pas d’un type de fichier accepté par Trellis : PDF, PNG, JPEG, GIF, WebP, texte brut et CSV, et documents Word, Excel et PowerPoint (docx, xlsx, pptx).',
    fileNameDisagrees:
      'Le contenu de {{name}} ne correspond pas à son extension .{{extension}} : renommez-le ou déposez le bon fichier.',
    fileNotOwned: 'Le fichier {{id}} ne fait pas partie de vos fichiers : déposez-le à nouveau.',
  },
} satisfies TranslationOf<typeof en>;
