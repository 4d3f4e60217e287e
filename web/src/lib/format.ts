/** Small display helpers for dates and codes. Dates stay ISO 8601; only noise (milliseconds) is removed. */

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

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
