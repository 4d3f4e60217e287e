/** Small display helpers for dates and codes: ISO 8601 without noise (milliseconds), days in a locale, codes as labels. */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** "2024-05-01T10:20:30.123Z" -> "2024-05-01T10:20:30Z" (or "2024-05-01" with `dateOnly`). Other text is returned as is. */
export function formatIso(value: string, dateOnly = false): string {
  if (DATE.test(value)) return value;
  const m = TIMESTAMP.exec(value);
  if (!m) return value;
  const [, date = '', time = '', zone = ''] = m;
  return dateOnly ? date : `${date}T${time}${zone === '+00:00' ? 'Z' : zone}`;
}

/** "service-provider" -> "Service provider", for labels built from API codes. */
export function humanize(code: string): string {
  const spaced = code
    .replace(/[-_]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A day ("2026-12-05") as a reader of `locale` writes it: ISO 8601 in English (unambiguous between American
 * and British readers), "05/12/2026" in French. What is not a day is returned as is.
 */
export function formatDay(isoDay: string, locale: string): string {
  const m = DAY.exec(isoDay.slice(0, 10));
  if (!m) return isoDay;
  if (locale.toLowerCase().startsWith('en')) return isoDay.slice(0, 10);
  return `${m[3]}/${m[2]}/${m[1]}`;
}
