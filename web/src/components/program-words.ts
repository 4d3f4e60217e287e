/**
 * The words of a program definition's readers (lib/program.ts) in the person's language: requirements,
 * rates, terms and durations on the program page and in policy values.
 */
import { useMemo } from 'react';
import { formatDate, formatNumber, useT } from '../i18n';
import type { ProgramWords } from '../lib/program';

type Tf = ReturnType<typeof useT>;

export function programWords(t: Tf): ProgramWords {
  return {
    years: (count) => t('programs.agreements.duration.years', { count }),
    months: (count) => t('programs.agreements.duration.months', { count }),
    days: (count) => t('programs.agreements.duration.days', { count }),
    number: (value) => formatNumber(value),
    percent: (ppm) =>
      Number.isSafeInteger(ppm)
        ? formatNumber(ppm / 1_000_000, { style: 'percent', maximumFractionDigits: 4 })
        : String(ppm),
    factor: (ppm) =>
      Number.isSafeInteger(ppm)
        ? `×${formatNumber(ppm / 1_000_000, { maximumFractionDigits: 6 })}`
        : String(ppm),
    revenueAtLeast: (amount) => t('programs.words.revenueAtLeast', { amount }),
    servicesRevenueAtLeast: (amount) => t('programs.words.servicesRevenueAtLeast', { amount }),
    creditsAtLeast: (credits) => t('programs.words.creditsAtLeast', { credits }),
    companyCertifications: (count) => t('programs.words.companyCertifications', { count }),
    certifiedPeople: (count) => t('programs.words.certifiedPeople', { count }),
    pointsOn: (points, families) => t('programs.words.pointsOn', { points, families }),
    growthAbove: (above, points) => t('programs.words.growthAbove', { above, points }),
    familiesList: (families) => t('programs.words.familiesList', { families }),
    factorOn: (factor, families) => t('programs.words.factorOn', { factor, families }),
    factorOnAllOthers: (factor) => t('programs.words.factorOnAllOthers', { factor }),
    cap: (amount) => t('programs.words.cap', { amount }),
    minimum: (amount) => t('programs.words.minimum', { amount }),
    newIfNoPurchaseIn: (duration) => t('programs.words.newIfNoPurchaseIn', { duration }),
    delivery: (delivery) => t('programs.words.delivery', { delivery }),
    atLeastFamilies: (count) => t('programs.words.atLeastFamilies', { count }),
    combinations: (combos) =>
      t('programs.words.combinations', {
        list: combos.map((x) => `[${x}]`).join(` ${t('programs.words.or')} `),
      }),
    comparedWith: (what) => t('programs.words.comparedWith', { what }),
    base: (base) => t('programs.words.base', { base }),
    expiresAfter: (duration) => t('programs.words.expiresAfter', { duration }),
    effective: (from, to) =>
      to === null
        ? t('programs.words.effectiveOpen', { from: formatDate(from) })
        : t('programs.words.effective', { from: formatDate(from), to: formatDate(to) }),
    componentNumber: (n) => t('programs.words.componentNumber', { n }),
    unreadable: t('programs.words.unreadable'),
  };
}

/** The program readers' words for the current language. */
export function useProgramWords(): ProgramWords {
  const t = useT();
  return useMemo(() => programWords(t), [t]);
}
