import type { TranslationOf } from './catalogue';
import type en from './nav.en';

export default {
  overview: 'Accueil',
  programs: 'Programmes',
  partners: 'Partenaires',
  customers: 'Clients',
  orders: 'Commandes',
  products: 'Produits',
  statements: 'Relevés',
  disputes: 'Contestations',
  closes: 'Clôtures',
  deals: 'Affaires',
  dealReviews: 'Revue des affaires',
  coverage: 'Couverture',
  directAccounts: 'Comptes directs',
  routing: 'Journal d’orientation',
  offers: 'Offres',
  myAccounts: 'Mes comptes',
  agreements: 'Accords',
  transfers: 'Transferts',
  simulations: 'Simulations',
  apiReference: 'Référence de l’API',
  openApi: 'Document OpenAPI',
  footer: 'Trellis : les programmes partenaires sous forme de code.',
  pageFailed: 'Cette page n’a pas pu s’afficher :',
} satisfies TranslationOf<typeof en>;
