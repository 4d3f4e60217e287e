import { describe, expect, it } from 'vitest';
import { expiringWithin, missingKinds, partnerSteps, statusKey, statusTone, vendorSteps } from './mdf';

describe('MDF steps in the app', () => {
  const a = { status: 'preapproved', endsOn: '2026-03-31', claimDeadline: '2026-05-30' };

  it('offers a claim from the end of the activity to its deadline, both days included', () => {
    expect(partnerSteps(a, '2026-03-30')).toMatchObject({ claim: false, claimNotYet: true });
    expect(partnerSteps(a, '2026-03-31').claim).toBe(true);
    expect(partnerSteps(a, '2026-05-30').claim).toBe(true);
    expect(partnerSteps(a, '2026-05-31')).toMatchObject({ claim: false, claimTooLate: true });
    expect(partnerSteps({ ...a, status: 'claim-rejected' }, '2026-04-02').claim).toBe(true);
  });

  it('never offers a claim or a withdrawal once a claim is under review or paid', () => {
    for (const status of ['claimed', 'paid', 'refused', 'withdrawn', 'lapsed'])
      expect(partnerSteps({ ...a, status }, '2026-04-01'), status).toMatchObject({
        claim: false,
        withdraw: false,
      });
    expect(partnerSteps({ ...a, status: 'proposed' }, '2026-04-01')).toMatchObject({
      claim: false,
      withdraw: true,
    });
  });

  it('lets the vendor decide proposals and claims only', () => {
    expect(vendorSteps({ status: 'proposed' })).toEqual({ proposal: true, claim: false });
    expect(vendorSteps({ status: 'claimed' })).toEqual({ proposal: false, claim: true });
    expect(vendorSteps({ status: 'paid' })).toEqual({ proposal: false, claim: false });
  });

  it('names the proof kinds still missing', () => {
    expect(missingKinds(['invoice', 'attendee-list'], [{ kind: 'invoice' }, { kind: 'photo' }])).toEqual([
      'attendee-list',
    ]);
    expect(missingKinds(['invoice'], [{ kind: 'invoice' }, { kind: 'invoice' }])).toEqual([]);
  });

  it('warns of funds expiring within the window only', () => {
    const expiring = [
      { on: '2026-12-31', amountMinor: 100 },
      { on: '2027-06-30', amountMinor: 200 },
      { on: '2026-12-20', amountMinor: 0 },
    ];
    expect(expiringWithin(expiring, '2026-12-06', 90)).toEqual([{ on: '2026-12-31', amountMinor: 100 }]);
  });

  it('names statuses by catalogue key and tone', () => {
    expect(statusKey('claim-rejected')).toBe('mdf.status.claimRejected');
    expect(statusTone('paid')).toBe('ok');
    expect(statusTone('lapsed')).toBe('bad');
  });
});
