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
