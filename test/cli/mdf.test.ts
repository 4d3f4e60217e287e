import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { openAppStore } from '../../src/app/store.js';
import { addDays } from '../../src/core/programs/dates.js';
import { trellis } from '../support/cli.js';
import { loadFixture } from '../support/fixtures.js';
import { creditMdf, publishMdfYear } from '../support/mdf.js';

/**
 * `trellis mdf`: a partner admin proposes and claims, a vendor admin decides, the operator reads funds and
 * activities and runs the expiry (on a VMware program year around today, with USD 2,000.00 of earned MDF).
 */
describe('trellis mdf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-mdf-'));
  const env = { TRELLIS_DATA_DIR: dir, DATABASE_URL: '' };
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') });
    try {
      const ctx = createContext(store);
      await loadFixture(ctx);
      const year = await publishMdfYear(ctx, addDays(today, -200));
      await creditMdf(ctx, { ...year, partnerId: 'ptn_alpha', period: 'FY99-Q1', amountMinor: 200_000 });
    } finally {
      await store.close();
    }
  });

  it('proposes, decides, claims with proof, shows the history and the funds, and expires', () => {
    const proposed = trellis(
      [
        'mdf',
        'propose',
        'vmware-partner-connect',
        '--as',
        'admin@alpha.test',
        '--type',
        'event',
        '--title',
        'Partner day',
        '--starts',
        addDays(today, -10),
        '--ends',
        addDays(today, -3),
        '--amount',
        '1500',
        '--json',
      ],
      env,
    );
    expect(proposed.code, proposed.stderr).toBe(0);
    const id = (JSON.parse(proposed.stdout) as { id: string }).id;
    const refused = trellis(['mdf', 'decide', id, 'refuse', '--as', 'admin@vmware.test'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('reason');
    const partner = trellis(['mdf', 'decide', id, 'preapprove', '--as', 'admin@alpha.test'], env);
    expect(partner.code).not.toBe(0);
    const pre = trellis(
      ['mdf', 'decide', id, 'preapprove', '--as', 'admin@vmware.test', '--amount', '1200'],
      env,
    );
    expect(pre.code, pre.stderr).toBe(0);
    expect(pre.stdout).toContain('preapproved');
    const pdf = join(dir, 'proof.pdf');
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const upload = () => {
      const r = trellis(
        [
          'files',
          'upload',
          pdf,
          '--as',
          'admin@alpha.test',
          '--purpose',
          'mdf-proof',
          '--vendor',
          'vmware',
          '--json',
        ],
        env,
      );
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { id: string }).id;
    };
    const invoice = upload();
    const attendees = upload();
    const noProof = trellis(
      ['mdf', 'claim', id, '--as', 'admin@alpha.test', '--amount', '1000', '--file', `invoice=${invoice}`],
      env,
    );
    expect(noProof.code).not.toBe(0);
    expect(noProof.stderr).toContain('attendee-list');
    const claimed = trellis(
      [
        'mdf',
        'claim',
        id,
        '--as',
        'admin@alpha.test',
        '--amount',
        '1000',
        '--file',
        `invoice=${invoice}`,
        `attendee-list=${attendees}`,
      ],
      env,
    );
    expect(claimed.code, claimed.stderr).toBe(0);
    const paid = trellis(['mdf', 'decide', id, 'approve', '--as', 'admin@vmware.test', '--json'], env);
    expect(paid.code, paid.stderr).toBe(0);
    expect(JSON.parse(paid.stdout)).toMatchObject({ status: 'paid', paidMinor: 100_000 });
    const shown = trellis(['mdf', 'show', id], env);
    expect(shown.stdout).toMatch(/propose[\s\S]*preapprove[\s\S]*claim[\s\S]*approve/);
    const list = trellis(['mdf', 'activities', '--status', 'paid'], env);
    expect(list.stdout).toContain(id);
    const funds = trellis(
      ['mdf', 'funds', 'vmware-partner-connect', '--partner', 'ptn_alpha', '--json'],
      env,
    );
    expect(JSON.parse(funds.stdout).earned).toMatchObject({
      earnedMinor: 200_000,
      spentMinor: 100_000,
      availableMinor: 100_000,
    });
    const expire = trellis(['mdf', 'expire', 'vmware-partner-connect', '--as-of', addDays(today, 400)], env);
    expect(expire.code, expire.stderr).toBe(0);
    expect(expire.stdout).toContain('1 expiry posting(s), USD 1,000.00 expired');
    const again = trellis(
      ['mdf', 'expire', 'vmware-partner-connect', '--as-of', addDays(today, 400), '--json'],
      env,
    );
    expect(JSON.parse(again.stdout)).toMatchObject({ expiries: [], expiredMinor: 0 });
  }, 180_000);
});
