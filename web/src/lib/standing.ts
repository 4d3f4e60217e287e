/** Display helpers for tier standing (GET /api/partners/{id}/progress): labels, values, progress. */
import { formatMoney } from './money';

export const MONEY_MEASURES: readonly string[] = ['revenue', 'servicesRevenue'];

export function isMoneyMeasure(measure: string): boolean {
  return MONEY_MEASURES.includes(measure);
}

/** The measures the catalogues name (`settle.measures.<measure>`); others show as they are. */
const NAMED_MEASURES: ReadonlySet<string> = new Set([
  'revenue',
  'servicesRevenue',
  'credits',
  'companyCertifications',
  'certifiedPeople',
]);

/** Looks a text up in the app's catalogues (the `t` of web/src/i18n), passed in so these stay pure. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A requirement's measure in the person's language: "Chiffre d’affaires", "Personnes certifiées (sales, toute famille)". */
export function requirementText(
  r: { readonly measure: string; readonly kind: string | null; readonly family: string | null },
  t: Translate,
): string {
  const base = NAMED_MEASURES.has(r.measure) ? t(`settle.measures.${r.measure}`) : r.measure;
  if (r.measure !== 'companyCertifications' && r.measure !== 'certifiedPeople') return base;
  if (r.kind === null && r.family === null) return base;
  return t('settle.measures.scoped', {
    measure: base,
    kind: r.kind ?? t('settle.measures.anyKind'),
    family:
      r.family === null
        ? t('settle.measures.anyFamily')
        : t(`settle.family.${r.family}`, { defaultValue: r.family }),
  });
}

/**
 * A requirement's value in its unit: money in minor units of `currency`, else a whole count; in `locale`
 * (en-US unless given).
 */
export function formatMeasureValue(
  measure: string,
  value: number,
  currency: string,
  locale = 'en-US',
): string {
  if (isMoneyMeasure(measure)) return formatMoney(value, currency, locale, { dropZeroMinor: true });
  return Number.isFinite(value) ? value.toLocaleString(locale) : String(value);
}

/** Whole percent of the target reached, 0-100 (a zero target counts as reached). */
export function percentOf(current: number, target: number): number {
  if (!(target > 0)) return 100;
  if (!(current > 0)) return 0;
  if (current >= target) return 100;
  return Math.min(99, Math.floor((current * 100) / target));
}

/** The date part of an ISO date or timestamp: what a date input and the API's asOf take. */
export function isoDay(value: string): string {
  return value.slice(0, 10);
}

export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
