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
    s422: 'Limite dépassée',
    s429: 'Trop de requêtes',
    s500: 'Erreur du serveur',
    s503: 'Service indisponible',
  },
  messages: {
    unreachable: 'Impossible de joindre l’API ({{reason}}).',
    serverAnswered: 'Le serveur a répondu {{status}} {{statusText}}.',
    notFound: '{{what}} {{id}} est introuvable.',
  },
} satisfies TranslationOf<typeof en>;
