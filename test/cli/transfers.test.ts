import { beforeAll, describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';
import { dealDataDir } from '../support/cli-deals.js';
import { holdTiers, publishNewco } from '../support/transfers.js';

describe('trellis programs split | transfers', () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ env } = await dealDataDir(async ({ ctx, dell }) => {
      await publishNewco(ctx);
      await holdTiers(ctx, dell, ['authorized', 'gold', 'platinum', 'titanium'], '2017-02-01', {
        ptn_alpha: 'platinum',
      });
    }));
  });

  it('refuses an unknown tier in the map, naming it; then splits and lists the transfer', () => {
    const bad = trellis(
      [
        'programs',
        'split',
        'dell-emc-partner-program',
        'newco-partner-program',
        '--on',
        '2017-06-01',
        '--map',
        'gold=gold,titanium=mithril',
      ],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('tierMap.titanium: mithril is not a tier of newco-partner-program');
    expect(bad.stderr).toContain(
      'tierMap.authorized: tier authorized of dell-emc-partner-program is not mapped',
    );

    const run = trellis(
      [
        'programs',
        'split',
        'dell-emc-partner-program',
        'newco-partner-program',
        '--on',
        '2017-06-01',
        '--json',
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      transfer: { id: string; status: string; counts: { partners: number } };
    };
    expect(result.transfer.status).toBe('carried');
    // The fixture's Dell partners and the two resellers the CLI world adds.
    expect(result.transfer.counts.partners).toBe(5);
    // Progress goes to stderr, a line per phase on a pipe.
    expect(run.stderr).toContain('checking the promise');

    const again = trellis(
      ['programs', 'split', 'dell-emc-partner-program', 'newco-partner-program', '--on', '2017-06-01'],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already carried');

    const listed = trellis(['programs', 'transfers'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(result.transfer.id);
    const shown = trellis(['programs', 'transfers', '--id', result.transfer.id], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/ptn_alpha\s+platinum -> platinum, holds platinum: ok/);

    // Dell's admin reads it; a partner may not.
    expect(trellis(['programs', 'transfers', '--as', 'admin@dell.test'], env).stdout).toContain(
      result.transfer.id,
    );
    const partner = trellis(['programs', 'transfers', '--as', 'admin@alpha.test'], env);
    expect(partner.code).toBe(1);
  }, 180_000);
});
