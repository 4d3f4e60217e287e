import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateProgramFiles } from '../src/app/programs/validate-files.js';
import { programJsonSchemaText } from '../src/core/programs/json-schema.js';
import { formatProgramFileError, parseProgramDocument } from '../src/core/programs/parse.js';
import type { AgreementDefinition, ProgramDefinition } from '../src/core/programs/types.js';

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? yamlFiles(join(dir, e.name))
        : Promise.resolve(/\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []),
    ),
  );
  return nested.flat().sort();
}

async function load<T extends ProgramDefinition | AgreementDefinition>(file: string): Promise<T> {
  const r = parseProgramDocument(await readFile(file, 'utf8'), file);
  if (!r.ok) throw new Error(r.errors.map(formatProgramFileError).join('\n'));
  return r.document as T;
}

const usd = (units: number) => ({ amountMinor: units * 100, currency: 'USD' });

describe('programs/', () => {
  it('every file validates and carries the editor schema comment', async () => {
    const files = await yamlFiles('programs');
    expect(files.length).toBeGreaterThanOrEqual(3);
    const results = await validateProgramFiles(files);
    for (const r of results) expect(r.errors.map(formatProgramFileError), r.file).toEqual([]);
    for (const f of files)
      expect(await readFile(f, 'utf8')).toMatch(
        /^# yaml-language-server: \$schema=(\.\.\/)+docs\/program\.schema\.json\n/,
      );
  });

  it('docs/program.schema.json is the generated schema', async () => {
    expect(await readFile('docs/program.schema.json', 'utf8')).toBe(programJsonSchemaText());
  });
});

