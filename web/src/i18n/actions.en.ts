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
} as const;
