import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProgramDocument } from '../programs/parse.js';
import { historyCalendar } from './calendar.js';
import { demoProgramYears, nextVersionLabel, nextYearEnd, type ProgramYearFile } from './program-years.js';

const file = (name: string): ProgramYearFile => {
  const path = `programs/${name}`;
  const text = readFileSync(path, 'utf8');
  const parsed = parseProgramDocument(text, path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot read ${path}`);
  const d = parsed.document;
  return {
    file: path,
    text,
    vendor: d.vendor.slug,
    code: d.code,
    version: d.version,
    from: d.effective.from,
    to: d.effective.to,
    fiscalYearStart: '02-01',
  };
};
const DELL = ['fy18', 'fy19', 'fy20', 'fy21', 'fy22', 'fy23', 'fy24', 'fy25', 'fy26', 'fy27'].map((y) =>
  file(`dell-emc-${y}.yaml`),
);
const VMWARE = ['fy22', 'fy23', 'fy24', 'fy25', 'fy26', 'fy27'].map((y) =>
  file(`vmware-partner-connect-${y}.yaml`),
);

describe('demoProgramYears', () => {
  it('publishes every shipped version up to the one in force, contiguous from the 2017 merge', () => {
    const years = demoProgramYears([...VMWARE, ...DELL], '2026-12-03');
    const dell = years.filter((y) => y.vendor === 'dell');
    expect(dell.map((y) => y.version)).toEqual(DELL.map((d) => d.version));
    expect(years.filter((y) => y.vendor === 'vmware').map((y) => y.version)).toEqual([
      'FY22',
      'FY23',
      'FY24',
      'FY25',
      'FY26',
      'FY27',
    ]);
    expect(years.every((y) => !y.derived)).toBe(true);
    expect(() => historyCalendar({ years: [], now: '2017-01-01' })).toThrow(/at least one program year/);
    // Contiguous years (historyCalendar refuses gaps) ending after today.
    const calendar = historyCalendar({
      years: dell.map((y) => ({ start: y.from, end: y.to ?? '' })),
      now: '2026-12-03',
    });
    expect(calendar.dates[0]).toBe('2017-02-01');
    expect(calendar.dates.at(-1)).toBe('2026-12-03');
    // Not yet in force: not published.
    expect(demoProgramYears(DELL, '2019-06-01').map((y) => y.version)).toEqual(['FY18', 'FY19', 'FY20']);
  });

  it('derives the missing years when the calendar moves past the last shipped file', () => {
    const years = demoProgramYears(DELL, '2029-03-01').filter((y) => y.derived);
    expect(years.map((y) => [y.version, y.from, y.to])).toEqual([
      ['FY28', '2027-01-30', '2028-01-28'],
      ['FY29', '2028-01-29', '2029-02-02'],
      ['FY30', '2029-02-03', '2030-02-01'],
    ]);
    const fy28 = years[0];
    expect(fy28?.file).toBe('programs/dell-emc-fy28.yaml (derived)');
    expect(fy28?.text).toMatch(/^# yaml-language-server: \$schema=\.\.\/docs\/program\.schema\.json\n/);
    expect(fy28?.text).toContain('add programs/dell-emc-fy28.yaml to ship the real year');
    // A valid program file of its own year.
    const parsed = parseProgramDocument(fy28?.text ?? '', 'derived');
    expect(parsed.ok).toBe(true);
    if (parsed.ok && parsed.document.kind === 'Program') {
      expect(parsed.document.version).toBe('FY28');
      expect(parsed.document.effective).toEqual({ from: '2027-01-30', to: '2028-01-28' });
      expect(parsed.document.budgetPools.map((p) => p.code)).toEqual(['fy28-partner-investment']);
    }
    const fy30 = parseProgramDocument(years[2]?.text ?? '', 'derived');
    expect(fy30.ok && fy30.document.kind === 'Program' && fy30.document.version).toBe('FY30');
  });

  it('continues labels and Friday year ends like Dell and VMware', () => {
    expect(nextVersionLabel('FY27')).toBe('FY28');
    expect(nextVersionLabel('FY09')).toBe('FY10');
    expect(() => nextVersionLabel('2026-special')).toThrow(/year number/);
    expect(nextYearEnd('2027-01-29', '02-01')).toBe('2028-01-28');
    expect(nextYearEnd('2028-01-28', '02-01')).toBe('2029-02-02');
    // The shipped years follow the same rule.
    for (let i = 1; i < DELL.length; i++)
      expect(nextYearEnd(DELL[i - 1]?.to ?? '', '02-01'), DELL[i]?.version).toBe(DELL[i]?.to);
  });
});
