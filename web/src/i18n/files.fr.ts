import type { TranslationOf } from './catalogue';
import type en from './files.en';

export default {
  choose: 'Choisir un fichier',
  chosen: '{{name}} ({{size}})',
  retry: 'Réessayer',
  uploading: 'Dépôt de {{name}}…',
  uploaded: '{{name}} déposé.',
  remove: 'Choisir un autre fichier',
  accepted:
    'PDF, images (PNG, JPEG, GIF, WebP), texte ou CSV, Word, Excel ou PowerPoint ; {{limit}} au plus.',
  size: {
    bytes: '{{count, number}} octets',
    kib: '{{value}} Ko',
    mib: '{{value}} Mo',
  },
} satisfies TranslationOf<typeof en>;
