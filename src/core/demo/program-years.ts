import { addDays, isoDate, parseIsoDate } from './calendar.js';

/** A shipped program file the demo may publish: its text and what it says about its year. */
export interface ProgramYearFile {
  /** Where it came from (a path under programs/, or a derived label). */
  file: string;
  text: string;
  vendor: string;
  code: string;
  version: string;
  from: string;
  /** Inclusive last day; null for an open-ended version. */
  to: string | null;
  /** The program's nominal fiscal year start (`MM-DD`, the file's fiscalYearStart), for deriving later years. */
  fiscalYearStart?: string | undefined;
}

/** A program year the demo publishes: a shipped file, or one the demo derived for a year none ships. */
export interface DemoProgramYear extends ProgramYearFile {
  /** Derived from the previous year's file (the calendar moved past the last shipped version). */
  derived: boolean;
}

const DAY_MS = 86_400_000;
const LABEL = /^([A-Za-z]*)(\d+)$/;

/**
 * Which program versions the demo publishes for `today`: per program (vendor and code), every shipped
 * version that starts on or before today, in date order. When today falls after the last shipped version
 * of a program, the demo derives the missing years from the last file rather than refuse to start (so
 * `npm start` never breaks because the calendar moved): the same text with the next label (FY27 -> FY28,
 * fy27 -> fy28), its year starting the day after the last one ended and ending on the same weekday
 * nearest the anniversary of that end (Dell's and VMware's years end on the Friday nearest 31 January),
 * and a header saying it was derived and which file to add to ship real figures. A program whose last
 * shipped version is open-ended needs nothing derived.
 */
export function demoProgramYears(files: readonly ProgramYearFile[], today: string): DemoProgramYear[] {
  const byProgram = new Map<string, ProgramYearFile[]>();
  for (const f of files) {
    const key = `${f.vendor}/${f.code}`;
    const list = byProgram.get(key) ?? [];
    list.push(f);
    byProgram.set(key, list);
  }
  const out: DemoProgramYear[] = [];
  for (const list of byProgram.values()) {
    list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    const shipped = list.filter((f) => f.from <= today);
    for (const f of shipped) out.push({ ...f, derived: false });
    let last: ProgramYearFile | undefined = shipped.at(-1);
    while (last !== undefined && last.to !== null && last.to < today) {
      last = deriveNextYear(last);
      out.push({ ...last, derived: true });
    }
  }
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.vendor < b.vendor ? -1 : 1));
}

/** The next label of a version: FY27 -> FY28; a label without a trailing number cannot be continued. */
export function nextVersionLabel(version: string): string {
  const m = LABEL.exec(version);
  if (m === null)
    throw new RangeError(
      `version "${version}" does not end in a year number, so the demo cannot derive the next one`,
    );
  const digits = m[2] as string;
  return `${m[1]}${String(Number(digits) + 1).padStart(digits.length, '0')}`;
}

/**
 * The last day of the year after one that ended on `end`: the same weekday as `end`, nearest the nominal
 * year end (the day before `fiscalYearStart` in the next year; without it, the anniversary of `end`).
 * Dell's FY27 ends Friday 2027-01-29: FY28 ends Friday 2028-01-28, FY29 Friday 2029-02-02.
 */
export function nextYearEnd(end: string, fiscalYearStart?: string): string {
  const endMs = parseIsoDate(end);
  const d = new Date(endMs);
  const nominal =
    fiscalYearStart === undefined
      ? Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate())
      : parseIsoDate(`${d.getUTCFullYear() + 1}-${fiscalYearStart}`) - DAY_MS;
  // 52 weeks after the end, then whole weeks towards the nominal end while that brings it closer.
  let next = endMs + 364 * DAY_MS;
  while (nominal - next > 3 * DAY_MS) next += 7 * DAY_MS;
  while (next - nominal > 3 * DAY_MS) next -= 7 * DAY_MS;
  return isoDate(next);
}

function deriveNextYear(last: ProgramYearFile): ProgramYearFile {
  if (last.to === null) throw new RangeError(`${last.file} is open-ended: nothing to derive`);
  const version = nextVersionLabel(last.version);
  const from = addDays(last.to, 1);
  const to = nextYearEnd(last.to, last.fiscalYearStart);
  const lower = last.version.toLowerCase();
  const nextLower = version.toLowerCase();
  const file = last.file.includes(lower)
    ? last.file.replace(lower, nextLower).replace(/ \(derived.*$/, '')
    : `${last.file}-${nextLower}`;
  const body = last.text
    // The label everywhere it names the year (version, pool codes, comments): FY27 -> FY28, fy27 -> fy28.
    .replaceAll(last.version, version)
    .replaceAll(lower, nextLower)
    .replace(/^(effective:\s*\n\s+from:\s*)\S+(.*)$/m, `$1${from}$2`)
    .replace(/^(effective:\s*\n\s+from:.*\n\s+to:\s*)\S+(.*)$/m, `$1${to}$2`);
  const schema = /^# yaml-language-server:.*\n/.exec(body)?.[0] ?? '';
  const header =
    `${schema}#\n# Derived by the demo (src/core/demo/program-years.ts): no shipped file covers ${from} to ${to},\n` +
    `# so the demo repeats ${last.version}'s terms (${last.file}) for ${version}. Every figure is a demo assumption;\n` +
    `# add ${file} to ship the real year.\n`;
  return {
    file: `${file} (derived)`,
    text: header + body.slice(schema.length),
    vendor: last.vendor,
    code: last.code,
    version,
    from,
    to,
    fiscalYearStart: last.fiscalYearStart,
  };
}
