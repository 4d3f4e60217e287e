import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { CAPABILITY_NAMES, type Capability } from '../../src/core/access/capabilities.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/**
 * GET /api/me answers what the caller may do (`can`), and the routes agree: for every capability, one call
 * of a route behind it is refused with 403 exactly when `can` says no.
 */
const PROBES: Record<Capability, readonly [method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown]> = {
  readVendorBooks: ['GET', '/api/closes'],
  closePeriods: ['POST', '/api/closes', {}],
  readSettlement: ['GET', '/api/statements'],
  manageSettlement: ['POST', '/api/statements/stm_nothere/issue', {}],
  choosePayoutCurrency: ['PUT', '/api/partners/ptn_nothere/payout-currency', {}],
  openDisputes: ['POST', '/api/disputes', {}],
  decideDisputes: ['POST', '/api/disputes/dsp_nothere/accept', {}],
  registerDeals: ['POST', '/api/deals', {}],
  reviewDeals: ['POST', '/api/deals/review', {}],
  readEngagement: ['GET', '/api/routing'],
  manageNamedAccounts: ['POST', '/api/named-accounts', {}],
  rebuildCoverage: ['POST', '/api/coverage/rebuild', {}],
  sweepOffers: ['POST', '/api/routing/sweep', {}],
  answerOffers: ['POST', '/api/offers/ofr_nothere/accept', {}],
  readAgreements: ['GET', '/api/agreements'],
  manageAgreements: ['POST', '/api/agreements/agr_nothere/notice', {}],
  readTransfers: ['GET', '/api/program-transfers'],
  // A body the schema accepts, so the use case's own rule (the whole vendor in view) is reached.
  simulate: ['POST', '/api/simulations', { draft: 'not: a program', from: '2017-02-01', to: '2017-04-30' }],
  writeOrders: ['POST', '/api/orders', {}],
  writeProducts: ['POST', '/api/products', {}],
  writeCertifications: ['POST', '/api/certifications', {}],
  manageMemberships: ['POST', '/api/programs/prg_nothere/invitations', {}],
  readAudit: ['GET', '/api/audit'],
  manageTokens: ['POST', '/api/tokens', {}],
  manageSso: ['PUT', '/api/sso', {}],
  manageWebhooks: ['POST', '/api/webhooks', {}],
  readMdf: ['GET', '/api/mdf/activities'],
  proposeMdf: ['POST', '/api/mdf/activities', {}],
  decideMdf: ['POST', '/api/mdf/activities/mdf_nothere/decisions', {}],
  // A channel manager limited to regions may decide in them, but an expiry run covers the whole program.
  runMdfExpiry: ['POST', '/api/programs/prg_nothere/mdf/expiry', {}],
  uploadFiles: ['POST', '/api/files', {}],
  readRates: ['GET', '/api/rates'],
  loadRates: ['POST', '/api/rates', {}],
};

/** The capabilities each fixture person holds; every other one is false. */
const HELD: Record<string, readonly Capability[]> = {
  'admin@dell.test': [
    'readVendorBooks',
    'closePeriods',
    'readSettlement',
    'manageSettlement',
    'choosePayoutCurrency',
    'decideDisputes',
    'reviewDeals',
    'readEngagement',
    'manageNamedAccounts',
    'rebuildCoverage',
    'sweepOffers',
    'readAgreements',
    'manageAgreements',
    'readTransfers',
    'simulate',
    'writeOrders',
    'writeProducts',
    'writeCertifications',
    'manageMemberships',
    'readAudit',
    'manageTokens',
    'manageSso',
    'manageWebhooks',
    'readMdf',
    'decideMdf',
    'runMdfExpiry',
    'uploadFiles',
    'readRates',
    'loadRates',
  ],
  // A channel manager limited to North America: reviews deals, but a simulation needs the whole vendor.
  'cm.na@dell.test': [
    'readVendorBooks',
    'readSettlement',
    'reviewDeals',
    'readEngagement',
    'readAgreements',
    'writeCertifications',
    'readMdf',
    'decideMdf',
    'uploadFiles',
    'readRates',
  ],
  'auditor@dell.test': [
    'readVendorBooks',
    'readSettlement',
    'readEngagement',
    'readAgreements',
    'readTransfers',
    'readAudit',
    'readMdf',
    'readRates',
  ],
  'admin@alpha.test': [
    'readSettlement',
    'choosePayoutCurrency',
    'openDisputes',
    'registerDeals',
    'answerOffers',
    'readAgreements',
    'manageTokens',
    'manageSso',
    'manageWebhooks',
    'readMdf',
    'proposeMdf',
    'uploadFiles',
  ],
  'rep@alpha.test': ['registerDeals', 'answerOffers', 'readAgreements'],
  'ops@delta.test': [
    'readSettlement',
    'choosePayoutCurrency',
    'openDisputes',
    'readAgreements',
    'writeOrders',
    'readMdf',
    'proposeMdf',
    'uploadFiles',
  ],
};

const expected = (held: readonly Capability[]) =>
  Object.fromEntries(CAPABILITY_NAMES.map((name) => [name, held.includes(name)]));

for (const kind of STORE_KINDS) {
  describe(`what a caller may do (GET /api/me can) on ${kind}`, () => {
    let t: TestStore;
    let app: Server;

    beforeAll(async () => {
      t = await openTestStore(kind);
      const ctx = createContext(t.store);
      await loadFixture(ctx);
      app = await buildServer(ctx);
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('names every capability it probes', () => {
      expect(Object.keys(PROBES).sort()).toEqual([...CAPABILITY_NAMES].sort());
    });

    for (const [email, held] of Object.entries(HELD)) {
      it(`tells ${email} what it may do, and the routes agree`, async () => {
        const as = client(app, await signIn(app, email));
        const me = await as('GET', '/api/me');
        expect(me.status).toBe(200);
        expect(me.body.can).toEqual(expected(held));
        const disagreements: string[] = [];
        for (const name of CAPABILITY_NAMES) {
          const [method, url, body] = PROBES[name];
          const res = await as(method, url, body);
          const refused = res.status === 403;
          if (refused === held.includes(name))
            disagreements.push(
              `${name}: can=${held.includes(name)} but ${method} ${url} answered ${res.status}`,
            );
        }
        expect(disagreements).toEqual([]);
      });
    }

    it('answers the same capabilities at sign-in', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: 'auditor@dell.test', password: 'correct horse battery staple' },
      });
      expect((res.json() as { me: { can: unknown } }).me.can).toEqual(expected(HELD['auditor@dell.test']!));
    });

    it('tells a token what its role and scopes allow: a read-only admin token writes nothing', async () => {
      const admin = client(app, await signIn(app, 'admin@dell.test'));
      const created = await admin('POST', '/api/tokens', { name: 'reader', scopes: ['read'] });
      expect(created.status).toBe(201);
      const token = client(app, { bearer: created.body.token as string });
      const me = await token('GET', '/api/me');
      expect(me.body.can).toEqual(
        expected([
          'readVendorBooks',
          'readSettlement',
          'readEngagement',
          'readAgreements',
          'readTransfers',
          'readAudit',
          'readMdf',
          'readRates',
        ]),
      );
      const disagreements: string[] = [];
      const can = me.body.can as Record<Capability, boolean>;
      for (const name of CAPABILITY_NAMES) {
        const [method, url, body] = PROBES[name];
        const res = await token(method, url, body);
        if ((res.status === 403) === can[name]) disagreements.push(`${name}: ${res.status}`);
      }
      expect(disagreements).toEqual([]);
    });
  });
}
