import navTexts from '../i18n/nav.en';
import { describe, expect, it } from 'vitest';
import {
  canManageSettlement,
  canReadAgreements,
  canOpenDisputes,
  canReadSettlement,
  hasRole,
  isVendorReader,
  navEntries,
  type Me,
} from './access';

const person = (roles: string[], owner: { vendorId?: string; partnerId?: string }): Me => ({
  kind: 'person',
  id: 'per_1',
  vendorId: owner.vendorId ?? null,
  partnerId: owner.partnerId ?? null,
  roles,
});

const vendorAdmin = person(['vendor-admin'], { vendorId: 'vnd_dell' });
const auditor = person(['auditor'], { vendorId: 'vnd_dell' });
const channelManager = person(['channel-manager'], { vendorId: 'vnd_dell' });
const partnerAdmin = person(['partner-admin'], { partnerId: 'ptn_bravo' });
const salesRep = person(['partner-sales-rep'], { partnerId: 'ptn_bravo' });
const distributor = person(['distributor'], { partnerId: 'ptn_dist' });

const labels = (me: Me | null) =>
  navEntries(me).map(([, key]) => navTexts[key.slice('nav.'.length) as keyof typeof navTexts]);

describe('roles', () => {
  it('knows who reads and who manages settlement', () => {
    expect(hasRole(vendorAdmin, 'auditor', 'vendor-admin')).toBe(true);
    expect(hasRole(null, 'vendor-admin')).toBe(false);
    expect([vendorAdmin, auditor, channelManager].every(isVendorReader)).toBe(true);
    expect(isVendorReader(partnerAdmin)).toBe(false);
    expect([vendorAdmin, auditor, partnerAdmin, distributor].every(canReadSettlement)).toBe(true);
    expect(canReadSettlement(salesRep)).toBe(false);
    expect(canManageSettlement(vendorAdmin)).toBe(true);
    expect(canManageSettlement(auditor)).toBe(false);
    expect(canManageSettlement(partnerAdmin)).toBe(false);
  });
  it('lets only a partner side open disputes', () => {
    expect(canOpenDisputes(partnerAdmin)).toBe(true);
    expect(canOpenDisputes(distributor)).toBe(true);
    expect(canOpenDisputes(salesRep)).toBe(false);
    expect(canOpenDisputes(vendorAdmin)).toBe(false);
    expect(canOpenDisputes(person(['partner-admin'], {}))).toBe(false);
  });
});

describe('agreements', () => {
  it("are read by a party's vendor people and by partners' people, not by someone of neither", () => {
    expect(
      [vendorAdmin, channelManager, auditor, partnerAdmin, salesRep, distributor].every(canReadAgreements),
    ).toBe(true);
    expect(canReadAgreements(null)).toBe(false);
    expect(canReadAgreements(person(['partner-admin'], {}))).toBe(false);
    expect(canReadAgreements(person(['vendor-admin'], {}))).toBe(false);
  });
});

describe('navEntries', () => {
  const base = ['Home', 'Programs', 'Partners', 'Customers', 'Orders', 'Products'];
  it('adds statements and disputes for partners, and closes for vendors', () => {
    expect(labels(null)).toEqual(base);
    const partner = ['Offers', 'My accounts'];
    const vendor = ['Coverage', 'Direct accounts', 'Routing log'];
    expect(labels(salesRep)).toEqual([...base, 'Deals', ...partner, 'Agreements']);
    expect(labels(partnerAdmin)).toEqual([
      ...base,
      'Statements',
      'Disputes',
      'Deals',
      ...partner,
      'Agreements',
    ]);
    expect(labels(distributor)).toEqual([...base, 'Statements', 'Disputes', 'Agreements']);
    expect(labels(vendorAdmin)).toEqual([
      ...base,
      'Statements',
      'Disputes',
      'Closes',
      'Deal reviews',
      ...vendor,
      'Agreements',
      'Transfers',
      'Simulations',
    ]);
    expect(labels(auditor)).toEqual([
      ...base,
      'Statements',
      'Disputes',
      'Closes',
      ...vendor,
      'Agreements',
      'Transfers',
    ]);
  });
});
