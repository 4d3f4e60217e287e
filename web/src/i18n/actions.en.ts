/** Actions that change things from a list page: rebuild coverage, lapse offers, add a product. */
export default {
  coverage: {
    rebuild: 'Rebuild coverage',
    intro: "Recomputes who sold to whom and every account's coverage from the stored orders.",
    confirm: "Rebuild every account's coverage from the stored orders now?",
    running: 'Rebuilding coverage…',
    done: 'Coverage rebuilt.',
  },
  routing: {
    sweep: 'Lapse overdue offers',
    intro: 'Offers past their deadline lapse now (the server also does it every minute).',
    confirm: 'Lapse every offer past its deadline now?',
    lapsed_one: '{{count, number}} offer lapsed.',
    lapsed_other: '{{count, number}} offers lapsed.',
  },
  product: {
    title: 'Add a product',
    sku: 'SKU',
    name: 'Name',
    family: 'Family',
    listPrice: 'List price',
    currency: 'Currency',
    licensing: 'Licensing (software)',
    noLicensing: 'None (hardware)',
    solution: 'Solution area (optional)',
    submit: 'Add the product',
    skuRequired: 'Give the SKU.',
    nameRequired: 'Give the product’s name.',
    currencyFormat: 'Three letters, such as USD.',
    added: 'Product {{sku}} added:',
  },
} as const;
