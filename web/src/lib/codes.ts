/** Code lists of the catalogue the web app offers in forms and filters (the API's enums). */

/** Product families (src/core/model/catalog.ts). */
export const PRODUCT_FAMILIES = [
  'servers',
  'storage',
  'networking',
  'data-protection',
  'services',
  'software',
];

/** Licensing models of software SKUs (src/core/model/catalog.ts LICENSING_MODELS). */
export const LICENSING_MODELS = ['perpetual', 'term', 'subscription', 'saas'] as const;