describe('dell-emc-fy18.yaml holds the brief figures', async () => {
  const p = await load<ProgramDefinition>('programs/dell-emc-fy18.yaml');
  const tier = (code: string) => p.tiers.find((t) => t.code === code);
  const uk = (code: string) => tier(code)?.requirements.find((r) => r.zones.includes('emea-1'))?.paths ?? [];

  it('has the tiers in rank order and UK paths', () => {
    expect(p.tiers.map((t) => t.code)).toEqual(['authorized', 'gold', 'platinum', 'titanium']);
    expect(p.effective.from).toBe('2017-02-01');
    expect(p.zones[0]?.countries).toEqual(['GB', 'DE', 'FR']);
    const figures = (code: string) =>
      uk(code).map((x) => [x.revenue?.amountMinor, x.servicesRevenue?.amountMinor]);
    expect(figures('gold')).toEqual([
      [usd(3_000_000).amountMinor, usd(400_000).amountMinor],
      [50_000_000, 6_000_000],
    ]);
    expect(figures('platinum')).toEqual([
      [usd(15_000_000).amountMinor, usd(1_600_000).amountMinor],
      [usd(3_000_000).amountMinor, usd(600_000).amountMinor],
    ]);
    expect(figures('titanium')).toEqual([
      [usd(35_000_000).amountMinor, usd(3_200_000).amountMinor],
      [usd(15_000_000).amountMinor, usd(2_400_000).amountMinor],
    ]);
    expect(['gold', 'platinum', 'titanium'].map((t) => uk(t)[0]?.companyCertifications[0]?.count)).toEqual([
      1, 2, 3,
    ]);
  });

  it('has Titanium Black, the x1.25 exclusivity and the USD 150M pool', () => {
    expect(p.statuses[0]).toMatchObject({
      code: 'titanium-black',
      baseTier: 'titanium',
      duration: { months: 12, days: 0 },
      requiresExecutiveSponsor: true,
    });
    expect(p.qualifyingMultipliers[0]).toMatchObject({
      factor: 1_250_000,
      scope: ['revenue', 'servicesRevenue'],
    });
    expect(p.budgetPools[0]?.amount).toEqual(usd(150_000_000));
  });

  it('has six stackable rebate components and the payout multiplier', () => {
    const c = Object.fromEntries(p.components.map((x) => [x.code, x]));
    expect(p.components.filter((x) => x.kind !== 'payout-multiplier')).toHaveLength(6);
    const deal = c['registered-deal'];
    expect(deal?.kind === 'deal-registration' && [deal.points, deal.families, deal.budgetPool]).toEqual([
      20_000,
      ['storage', 'servers', 'data-protection'],
      'fy18-partner-investment',
    ]);
    const base = c['base-rebate'];
    expect(base?.kind === 'base-rebate' && base.rates['titanium']).toEqual({
      storage: 40_000,
      servers: 30_000,
      networking: 30_000,
      'data-protection': 40_000,
    });
    const nb = c['new-business'];
    expect(nb?.kind === 'new-business' && nb.points).toBe(80_000);
    const growth = c['growth-accelerator'];
    expect(growth?.kind === 'growth-accelerator' && growth.thresholds).toEqual([
      { above: 150_000, points: 10_000 },
      { above: 300_000, points: 30_000 },
      { above: 450_000, points: 50_000 },
    ]);
    expect(p.components.every((x) => x.minimum === null)).toBe(true); // from the first dollar
    const mult = c['exclusivity-multiplier'];
    expect(mult?.kind === 'payout-multiplier' && [mult.factor, mult.appliesTo]).toEqual([1_250_000, null]);
  });

  it('has the status match, deal registration and hard deck', () => {
    const [dell, emc] = p.statusMatch?.legacyPrograms ?? [];
    expect(dell?.tiers).toEqual({
      'premier-plus': 'titanium',
      premier: 'platinum',
      preferred: 'gold',
      registered: 'authorized',
    });
    expect(emc?.tiers).toEqual({
      platinum: 'titanium',
      gold: 'platinum',
      silver: 'gold',
      authorized: 'authorized',
    });
    expect(p.dealRegistration).toMatchObject({
      protectionDays: 90,
      reviewSlaHours: { byRegion: { na: 4, emea: 6 } },
      conflictRule: 'first-to-register',
      benefit: 'registered-deal',
      conflictChecks: { perPartnerPerDay: 100 },
      abuse: { unsoldRegistrationsMax: 20, lookbackDays: 180 },
    });
    expect(p.dealRegistration.reviewSlaHours.onBreach).toBe('escalate');
    expect(p.coverage.channelExclusiveWindow).toEqual({ months: 36, days: 0 });
    expect(p.coverage.directNamedAccounts.maxCount).toBe(150);
    expect(p.payouts.period).toBe('quarter');
  });
});

describe('vmware and the agreement', async () => {
  const v = await load<ProgramDefinition>('programs/vmware-partner-connect-fy22.yaml');
  const a = await load<AgreementDefinition>('programs/agreements/dell-vmware-2021.yaml');

  it('measures VMware tiers in credits', () => {
    expect(v.tiers.map((t) => t.name)).toEqual(['Registered', 'Advantage', 'Advantage Plus', 'Premier']);
    expect(v.tiers.slice(1).every((t) => t.requirements[0]?.paths[0]?.credits !== null)).toBe(true);
    expect(v.qualification.creditValue).toEqual(usd(1));
  });

  it('has the five-year term, the 60-day change-of-control notice and the 2024 termination', () => {
    expect(a.effective).toEqual({ from: '2021-11-01', to: '2026-10-31' });
    expect(a.termination.noticeDays).toBe(60);
    // Notice on 26 November 2023 (four days after Broadcom's acquisition closed), effective 25 January 2024.
    expect(a.termination.events).toEqual([
      {
        date: '2023-11-26',
        by: 'dell',
        reason: 'change-of-control',
        effective: '2024-01-25',
        note: "After Broadcom's acquisition of VMware closed on 22 November 2023.",
      },
    ]);
    expect(a.provisions.crossCredit[0]).toMatchObject({ from: 'dell', to: 'vmware', share: 1_000_000 });
    expect(a.provisions.crossVendorSolutionBonus).toMatchObject({
      window: { months: 0, days: 90 },
      funding: [
        { vendor: 'dell', basisPoints: 5000 },
        { vendor: 'vmware', basisPoints: 5000 },
      ],
    });
  });
});

