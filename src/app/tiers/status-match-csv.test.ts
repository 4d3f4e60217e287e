import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrellisError } from '../../core/shared/errors.js';
import { readStatusMatchCsv } from './status-match-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'trellis-status-match-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readStatusMatchCsv (the one CSV reader)', () => {
  it('reads rows with their file:line:column, headers matched as every format matches them', async () => {
    const path = file(
      'ok.csv',
      '\uFEFFPartner ID,Legacy-Program,legacy_tier\nptn_a,dell,Gold\n\n"ptn_b",emc,"Platinum"\n',
    );
    expect(await readStatusMatchCsv(path)).toEqual([
      { location: `${path}:2:1`, partnerId: 'ptn_a', legacyProgram: 'dell', legacyTier: 'Gold' },
      { location: `${path}:4:1`, partnerId: 'ptn_b', legacyProgram: 'emc', legacyTier: 'Platinum' },
    ]);
  });

  it('refuses a file with any problem, naming each at file:line:column', async () => {
    const path = file(
      'bad.csv',
      'partner_id,legacy_program,legacy_tier\nptn_a,,Gold\nptn_b,dell\nptn_c,"dell"x,Gold\nptn_d,emc,Gold\n',
    );
    const error = await readStatusMatchCsv(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrellisError);
    expect((error as TrellisError).details).toEqual([
      { location: `${path}:2:2`, message: 'missing legacy_program' },
      { location: `${path}:3:3`, message: 'this row has 2 fields, the header 3' },
      {
        location: `${path}:4:2`,
        message: 'characters after the closing quote of a field; quote the whole field',
      },
    ]);
    const header = await readStatusMatchCsv(file('header.csv', 'partner,legacy_program\n')).catch(
      (e: unknown) => e,
    );
    expect((header as TrellisError).details.map((d) => d.message)).toEqual([
      'the header has no partner_id column (required: partner_id, legacy_program, legacy_tier)',
      'the header has no legacy_tier column (required: partner_id, legacy_program, legacy_tier)',
    ]);
  });
});
