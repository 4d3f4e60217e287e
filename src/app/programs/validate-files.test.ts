import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatProgramFileError } from '../../core/programs/parse.js';
import { validateProgramFiles } from './validate-files.js';

const DELL = 'programs/dell-emc-fy18.yaml';
let dir = '';
let base = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-programs-'));
  base = await readFile(DELL, 'utf8');
});

/** 1-based line and column of the first occurrence of `needle` (plus `shift` columns) in `text`. */
function position(text: string, needle: string, shift = 0): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" not in text`);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') + shift };
}

async function brokenCopy(name: string, from: string, to: string): Promise<string> {
  expect(base).toContain(from);
  const file = join(dir, name);
  await writeFile(file, base.replace(from, to));
  return file;
}

describe('validateProgramFiles', () => {
  it('validates the shipped files and summarises them', async () => {
    const results = await validateProgramFiles([DELL, 'programs/agreements/dell-vmware-2021.yaml']);
    expect(results.map((r) => [r.ok, r.errors.length])).toEqual([
      [true, 0],
      [true, 0],
    ]);
    expect(results[0]?.summary).toContain('Program dell-emc-partner-program FY18');
    expect(results[0]?.summary).toContain('emea-1 Path 2: revenue USD 500K, services USD 60K');
  });

  it('reports a missing file at 1:1 and still checks the others', async () => {
    const results = await validateProgramFiles([join(dir, 'nope.yaml'), DELL]);
    expect(results[0]).toMatchObject({ ok: false, errors: [{ line: 1, column: 1 }] });
    expect(results[0]?.errors[0]?.message).toContain('file not found');
    expect(results[1]?.ok).toBe(true);
  });

  it.each([
    {
      name: 'unknown family',
      from: 'titanium: { storage: 4%',
      to: 'titanium: { storag: 4%',
      at: 'storag:',
      path: 'components[0].rates.titanium.storag',
      message: 'unknown product family "storag"',
    },
    {
      name: 'negative multiplier',
      from: 'factor: x1.25 # seed: reach',
      to: 'factor: -1.25 # seed: reach',
      at: '-1.25',
      path: 'qualifyingMultipliers[0].factor',
      message: 'a multiplier must be above zero, got -1.25',
    },
    {
      name: 'unknown attribute in a condition',
      from: 'attribute: customer.newBusiness',
      to: 'attribute: customer.isNew',
      at: 'customer.isNew',
      path: 'components[1].condition.attribute',
      message: 'unknown attribute "customer.isNew"',
    },
    {
      name: 'wrong value type in a condition',
      from: '{ attribute: partner.exclusive, operator: eq, value: true }\n\n# Five',
      to: '{ attribute: partner.exclusive, operator: eq, value: "yes" }\n\n# Five',
      at: '"yes"',
      path: 'qualifyingMultipliers[0].condition.value',
      message: 'partner.exclusive expects true or false, got "yes"',
    },
    {
      name: 'unsatisfiable (empty) path',
      from: '          - name: Path 1\n            revenue: USD 3M\n            servicesRevenue: USD 400K\n            companyCertifications: 1\n',
      to: '          - name: Path 1\n',
      at: 'name: Path 1',
      path: 'tiers[1].requirements[0].paths[0]',
      message: 'this path of tier gold requires nothing',
    },
    {
      name: 'bad money',
      from: 'revenue: USD 35M',
      to: 'revenue: USD 3,50',
      at: 'USD 3,50',
      path: 'tiers[3].requirements[0].paths[0].revenue',
      message: '"USD 3,50" is not money',
    },
    {
      name: 'unknown budget pool',
      from: 'budgetPool: fy18-partner-investment\n    condition: { attribute: customer',
      to: 'budgetPool: fy18-pool\n    condition: { attribute: customer',
      at: 'fy18-pool',
      path: 'components[1].budgetPool',
      message: 'unknown budget pool "fy18-pool"',
    },
    {
      name: 'status on an unknown base tier',
      from: 'baseTier: titanium # public',
      to: 'baseTier: titanium-plus # public',
      at: 'titanium-plus',
      path: 'statuses[0].baseTier',
      message: 'unknown base tier "titanium-plus"',
    },
    {
      name: 'status match to an unknown tier',
      from: 'premier-plus: titanium,',
      to: 'premier-plus: diamond,',
      at: 'diamond',
      path: 'statusMatch.legacyPrograms[0].tiers.premier-plus',
      message: 'maps to unknown tier "diamond"',
    },
    {
      name: 'money in another currency',
      from: 'amount: USD 150M',
      to: 'amount: EUR 150M',
      at: 'EUR 150M',
      path: 'budgetPools[0].amount',
      message: 'EUR 150,000,000.00 is not in the program currency USD',
    },
  ])('points at $name', async ({ name, from, to, at, path, message }) => {
    const file = await brokenCopy(`${name.replaceAll(' ', '-')}.yaml`, from, to);
    const text = base.replace(from, to);
    const [result] = await validateProgramFiles([file]);
    expect(result?.ok).toBe(false);
    const error = result?.errors[0];
    const pos = position(text, at);
    expect(error).toMatchObject({ file, path, ...pos });
    expect(error?.message).toContain(message);
    if (error)
      expect(formatProgramFileError(error)).toContain(`${file}:${pos.line}:${pos.column}: ${path}: `);
  });

  it('points at a tier out of rank order', async () => {
    const lines = base.split('\n');
    const gold = lines.indexOf('  - code: gold');
    const platinum = lines.indexOf('  - code: platinum');
    const titanium = lines.indexOf('  - code: titanium');
    const swapped = [
      ...lines.slice(0, gold),
      ...lines.slice(platinum, titanium),
      ...lines.slice(gold, platinum),
      ...lines.slice(titanium),
    ].join('\n');
    const file = join(dir, 'rank.yaml');
    await writeFile(file, swapped);
    const [result] = await validateProgramFiles([file]);
    const goldLine = swapped.split('\n').indexOf('  - code: gold') + 1;
    expect(result?.errors[0]).toMatchObject({
      path: 'tiers[2].requirements[0]',
      line: goldLine + 3,
      column: 9,
    });
    expect(result?.errors[0]?.message).toContain(
      'tier gold is no harder to reach than platinum below it in zone emea-1',
    );
    expect(result?.errors).toHaveLength(3); // one per zone group
  });

  it('reports YAML syntax errors with their position', async () => {
    const file = await brokenCopy(
      'syntax.yaml',
      'supersedes: [dell-partnerdirect, emc-business-partner-program]',
      'supersedes: [dell-partnerdirect',
    );
    const [result] = await validateProgramFiles([file]);
    expect(result?.ok).toBe(false);
    expect(result?.errors[0]?.message).toMatch(/^YAML syntax error: /);
    const line = base.split('\n').findIndex((l) => l.startsWith('supersedes:')) + 1;
    expect(result?.errors[0]?.line).toBeGreaterThanOrEqual(line);
    expect(result?.errors[0]?.line).toBeLessThanOrEqual(line + 2);
  });

  it('reports every error, not just the first', async () => {
    const file = join(dir, 'many.yaml');
    await writeFile(
      file,
      base
        .replace('revenue: USD 35M', 'revenue: 35000000')
        .replace('points: 8% # public', 'points: 8 # public')
        .replace('families: [storage, servers] # public', 'families: [storage, server] # public'),
    );
    const [result] = await validateProgramFiles([file]);
    expect(result?.errors.map((e) => e.path)).toEqual([
      'tiers[3].requirements[0].paths[0].revenue',
      'components[1].points',
      'components[1].families[1]',
    ]);
    expect(result?.errors[0]?.message).toContain(
      'expected money as text, e.g. "USD 3,000,000" or "USD 1.6M", got number 35000000',
    );
  });
});