describe('yearly versions: the programs continue to today', async () => {
  const years = async (prefix: string, labels: string[]) =>
    Promise.all(labels.map((y) => load<ProgramDefinition>(`programs/${prefix}-${y}.yaml`)));
  const dell = await years('dell-emc', [
    'fy18',
    'fy19',
    'fy20',
    'fy21',
    'fy22',
    'fy23',
    'fy24',
    'fy25',
    'fy26',
    'fy27',
  ]);
  const vmware = await years('vmware-partner-connect', ['fy22', 'fy23', 'fy24', 'fy25', 'fy26', 'fy27']);

  it('keeps one program code per vendor, one version per fiscal year, years contiguous', () => {
    for (const list of [dell, vmware]) {
      expect(new Set(list.map((p) => p.code)).size).toBe(1);
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1] as ProgramDefinition;
        const p = list[i] as ProgramDefinition;
        expect(p.version, p.version).toBe(`FY${Number(prev.version.slice(2)) + 1}`);
        const next = new Date(Date.parse(`${prev.effective.to ?? ''}T00:00:00Z`) + 86_400_000);
        expect(p.effective.from, p.version).toBe(next.toISOString().slice(0, 10));
      }
    }
    expect(dell.map((p) => [p.version, p.effective.from, p.effective.to]).slice(1)).toEqual([
      ['FY19', '2018-02-03', '2019-02-01'],
      ['FY20', '2019-02-02', '2020-01-31'],
      ['FY21', '2020-02-01', '2021-01-29'],
      ['FY22', '2021-01-30', '2022-01-28'],
      ['FY23', '2022-01-29', '2023-02-03'],
      ['FY24', '2023-02-04', '2024-02-02'],
      ['FY25', '2024-02-03', '2025-01-31'],
      ['FY26', '2025-02-01', '2026-01-30'],
      ['FY27', '2026-01-31', '2027-01-29'],
    ]);
    expect(vmware.map((p) => p.effective.from)).toEqual([
      '2021-01-30',
      '2022-01-29',
      '2023-02-04',
      '2024-02-03',
      '2025-02-01',
      '2026-01-31',
    ]);
  });

  it('halves the Titanium services requirement from FY19 (public, 2018), the merge only in FY18', () => {
    const services = (p: ProgramDefinition) =>
      p.tiers.find((t) => t.code === 'titanium')?.requirements.find((r) => r.zones.includes('north-america'))
        ?.paths[0]?.servicesRevenue?.amountMinor;
    expect(services(dell[0] as ProgramDefinition)).toBe(usd(6_000_000).amountMinor);
    expect(services(dell[1] as ProgramDefinition)).toBe(usd(3_000_000).amountMinor);
    expect(dell.slice(1).every((p) => p.statusMatch === null && p.supersedes.length === 0)).toBe(true);
    // Later thresholds rise modestly (demo): FY27's Gold path 1 in the UK is at most 25% above FY18's.
    const gold = (p: ProgramDefinition) =>
      p.tiers.find((t) => t.code === 'gold')?.requirements[0]?.paths[0]?.revenue?.amountMinor ?? 0;
    expect(gold(dell[9] as ProgramDefinition)).toBeGreaterThan(gold(dell[0] as ProgramDefinition));
    expect(gold(dell[9] as ProgramDefinition)).toBeLessThanOrEqual(gold(dell[0] as ProgramDefinition) * 1.25);
  });

  it('marks the later years as demo assumptions (and VMware after Broadcom)', async () => {
    const { readFile: read } = await import('node:fs/promises');
    for (const y of ['fy19', 'fy23', 'fy27'])
      expect(await read(`programs/dell-emc-${y}.yaml`, 'utf8')).toMatch(/# demo/);
    expect(await read('programs/vmware-partner-connect-fy25.yaml', 'utf8')).toMatch(
      /Broadcom bought VMware on 22 November 2023/,
    );
  });
});
