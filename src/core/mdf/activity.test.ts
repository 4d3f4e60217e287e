import { describe, expect, it } from 'vitest';
import { claimDeadline, decideActivity, type ActivityFacts, type MdfRules } from './activity.js';

const rules: MdfRules = {
  activityTypes: [
    { code: 'event', name: 'Customer event', proof: ['invoice', 'attendee-list'] },
    { code: 'digital', name: 'Digital campaign', proof: ['invoice', 'screenshot'] },
  ],
  claimWithin: { months: 0, days: 60 },
};
const proposed: ActivityFacts = {
  status: 'proposed',
  type: 'event',
  startsOn: '2026-09-10',
  endsOn: '2026-09-12',
  requestedMinor: 2_000_000,
  preapprovedMinor: null,
  claimedMinor: null,
};
const preapproved: ActivityFacts = { ...proposed, status: 'preapproved', preapprovedMinor: 1_500_000 };
const claimed: ActivityFacts = { ...preapproved, status: 'claimed', claimedMinor: 1_400_000 };
const codes = (d: ReturnType<typeof decideActivity>) => (d.ok ? [] : d.problems.map((p) => p.code));

describe('an MDF activity', () => {
  it('is pre-approved in full or in part, within the request and what the fund holds', () => {
    const pre = (amountMinor: number, availableMinor = 5_000_000) =>
      decideActivity(rules, proposed, { action: 'preapprove', amountMinor, availableMinor }, '2026-08-01');
    expect(pre(2_000_000)).toEqual({ ok: true, status: 'preapproved', amountMinor: 2_000_000 });
    expect(pre(1_500_000)).toEqual({ ok: true, status: 'preapproved', amountMinor: 1_500_000 });
    expect(codes(pre(2_000_001))).toEqual(['over-requested']);
    expect(codes(pre(1_500_000, 1_000_000))).toEqual(['over-available']);
    expect(codes(pre(0))).toEqual(['not-positive']);
  });

  it('is refused or rejected only with a reason', () => {
    expect(codes(decideActivity(rules, proposed, { action: 'refuse', reason: '  ' }, '2026-08-01'))).toEqual([
      'reason-required',
    ]);
    expect(
      decideActivity(rules, proposed, { action: 'refuse', reason: 'No budget left in EMEA' }, '2026-08-01'),
    ).toEqual({
      ok: true,
      status: 'refused',
      amountMinor: null,
    });
    expect(
      decideActivity(rules, claimed, { action: 'reject', reason: 'Invoice unreadable' }, '2026-10-01'),
    ).toMatchObject({
      ok: true,
      status: 'claim-rejected',
    });
  });

  it('takes a claim after the activity, before its deadline, within the pre-approval, with every proof', () => {
    expect(claimDeadline(rules, '2026-09-12')).toBe('2026-11-11');
    const claim = (today: string, amountMinor = 1_400_000, proofKinds = ['invoice', 'attendee-list']) =>
      decideActivity(rules, preapproved, { action: 'claim', amountMinor, proofKinds }, today);
    expect(claim('2026-11-11')).toEqual({ ok: true, status: 'claimed', amountMinor: 1_400_000 });
    expect(codes(claim('2026-11-12'))).toEqual(['after-deadline']);
    expect(codes(claim('2026-09-11'))).toEqual(['before-end']);
    expect(codes(claim('2026-10-01', 1_500_001))).toEqual(['over-preapproved']);
    const missing = claim('2026-10-01', 1_000_000, ['invoice']);
    expect(missing).toEqual({
      ok: false,
      problems: [{ code: 'missing-proof', field: 'files', params: { missing: 'attendee-list' } }],
    });
    // A rejected claim may be made again until the deadline.
    const again = decideActivity(
      rules,
      { ...preapproved, status: 'claim-rejected' },
      { action: 'claim', amountMinor: 1_000_000, proofKinds: ['invoice', 'attendee-list'] },
      '2026-10-15',
    );
    expect(again).toMatchObject({ ok: true, status: 'claimed' });
  });

  it('pays at most the claim, and each action only from its statuses', () => {
    expect(
      decideActivity(rules, claimed, { action: 'approve', amountMinor: 1_400_000 }, '2026-10-01'),
    ).toEqual({
      ok: true,
      status: 'paid',
      amountMinor: 1_400_000,
    });
    expect(
      codes(decideActivity(rules, claimed, { action: 'approve', amountMinor: 1_400_001 }, '2026-10-01')),
    ).toEqual(['over-claimed']);
    expect(
      codes(decideActivity(rules, proposed, { action: 'approve', amountMinor: 1 }, '2026-10-01')),
    ).toEqual(['wrong-status']);
    expect(
      codes(decideActivity(rules, { ...claimed, status: 'paid' }, { action: 'withdraw' }, '2026-10-01')),
    ).toEqual(['wrong-status']);
  });

  it('lapses unclaimed only after its deadline', () => {
    expect(codes(decideActivity(rules, preapproved, { action: 'lapse' }, '2026-11-11'))).toEqual([
      'not-yet-due',
    ]);
    expect(decideActivity(rules, preapproved, { action: 'lapse' }, '2026-11-12')).toMatchObject({
      ok: true,
      status: 'lapsed',
    });
  });
});
