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
});
