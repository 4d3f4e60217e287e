import navTexts from '../i18n/nav.en';
import { describe, expect, it } from 'vitest';
import {
  can,
  canAnswerOffers,
  canManageNamedAccounts,
  canManageSettlement,
  canOpenDisputes,
  canReadAgreements,
  canReadEngagement,
  canReadSettlement,
  canReadTransfers,
  canRegisterDeals,
  canReviewDeals,
  canSimulate,
  hasRole,
  isVendorReader,
  navEntries,
  type Capability,
  type Me,
} from './access';

const NONE: Me['can'] = {
  readVendorBooks: false,
  closePeriods: false,
  readSettlement: false,
  manageSettlement: false,
  choosePayoutCurrency: false,
  openDisputes: false,
  decideDisputes: false,
  registerDeals: false,
  reviewDeals: false,
  readEngagement: false,
  manageNamedAccounts: false,
  rebuildCoverage: false,
  sweepOffers: false,
  answerOffers: false,
  readAgreements: false,
  manageAgreements: false,
  readTransfers: false,
  simulate: false,
  writeOrders: false,
  writeProducts: false,
  writeCertifications: false,
  manageMemberships: false,
  readAudit: false,
  manageTokens: false,
  manageSso: false,
  manageWebhooks: false,
  readMdf: false,
  proposeMdf: false,
  decideMdf: false,
  runMdfExpiry: false,
  uploadFiles: false,
  readRates: false,
  loadRates: false,
};

/** A person as GET /api/me answers: the server says what it may do (test/server/capabilities.test.ts). */
const person = (roles: string[], held: readonly Capability[]): Me => ({
  kind: 'person',
  id: 'per_1',
  vendorId: null,
  partnerId: null,
  roles,
  can: { ...NONE, ...Object.fromEntries(held.map((c) => [c, true])) },
});

const vendorAdmin = person(
  ['vendor-admin'],
  [
    'readVendorBooks',
    'closePeriods',
    'readSettlement',
    'manageSettlement',
    'decideDisputes',
    'reviewDeals',
    'readEngagement',
    'manageNamedAccounts',
    'readAgreements',
    'readTransfers',
    'simulate',
  ],
);
const auditor = person(
  ['auditor'],
  ['readVendorBooks', 'readSettlement', 'readEngagement', 'readAgreements', 'readTransfers'],
);
const partnerAdmin = person(
  ['partner-admin'],
  ['readSettlement', 'openDisputes', 'registerDeals', 'answerOffers', 'readAgreements'],
);
const salesRep = person(['partner-sales-rep'], ['registerDeals', 'answerOffers', 'readAgreements']);
const distributor = person(['distributor'], ['readSettlement', 'openDisputes', 'readAgreements']);

const labels = (me: Me | null) =>
  navEntries(me).map(([, key]) => navTexts[key.slice('nav.'.length) as keyof typeof navTexts]);

describe('what the app offers', () => {
  it('reads each capability from what the server answered, never from the roles', () => {
    const checks: [(me: Me | null | undefined) => boolean, Capability][] = [
      [isVendorReader, 'readVendorBooks'],
      [canReadSettlement, 'readSettlement'],
      [canManageSettlement, 'manageSettlement'],
      [canOpenDisputes, 'openDisputes'],
      [canRegisterDeals, 'registerDeals'],
      [canReviewDeals, 'reviewDeals'],
      [canReadEngagement, 'readEngagement'],
      [canManageNamedAccounts, 'manageNamedAccounts'],
      [canAnswerOffers, 'answerOffers'],
      [canReadAgreements, 'readAgreements'],
      [canReadTransfers, 'readTransfers'],
      [canSimulate, 'simulate'],
    ];
    // A vendor admin the server limited (as it limits a regional channel manager's simulations).
    const limited = person(['vendor-admin'], []);
    for (const [check, capability] of checks) {
      expect(check(person([], [capability])), capability).toBe(true);
      expect(check(limited), capability).toBe(false);
      expect(check(null), capability).toBe(false);
      expect(check(undefined), capability).toBe(false);
    }
    expect(can(vendorAdmin, 'simulate')).toBe(true);
    expect(can(auditor, 'manageSettlement')).toBe(false);
  });
  it('still tells roles apart for what is shown, not allowed', () => {
    expect(hasRole(vendorAdmin, 'auditor', 'vendor-admin')).toBe(true);
    expect(hasRole(null, 'vendor-admin')).toBe(false);
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
