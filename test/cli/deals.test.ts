import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { openAppStore } from '../../src/app/store.js';
import { createDeal, partnerDealAction, reviewDeal } from '../../src/app/deals/deals.js';
import { actingAs } from '../../src/app/access/acting-as.js';
import { trellis } from '../support/cli.js';
import { daysFromNow, dealDataDir, PROGRAM, registrationOf } from '../support/cli-deals.js';

const WRITE = { resource: 'deal', action: 'write' } as const;
const MANAGE = { resource: 'deal', action: 'manage' } as const;

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('trellis deals', () => {
  let dir: string;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ dir, env } = await dealDataDir(async ({ ctx, at }) => {
      const alpha = await actingAs(ctx, 'admin@alpha.test', WRITE, 'registering');
      const charlie = await actingAs(ctx, 'admin@charlie.test', WRITE, 'registering');
      const echo = await actingAs(ctx, 'admin@echo.test', WRITE, 'registering');
      const admin = await actingAs(ctx, 'admin@dell.test', MANAGE, 'reviewing');
      // A review past its 6-hour EMEA SLA: submitted 7 hours ago.
      ids.late = (await createDeal(at(-7), echo, registrationOf('Tailspin Aviation GmbH', 'DE'))).deal.id;
      // Approved 100 days ago: its 90 protected days are over.
      const old = at(-100 * 24);
      ids.old = (await createDeal(old, charlie, registrationOf('Wingtip Bicycles SARL', 'FR'))).deal.id;
      await reviewDeal(old, admin, ids.old, { action: 'approve' });
      ids.first = (
        await createDeal(
          ctx,
          alpha,
          registrationOf('Müller Maschinenbau GmbH', 'DE', {
            customer: {
              name: 'Müller Maschinenbau GmbH',
              country: 'DE',
              segment: 'commercial',
              domain: 'mueller-maschinenbau.de',
            },
          }),
        )
      ).deal.id;
      const second = await createDeal(
        ctx,
        charlie,
        registrationOf('MUELLER MASCHINENBAU', 'DE', {
          customer: {
            name: 'MUELLER MASCHINENBAU',
            country: 'DE',
            segment: 'commercial',
            domain: 'mueller-maschinenbau.de',
          },
        }),
      );
      expect(second.outcome).toBe('conflict');
      ids.second = second.deal.id;
      ids.approve = (await createDeal(ctx, alpha, registrationOf('Northwind Traders Ltd', 'GB'))).deal.id;
      ids.reject = (await createDeal(ctx, charlie, registrationOf('Adatum Pharma SA', 'FR'))).deal.id;
      ids.extend = (await createDeal(ctx, echo, registrationOf('Litware Software GmbH', 'DE'))).deal.id;
      await reviewDeal(ctx, admin, ids.extend, { action: 'approve' });
      await partnerDealAction(ctx, echo, ids.extend, {
        action: 'request-extension',
        text: 'the board meets next quarter',
      });
    }));
  }, 60_000);

  it('lists the review queue sorted by review due time, the breached review first', () => {
    const queue = trellis(
      ['deals', 'list', '--vendor', 'dell', '--status', 'submitted,under-review', '--json'],
      env,
    );
    expect(queue.code, queue.stderr).toBe(0);
    const items = jsonLines(queue.stdout);
    expect(items.map((d) => d.id)).toEqual([ids.late, ids.first, ids.approve, ids.reject]);
    expect(items[0]).toMatchObject({ slaBreached: true, status: 'submitted' });
    const due = items.map((d) => String(d.reviewDueAt));
    expect([...due].sort()).toEqual(due);

    const breached = trellis(['deals', 'list', '--breached', '--program', PROGRAM], env);
    expect(breached.code, breached.stderr).toBe(0);
    expect(breached.stdout).toContain(ids.late);
    expect(breached.stdout).toContain('SLA BREACHED');
    expect(breached.stdout).toMatch(/^1 registration\(s\)/m);
  }, 60_000);

  it('shows a conflict side by side with its evidence and the history', () => {
    const show = trellis(['deals', 'show', ids.second as string], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`^${ids.second}: rejected`));
    expect(show.stdout).toContain('reason     duplicate-registration');
    expect(show.stdout).toContain(`registration ${ids.first}: match`);
    expect(show.stdout).toContain('Müller Maschinenbau GmbH registered by Alpha Systems Ltd (submitted)');
    expect(show.stdout).toMatch(/^ {6}name\s+\d\.\d\d {2}\S/m);
    expect(show.stdout).toMatch(/create .*-> draft .*\n.*submit .*-> submitted .*\n.*reject .*-> rejected/);
  }, 60_000);

  it('decides only as a named vendor reviewer: --as is required, a partner is refused', async () => {
    const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') }, { migrate: false });
    try {
      const ctx = createContext(store);
      await expect(actingAs(ctx, undefined, MANAGE, 'approving')).rejects.toThrow(
        'approving is a decision of the vendor: name the reviewer with --as <email>',
      );
      await expect(actingAs(ctx, 'nobody@dell.test', MANAGE, 'approving')).rejects.toThrow(
        '--as: nobody has the email nobody@dell.test',
      );
      await expect(actingAs(ctx, 'admin@alpha.test', MANAGE, 'approving')).rejects.toThrow(
        /--as admin@alpha\.test: your role \(partner-admin\) may not manage deal records/,
      );
      expect(await actingAs(ctx, 'cm.na@dell.test', MANAGE, 'approving')).toMatchObject({
        actor: { kind: 'person', personId: 'per_dell_cm', sessionId: 'cli' },
        scope: { kind: 'vendor', regions: ['na'] },
      });
    } finally {
      await store.close();
    }
  });

  it('decides as the reviewer named: a channel manager only in its regions', () => {
    // cm.na@dell.test reviews North America only: an EMEA registration is not found for it.
    const outside = trellis(
      ['deals', 'review', ids.approve as string, '--action', 'start-review', '--as', 'cm.na@dell.test'],
      env,
    );
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/was not found/);

    const approved = trellis(['deals', 'approve', ids.approve as string, '--as', 'admin@dell.test'], env);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toBe(
      `${ids.approve}: approved, protected until ${daysFromNow(89)} (89 days left)\n`,
    );

    const noReason = trellis(
      ['deals', 'reject', ids.reject as string, '--as', 'admin@dell.test', '--reason', 'nope', '--text', 'x'],
      env,
    );
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toMatch(/body\.reasonCode: one of duplicate-registration, .*end-of-life-product/);
    const rejected = trellis(
      [
        'deals',
        'reject',
        ids.reject as string,
        '--as',
        'admin@dell.test',
        '--reason',
        'not-net-new',
        '--text',
        'Adatum already buys storage from Dell',
        '--json',
      ],
      env,
    );
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(JSON.parse(rejected.stdout)).toMatchObject({
      status: 'rejected',
      reasonCode: 'not-net-new',
      reasonText: 'Adatum already buys storage from Dell',
      decidedBy: 'per_dell_admin',
    });
  }, 120_000);

  it('grants a requested extension', () => {
    const r = trellis(['deals', 'extend', ids.extend as string, '--as', 'admin@dell.test'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${ids.extend}: extended, protected until ${daysFromNow(119)} (119 days left)\n`);
  }, 60_000);

  it('sweeps: past protection expires, a review past its SLA is flagged and escalated', () => {
    const sweep = trellis(['deals', 'sweep', '--json'], env);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(JSON.parse(sweep.stdout)).toMatchObject({ expired: 1, breached: 1, autoApproved: 0 });
    const late = trellis(['deals', 'show', ids.late as string, '--json'], env);
    const deal = JSON.parse(late.stdout) as { escalated: boolean; history: { action: string }[] };
    expect(deal.escalated).toBe(true);
    expect(deal.history.map((e) => e.action)).toEqual(['create', 'submit', 'escalate']);
    const expired = trellis(['deals', 'list', '--status', 'expired', '--json'], env);
    expect(jsonLines(expired.stdout).map((d) => d.id)).toEqual([ids.old]);
  }, 60_000);

  it("lists a program's reason codes", () => {
    const r = trellis(['deals', 'reasons', '--program', PROGRAM], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^duplicate-registration +An earlier registration covers this customer$/m);
    expect(r.stdout).toMatch(/^end-of-life-product +A registered product is at end of life {2}\(program\)$/m);
  }, 60_000);
});
