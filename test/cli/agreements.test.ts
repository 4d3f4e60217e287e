import { beforeAll, describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';
import { agreementText, publishAgreement, withoutTermination } from '../support/agreements.js';
import { dealDataDir } from '../support/cli-deals.js';

describe('trellis agreements', () => {
  let env: Record<string, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ env } = await dealDataDir(async ({ ctx }) => {
      const out = await publishAgreement(ctx, await agreementText(withoutTermination));
      if (out.kind === 'agreement') ids.agreement = out.agreementId;
    }));
  });

  it('lists the agreements of a vendor and of a partner, with their status on a day', () => {
    const r = trellis(
      ['agreements', 'list', '--as', 'admin@dell.test', '--as-of', '2022-06-01', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const items = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; status: string });
    expect(items.map((i) => [i.id, i.status])).toEqual([[ids.agreement, 'active']]);
    const bravo = trellis(['agreements', 'list', '--as', 'admin@bravo.test'], env);
    expect(bravo.stdout).toContain('dell-vmware-commercial-framework-2021');
  });

  it('gives notice once, with the date given (as the demo records 2023), and shows it', () => {
    const refused = trellis(
      [
        'agreements',
        'notice',
        'dell-vmware-commercial-framework-2021',
        '--as',
        'auditor@dell.test',
        '--reason',
        'change-of-control',
      ],
      env,
    );
    expect(refused.code).not.toBe(0);
    const bad = trellis(
      [
        'agreements',
        'notice',
        'dell-vmware-commercial-framework-2021',
        '--party',
        'dell',
        '--reason',
        'convenience',
        '--date',
        '2023-11-26',
      ],
      env,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('does not allow termination for convenience');
    const ok = trellis(
      [
        'agreements',
        'notice',
        'dell-vmware-commercial-framework-2021',
        '--as',
        'admin@dell.test',
        '--reason',
        'change-of-control',
        '--date',
        '2023-11-26',
        '--json',
      ],
      env,
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      notice: { noticeDate: '2023-11-26', effectiveDate: '2024-01-25', by: 'dell' },
      accrualsThrough: '2024-01-24',
    });
    const again = trellis(
      [
        'agreements',
        'notice',
        ids.agreement!,
        '--party',
        'vmware',
        '--reason',
        'change-of-control',
        '--date',
        '2023-12-01',
      ],
      env,
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('notice was already given on 2023-11-26');
    const show = trellis(['agreements', 'show', ids.agreement!, '--as-of', '2024-01-25'], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('status on 2024-01-25: terminated');
    expect(show.stdout).toContain('notice: dell on 2023-11-26 (change-of-control), effective 2024-01-25');
  });

  it('marks a distributor as standing for a vendor (the operator, audited), refuses a reseller, and clears it', () => {
    const set = trellis(['agreements', 'distributor', 'ptn_dist', '--represents', 'dell', '--json'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout.trim())).toMatchObject({
      partnerId: 'ptn_dist',
      represents: 'dell',
      changed: true,
    });
    const again = trellis(['agreements', 'distributor', 'ptn_dist', '--represents', 'dell'], env);
    expect(again.stdout).toContain('stands for dell (unchanged)');
    const reseller = trellis(['agreements', 'distributor', 'ptn_alpha', '--represents', 'dell'], env);
    expect(reseller.code).not.toBe(0);
    expect(reseller.stderr).toContain('only a distributor can stand for a vendor');
    const unknown = trellis(['agreements', 'distributor', 'ptn_dist', '--represents', 'nobody'], env);
    expect(unknown.stderr).toContain('no vendor has the slug or id nobody');
    const both = trellis(['agreements', 'distributor', 'ptn_dist'], env);
    expect(both.stderr).toContain('give exactly one of --represents <vendor> or --clear');
    const audit = trellis(['audit', 'tail', '-n', '5', '--json'], env);
    expect(audit.stdout).toContain('partner.represents');
    const clear = trellis(['agreements', 'distributor', 'ptn_dist', '--clear', '--json'], env);
    expect(JSON.parse(clear.stdout.trim())).toMatchObject({ represents: null, changed: true });
  });
});
