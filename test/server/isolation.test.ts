import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { getDeal } from '../../src/app/deals/deal-queries.js';
import { getOrder } from '../../src/app/queries.js';
import { partnerProgress } from '../../src/app/tiers/partner-standing.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { withBulkLoader } from '../../src/db/bulk-loader.js';
import { addResellers } from '../support/deals.js';
import { agreementText, publishAgreement } from '../support/agreements.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Reply } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import {
  runFieldOracle,
  runIsolationHarness,
  type CatalogRecord,
  type FieldMarker,
  type HarnessActor,
} from '../support/isolation.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { publishDellClone } from '../support/transfers.js';
import { splitPartnerBase } from '../../src/app/transfers/split.js';
import { simulate } from '../../src/app/simulation/simulate.js';
import { notify } from '../../src/app/notifications/notify.js';
import { readFileSync } from 'node:fs';
import { multipart, SAMPLES } from '../support/multipart.js';
import { join } from 'node:path';

interface Facts {
  vendors: Record<string, { slug: string; programs: string[] }>;
  enrolled: Record<string, string[]>; // partner -> vendor ids
  supplies: Record<string, string[]>; // distributor -> resellers
  partners: Record<string, { region: string }>;
  products: Record<string, string>; // product -> vendor
  customers: Record<string, { vendorId: string; region: string }>;
  orders: Record<string, { vendorId: string; region: string; customerId: string; parties: string[] }>;
  tokens: Record<string, { vendorId: string | null; partnerId: string | null }>;
  certifications: Record<string, { vendorId: string; partnerId: string }>;
  closes: Record<string, { vendorId: string }>;
  statements: Record<string, { vendorId: string; partnerId: string; status: string }>;
  disputes: Record<string, { vendorId: string; partnerId: string }>;
  jobs: Record<string, { vendorId: string }>;
  deals: Record<string, { vendorId: string; partnerId: string; ownerPersonId: string; region: string }>;
  /** Abuse flags, each on a registration (whose customer's region a regional channel manager must cover). */
  flags: Record<string, { vendorId: string; registrationId: string }>;
  /** Direct-named accounts: the vendor's list (vendor readers only). */
  namedAccounts: Record<string, { vendorId: string }>;
  /** Routed direct orders (the routing log: vendor readers of the order's region). */
  routedOrders: Record<string, { vendorId: string; region: string }>;
  /** Offers of routed orders: the partner offered, and the vendor's readers of the order's region. */
  offers: Record<string, { vendorId: string; partnerId: string; routedOrderId: string }>;
  /** Vendor agreements: their parties, and the vendors whose programs they bind. */
  agreements: Record<string, { parties: string[]; bindsProgramsOf: string[] }>;
  /** Program transfers (splits): the vendors party to each (their admins and auditors read it). */
  transfers: Record<string, { vendorIds: string[] }>;
  /** Simulations of draft programs: their vendor's (people limited to regions read none). */
  simulations: Record<string, { vendorId: string }>;
  /** Notifications: told to a partner's people (partnerId) or to the vendor's (partnerId null). */
  notifications: Record<string, { vendorId: string; partnerId: string | null }>;
  /** Webhook endpoints: a vendor's (vendorId) or a partner's (partnerId); their deliveries, by endpoint. */
  webhooks: Record<string, { vendorId: string | null; partnerId: string | null }>;
  webhookDeliveries: Record<string, { endpointId: string }>;
  /** MDF activities: the proposing partner's, and its vendor's (a channel manager, its regions'). */
  mdfActivities: Record<string, { vendorId: string; partnerId: string; region: string }>;
  /** Stored files: uploaded for a vendor by its people (partnerId null) or by a partner's. */
  files: Record<string, { vendorId: string; partnerId: string | null }>;
}

/** A partner's person; a sales rep (`ownerPersonId`) sees only the registrations it owns. */
type Org = { vendorId: string; regions: string[] } | { partnerId: string; ownerPersonId?: string };

/** The oracle: who may see what, written from the rules, independently of the repositories' SQL. */
function sees(facts: Facts, org: Org, r: CatalogRecord): boolean {
  const regionOk = (region: string) =>
    'vendorId' in org && (org.regions.length === 0 || org.regions.includes(region));
  if ('vendorId' in org) {
    const v = org.vendorId;
    switch (r.type) {
      case 'vendor':
        return r.id === v;
      case 'program':
        return facts.vendors[v]?.programs.includes(r.id) ?? false;
      case 'product':
        return facts.products[r.id] === v;
      case 'partner':
        return (facts.enrolled[r.id] ?? []).includes(v) && regionOk(facts.partners[r.id]?.region ?? '');
      case 'customer':
        return facts.customers[r.id]?.vendorId === v && regionOk(facts.customers[r.id]?.region ?? '');
      case 'order':
        return facts.orders[r.id]?.vendorId === v && regionOk(facts.orders[r.id]?.region ?? '');
      case 'token':
        return facts.tokens[r.id]?.vendorId === v;
      case 'certification': {
        const c = facts.certifications[r.id];
        return c?.vendorId === v && regionOk(facts.partners[c.partnerId]?.region ?? '');
      }
      case 'close':
        // Closes carry vendor-wide totals: a channel manager limited to regions does not see them.
        return facts.closes[r.id]?.vendorId === v && org.regions.length === 0;
      case 'statement': {
        const st = facts.statements[r.id];
        return st?.vendorId === v && regionOk(facts.partners[st.partnerId]?.region ?? '');
      }
      case 'dispute': {
        const d = facts.disputes[r.id];
        return d?.vendorId === v && regionOk(facts.partners[d.partnerId]?.region ?? '');
      }
      case 'job':
        // Jobs carry vendor-wide results: people limited to regions see none.
        return facts.jobs[r.id]?.vendorId === v && org.regions.length === 0;
      case 'deal':
        // The vendor's registrations; a regional channel manager those of customers in its regions.
        return facts.deals[r.id]?.vendorId === v && regionOk(facts.deals[r.id]?.region ?? '');
      case 'deal-flag': {
        // The vendor's abuse queue; a regional channel manager the flags on registrations it sees.
        const f = facts.flags[r.id];
        return f?.vendorId === v && regionOk(facts.deals[f.registrationId]?.region ?? '');
      }
      case 'named-account':
        // The vendor's direct-named list (a regional reader sees the list, its matches filtered by region).
        return facts.namedAccounts[r.id]?.vendorId === v;
      case 'routed-order':
        return facts.routedOrders[r.id]?.vendorId === v && regionOk(facts.routedOrders[r.id]?.region ?? '');
      case 'offer': {
        const o = facts.offers[r.id];
        return o?.vendorId === v && regionOk(facts.routedOrders[o.routedOrderId]?.region ?? '');
      }
      case 'agreement':
        // A vendor sees the agreements it is party to, never others' (not even of a shared partner).
        return facts.agreements[r.id]?.parties.includes(v) ?? false;
      case 'transfer':
        // The vendors party to it; channel managers (limited to regions or not) read none.
        return (facts.transfers[r.id]?.vendorIds.includes(v) ?? false) && org.regions.length === 0;
      case 'simulation':
        return facts.simulations[r.id]?.vendorId === v && org.regions.length === 0;
      case 'notification':
        // Told to the vendor's own people; a partner's notifications are that partner's alone.
        return facts.notifications[r.id]?.vendorId === v && facts.notifications[r.id]?.partnerId === null;
      case 'webhook':
        // The vendor's own endpoints (its admins manage them; other roles are refused the routes).
        return facts.webhooks[r.id]?.vendorId === v;
      case 'webhook-delivery':
        return facts.webhooks[facts.webhookDeliveries[r.id]?.endpointId ?? '']?.vendorId === v;
      case 'mdf-activity':
        return facts.mdfActivities[r.id]?.vendorId === v && regionOk(facts.mdfActivities[r.id]?.region ?? '');
      case 'file': {
        // The vendor's own uploads and its partners' (a regional reader: partners of its regions).
        const f = facts.files[r.id];
        return (
          f?.vendorId === v && (f.partnerId === null || regionOk(facts.partners[f.partnerId]?.region ?? ''))
        );
      }
    }
  }
  const p = org.partnerId;
  const vendors = facts.enrolled[p] ?? [];
  switch (r.type) {
    case 'vendor':
      return vendors.includes(r.id);
    case 'program':
      return Object.entries(facts.vendors).some(([v, x]) => vendors.includes(v) && x.programs.includes(r.id));
    case 'product':
      return vendors.includes(facts.products[r.id] ?? '');
    case 'partner':
      return r.id === p || (facts.supplies[p] ?? []).includes(r.id);
    case 'customer':
      return Object.values(facts.orders).some((o) => o.customerId === r.id && o.parties.includes(p));
    case 'order':
      return facts.orders[r.id]?.parties.includes(p) ?? false;
    case 'token':
      return facts.tokens[r.id]?.partnerId === p;
    case 'certification':
      return facts.certifications[r.id]?.partnerId === p;
    case 'close':
      return false;
    case 'statement':
      // Drafts are the vendor's working copies.
      return facts.statements[r.id]?.partnerId === p && facts.statements[r.id]?.status !== 'draft';
    case 'dispute':
      return facts.disputes[r.id]?.partnerId === p;
    case 'job':
      // The jobs of the fixture are the vendors' closes: a partner sees only jobs it started.
      return false;
    case 'deal': {
      // Its own company's registrations; a sales rep only those it owns. Never another partner's, not even
      // a distributor's resellers'.
      const d = facts.deals[r.id];
      return d?.partnerId === p && (!org.ownerPersonId || d.ownerPersonId === org.ownerPersonId);
    }
    case 'deal-flag':
      // Abuse flags are the vendor's queue.
      return false;
    case 'named-account':
    case 'routed-order':
      // The vendor's list and its routing log.
      return false;
    case 'offer':
      // Only the partner offered, never another partner (not even the distributor supplying it).
      return facts.offers[r.id]?.partnerId === p;
    case 'agreement':
      // The agreements binding a program the partner is enrolled in.
      return facts.agreements[r.id]?.bindsProgramsOf.some((v) => vendors.includes(v)) ?? false;
    case 'transfer':
      // Transfers are between vendors; a partner reads its own standing instead.
      return false;
    case 'simulation':
      // A vendor's drafts and what they would pay: never a partner's.
      return false;
    case 'notification':
      // Its own company's (which of its people read each is test/server/notifications.test.ts's).
      return facts.notifications[r.id]?.partnerId === p;
    case 'webhook':
      // Its own company's endpoints, never another partner's nor a vendor's.
      return facts.webhooks[r.id]?.partnerId === p;
    case 'webhook-delivery':
      return facts.webhooks[facts.webhookDeliveries[r.id]?.endpointId ?? '']?.partnerId === p;
    case 'mdf-activity':
      // Its own activities, never another partner's (not even a distributor's resellers').
      return facts.mdfActivities[r.id]?.partnerId === p;
    case 'file':
      // Its own company's uploads only: never another partner's, nor the vendor's own.
      return facts.files[r.id]?.partnerId === p;
  }
}

/** Bravo's direct partner order (minor units), and Bravo's whole Dell revenue with ord_b1 (2,400,000). */
const MARKER_ORDER_MINOR = 1_357_913;
const BRAVO_REVENUE_MINOR = 2_400_000 + MARKER_ORDER_MINOR;

/** The registrations of the fixture, with values of their own (customer, amount, text, reference). */
const HARNESS_DEALS = [
  {
    key: 'alphaRep',
    email: 'rep@alpha.test',
    program: 'dell-emc-partner-program',
    customer: 'Quillfeather Robotics Ltd',
    country: 'GB',
    region: 'emea',
    city: 'Quillbridge',
    family: 'storage',
    amountMinor: 2_345_671,
    description: 'harness: the rep keeps this storage refresh to itself',
    externalRef: 'HRN-ALPHA-REP',
    outcome: 'submitted',
  },
  {
    key: 'alphaAdmin',
    email: 'admin@alpha.test',
    program: 'dell-emc-partner-program',
    customer: 'Wexley Orchard Foods plc',
    country: 'GB',
    region: 'emea',
    city: 'Wexbury',
    family: 'storage',
    amountMinor: 3_456_782,
    description: 'harness: Alpha admin storage consolidation',
    externalRef: 'HRN-ALPHA-ADM',
    outcome: 'submitted',
  },
  {
    key: 'bravo',
    email: 'admin@bravo.test',
    program: 'dell-emc-partner-program',
    customer: 'Tamarind Freight Inc.',
    country: 'US',
    region: 'na',
    city: 'Tamarack',
    family: 'storage',
    amountMinor: 4_567_893,
    description: 'harness: Bravo freight storage',
    externalRef: 'HRN-BRAVO',
    outcome: 'submitted',
  },
  {
    key: 'victor',
    email: 'admin@victor.test',
    program: 'vmware-partner-connect',
    customer: 'Oriflamme Vignobles SA',
    country: 'FR',
    region: 'emea',
    city: 'Oriville',
    family: 'software',
    amountMinor: 5_678_904,
    description: 'harness: Victor virtualisation',
    externalRef: 'HRN-VICTOR',
    outcome: 'submitted',
  },
  {
    // A later registration of Alpha's customer under a variant: a conflict, rejected.
    key: 'charlie',
    email: 'admin@charlie.test',
    program: 'dell-emc-partner-program',
    customer: 'WEXLEY ORCHARD FOODS',
    country: 'GB',
    region: 'emea',
    city: 'Wexbridge',
    family: 'storage',
    amountMinor: 6_789_015,
    description: 'harness: Charlie competing quote',
    externalRef: 'HRN-CHARLIE',
    outcome: 'conflict',
  },
] as const;

/** Bodies that reach the handler of each state-changing route on one record. */
const WRITE_BODIES: Record<string, unknown> = {
  'PUT /api/deals/{dealId}': {
    customer: { name: 'Harness Edit Ltd', country: 'GB', segment: 'commercial' },
    currency: 'USD',
    lines: [{ family: 'storage', amountMinor: 2_000_000 }],
    expectedCloseDate: '2099-06-30',
    description: 'harness edit',
  },
  'POST /api/deals/{dealId}/request-extension': { text: 'harness' },
  'POST /api/deals/{dealId}/withdraw': { text: 'harness' },
  'POST /api/deals/{dealId}/lose': { text: 'harness' },
  'POST /api/deals/{dealId}/review': { action: 'start-review' },
  'POST /api/deal-flags/{flagId}/resolve': { decision: 'dismiss', text: 'harness' },
  'POST /api/named-accounts/{namedAccountId}/remove': { reason: 'harness' },
  'POST /api/offers/{offerId}/accept': {},
  'POST /api/offers/{offerId}/decline': { reason: 'harness' },
  'POST /api/agreements/{agreementId}/notice': { reason: 'change-of-control', date: '2021-11-20' },
  'POST /api/mdf/activities/{activityId}/decisions': { action: 'refuse', reason: 'harness' },
  'POST /api/mdf/activities/{activityId}/claims': { amountMinor: 1, files: [] },
  'POST /api/mdf/activities/{activityId}/links': { kind: 'order', targetId: 'ord_v1' },
};

for (const kind of STORE_KINDS) {
  describe(`tenant isolation harness on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let facts: Facts;
    let catalog: CatalogRecord[];
    let actors: HarnessActor[];
    /** The fixture's registrations by key, and the answers that created them. */
    const dealIds: Record<string, string> = {};
    const dealReplies: Record<string, Reply> = {};
    let hintReply: Reply;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      const { dell, vmware } = await loadFixture(ctx);
      // A second Dell reseller of Alpha's zone, so a registration of Alpha's customer conflicts.
      await addResellers(ctx, dell, [
        { id: 'ptn_charlie', name: 'Charlie Integration SARL', country: 'FR', region: 'emea' },
      ]);
      // Certifications of three partners with two vendors, so certification lists have foreign records.
      await withBulkLoader(t.store, async (loader) => {
        await loader.certifications([
          {
            id: 'crt_alpha_dell',
            vendorId: dell.vendorId,
            partnerId: 'ptn_alpha',
            personId: 'per_alpha_rep',
            code: 'DCS-SA',
            kind: 'sales',
            family: 'storage',
            earnedOn: '2017-01-05',
            expiresOn: '2019-01-05',
          },
          {
            id: 'crt_bravo_dell',
            vendorId: dell.vendorId,
            partnerId: 'ptn_bravo',
            personId: 'per_bravo_admin',
            code: 'DCS-TE',
            kind: 'technical',
            family: 'servers',
            earnedOn: '2017-01-05',
            expiresOn: '2019-01-05',
          },
          {
            id: 'crt_victor_vmw',
            vendorId: vmware.vendorId,
            partnerId: 'ptn_vmonly',
            personId: 'per_victor_admin',
            code: 'VCP-DCV',
            kind: 'technical',
            family: 'software',
            earnedOn: '2021-01-05',
            expiresOn: '2023-01-05',
          },
        ]);
      });
      // A marker in Bravo's business that never went through its distributor Delta: a direct partner order.
      // Delta sees ord_b1 (2,400,000) with Bravo; it must not learn this order nor Bravo's whole revenue.
      await withBulkLoader(t.store, async (loader) => {
        const base = {
          vendorId: dell.vendorId,
          customerId: 'cus_globex',
          orderDate: '2017-04-25',
          currency: 'USD',
          resellerId: 'ptn_bravo',
          distributorId: null,
        };
        await loader.orders(
          [
            {
              ...base,
              id: 'ord_bm',
              source: 'erp',
              externalId: 'ord_bm',
              endUserName: 'Globex',
              channel: 'partner',
              country: 'US',
              region: 'na',
              segment: 'commercial',
              totalMinor: MARKER_ORDER_MINOR,
              createdAt: new Date('2017-04-25T00:00:00.000Z'),
            },
          ],
          [
            {
              ...base,
              id: 'oln_bm1',
              orderId: 'ord_bm',
              lineNo: 1,
              productId: 'prd_srv',
              family: 'servers',
              quantity: 1,
              unitPriceMinor: MARKER_ORDER_MINOR,
              amountMinor: MARKER_ORDER_MINOR,
              returnsLineId: null,
            },
          ],
        );
      });
      // Two vendor agreements: Dell-VMware (the shipped file) and VMware-Contoso, which Dell's people and
      // Dell-only partners must never see.
      const agreementIds: string[] = [];
      for (const text of [
        await agreementText(),
        (await agreementText())
          .replace('code: dell-vmware-commercial-framework-2021', 'code: vmware-contoso-2021')
          .replace('name: Dell-VMware Commercial Framework Agreement', 'name: VMware-Contoso Agreement')
          .replace(/vendor: dell\b/g, 'vendor: contoso')
          .replace(/(from|by|paidBy): dell\b/g, '$1: contoso')
          .replace(/dell-emc-partner-program/g, 'contoso-partners'),
      ]) {
        const out = await publishAgreement(ctx, text);
        agreementIds.push(out.kind === 'agreement' ? out.agreementId : '');
      }
      app = await buildServer(ctx);
      const D = dell.vendorId;
      const V = vmware.vendorId;
      const C = 'vnd_contoso';
      const people: [string, Org][] = [
        ['admin@dell.test', { vendorId: D, regions: [] }],
        ['cm.na@dell.test', { vendorId: D, regions: ['na'] }],
        ['auditor@dell.test', { vendorId: D, regions: [] }],
        ['admin@vmware.test', { vendorId: V, regions: [] }],
        ['admin@alpha.test', { partnerId: 'ptn_alpha' }],
        ['rep@alpha.test', { partnerId: 'ptn_alpha', ownerPersonId: 'per_alpha_rep' }],
        ['admin@bravo.test', { partnerId: 'ptn_bravo' }],
        ['ops@delta.test', { partnerId: 'ptn_dist' }],
        ['admin@victor.test', { partnerId: 'ptn_vmonly' }],
        ['admin@charlie.test', { partnerId: 'ptn_charlie' }],
      ];
      const sessions = new Map<string, Awaited<ReturnType<typeof signIn>>>();
      for (const [email] of people) sessions.set(email, await signIn(app, email));

      // Tokens of several organisations, so token routes have foreign records too.
      const tokens: Facts['tokens'] = {};
      for (const email of ['admin@dell.test', 'admin@vmware.test', 'admin@alpha.test', 'admin@bravo.test']) {
        const res = await client(app, sessions.get(email)!)('POST', '/api/tokens', {
          name: `harness ${email}`,
          scopes: ['read'],
        });
        expect(res.status).toBe(201);
        const info = res.body.tokenInfo as { id: string; vendorId: string | null; partnerId: string | null };
        tokens[info.id] = { vendorId: info.vendorId, partnerId: info.partnerId };
      }

      // Settlement records of two vendors: closes, statements (issued and draft) and disputes.
      const dellAdmin = client(app, sessions.get('admin@dell.test')!);
      const vmwAdmin = client(app, sessions.get('admin@vmware.test')!);
      const closes: Facts['closes'] = {};
      const statements: Facts['statements'] = {};
      const disputes: Facts['disputes'] = {};
      const jobs: Facts['jobs'] = {};
      for (const [who, vendorId, program, period] of [
        [dellAdmin, D, 'dell-emc-partner-program', 'FY18-Q1'],
        [vmwAdmin, V, 'vmware-partner-connect', 'FY22-Q1'],
      ] as const) {
        const res = await viaJob(who, 'POST', '/api/closes', { program, period });
        expect(res.status, res.text).toBe(200);
        closes[res.body.closeId as string] = { vendorId };
        jobs[res.job?.id as string] = { vendorId };
        const list = await who('GET', `/api/statements?period=${period}`);
        for (const st of list.body.items as { id: string; partnerId: string }[])
          statements[st.id] = { vendorId, partnerId: st.partnerId, status: 'draft' };
      }
      // Issue every statement but Bravo's, which stays a draft only Dell sees.
      for (const [id, st] of Object.entries(statements)) {
        if (st.partnerId === 'ptn_bravo') continue;
        const who = st.vendorId === D ? dellAdmin : vmwAdmin;
        expect((await who('POST', `/api/statements/${id}/issue`, {})).status).toBe(200);
        st.status = 'issued';
        const partner = client(
          app,
          sessions.get(st.partnerId === 'ptn_alpha' ? 'admin@alpha.test' : 'admin@victor.test')!,
        );
        const lines = await partner('GET', `/api/statements/${id}/lines`);
        const line = (lines.body.items as { id: string }[])[0]!;
        const opened = await partner('POST', '/api/disputes', {
          statementId: id,
          lineId: line.id,
          reason: 'harness',
        });
        expect(opened.status, opened.text).toBe(201);
        disputes[opened.body.id as string] = { vendorId: st.vendorId, partnerId: st.partnerId };
      }
      expect(Object.keys(statements).length).toBeGreaterThanOrEqual(3);

      // Deal registrations of four partners and two vendors: one owned by Alpha's sales rep, one by Alpha's
      // admin, Bravo's (approved), Victor's with VMware, and Charlie's later registration of Alpha's
      // customer (a conflict). Each carries values of its own, planted for the field-level oracle.
      const deals: Facts['deals'] = {};
      for (const d of HARNESS_DEALS) {
        const who = client(app, sessions.get(d.email)!);
        const res = await who('POST', '/api/deals', {
          programId: d.program,
          customer: {
            name: d.customer,
            country: d.country,
            segment: 'commercial',
            domain: null,
            city: d.city,
          },
          currency: 'USD',
          lines: [{ family: d.family, amountMinor: d.amountMinor }],
          expectedCloseDate: '2099-06-30',
          description: d.description,
          externalRef: d.externalRef,
        });
        expect(res.status, res.text).toBe(201);
        expect(res.body.outcome, res.text).toBe(d.outcome);
        const deal = res.body.deal as {
          id: string;
          vendorId: string;
          partnerId: string;
          ownerPersonId: string;
        };
        deals[deal.id] = {
          vendorId: deal.vendorId,
          partnerId: deal.partnerId,
          ownerPersonId: deal.ownerPersonId,
          region: d.region,
        };
        dealIds[d.key] = deal.id;
        dealReplies[d.key] = res;
      }
      expect(
        (await dellAdmin('POST', `/api/deals/${dealIds.bravo}/review`, { action: 'approve' })).status,
      ).toBe(200);
      // Charlie's live hint on Alpha's customer: "may be covered", and nothing else.
      const charlie = client(app, sessions.get('admin@charlie.test')!);
      hintReply = await charlie('POST', '/api/deals/check', {
        programId: 'dell-emc-partner-program',
        customer: { name: 'Wexley Orchard Foods', country: 'GB' },
      });
      expect(hintReply.status, hintReply.text).toBe(200);
      expect(hintReply.body.hint).toBe('may-be-covered');
      // Abuse flags of two vendors, in the vendor queues.
      const flags: Facts['flags'] = {
        flg_halpha: { vendorId: D, registrationId: dealIds.alphaAdmin! },
        flg_hbravo: { vendorId: D, registrationId: dealIds.bravo! },
        flg_hvictor: { vendorId: V, registrationId: dealIds.victor! },
      };
      await t.store.db
        .insertInto('dealFlags')
        .values(
          Object.entries(flags).map(([id, f]) => ({
            id,
            vendorId: f.vendorId,
            partnerId: deals[f.registrationId]!.partnerId,
            registrationId: f.registrationId,
            orderId: null,
            rule: 'many-unsold',
            dedupeKey: `many-unsold:harness:${id}`,
            evidence: JSON.stringify({ unsold: 21, max: 20, text: `harness flag ${id}` }),
            status: 'open',
            resolution: null,
            resolvedBy: null,
            resolvedAt: null,
            createdAt: '2026-01-01T00:00:00.000Z',
          })),
        )
        .execute();

      // Rules of engagement: direct orders of two vendors' channel customers, each routed to a partner
      // (an open offer), and direct-named accounts of both vendors (the program's and one added by hand).
      // Charlie sells to Globex through the API (so coverage keeps the account channel-exclusive to it).
      const charlieSale = await dellAdmin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'ISO-GLOBEX-SALE',
        orderDate: '2017-05-20',
        currency: 'USD',
        customerId: 'cus_globex',
        channel: 'partner',
        resellerId: 'ptn_charlie',
        distributorId: null,
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 777_702 }],
      });
      expect(charlieSale.status, charlieSale.text).toBe(201);
      const charlieOrderId = charlieSale.body.id as string;
      const routedOrders: Facts['routedOrders'] = {};
      const offers: Facts['offers'] = {};
      const directs = [
        [dellAdmin, D, 'cus_acme', 'emea', '2017-06-05', 'prd_stor'],
        [dellAdmin, D, 'cus_globex', 'na', '2017-06-06', 'prd_stor'],
        [vmwAdmin, V, 'cus_vacme', 'emea', '2021-06-07', 'prd_vsp'],
      ] as const;
      for (const [who, vendorId, customerId, region, orderDate, productId] of directs) {
        const res = await who('POST', '/api/orders', {
          source: 'erp',
          externalId: `ISO-DIRECT-${customerId}`,
          orderDate,
          currency: 'USD',
          customerId,
          channel: 'direct',
          resellerId: null,
          distributorId: null,
          lines: [{ productId, quantity: 1, unitPriceMinor: 777_701 }],
        });
        expect(res.status, res.text).toBe(202);
        const routing = res.body.routing as { routedOrderId: string };
        routedOrders[routing.routedOrderId] = { vendorId, region };
        const detail = await who('GET', `/api/routing/${routing.routedOrderId}`);
        expect(detail.status, detail.text).toBe(200);
        for (const o of detail.body.offers as { id: string; partnerId: string }[])
          offers[o.id] = { vendorId, partnerId: o.partnerId, routedOrderId: routing.routedOrderId };
      }
      // Offers to at least two partners, so partners have foreign offers.
      expect(new Set(Object.values(offers).map((o) => o.partnerId)).size).toBeGreaterThanOrEqual(2);
      for (const [who, name] of [
        [dellAdmin, 'Harness Direct Bank plc'],
        [vmwAdmin, 'Harness Virtual Direct AG'],
      ] as const) {
        const res = await who('POST', '/api/named-accounts', { name, country: 'GB' });
        expect(res.status, res.text).toBe(201);
      }
      // Products added through the API (issue 12): each vendor's only in its own catalogue.
      const added: Record<string, string> = {};
      for (const [who, vendorId, body] of [
        [dellAdmin, D, { family: 'servers', solution: 'hyperconverged' }],
        [vmwAdmin, V, { family: 'software', licensing: 'saas', solution: 'cloud-management' }],
      ] as const) {
        const res = await who('POST', '/api/products', {
          sku: 'HARNESS-SKU',
          name: 'Harness product',
          listPriceMinor: 100_000,
          currency: 'USD',
          ...body,
        });
        expect(res.status, res.text).toBe(201);
        added[String(res.body.id)] = vendorId;
      }
      const namedAccounts: Facts['namedAccounts'] = Object.fromEntries(
        (await t.store.db.selectFrom('directNamedAccounts').select(['id', 'vendorId']).execute()).map((a) => [
          a.id,
          { vendorId: a.vendorId },
        ]),
      );
      expect(new Set(Object.values(namedAccounts).map((a) => a.vendorId))).toEqual(new Set([D, V]));

      // Program transfers: Dell's partner base split into a copy of its program at a new vendor, and
      // VMware's into another: each is seen by its own vendor, never by the other.
      const operator = { actor: { kind: 'system' as const, id: 'harness' }, scope: SYSTEM_SCOPE };
      const dellCopy = await publishDellClone(ctx, 'isodell', 'isodell-program');
      const vmwCopy = await publishDellClone(ctx, 'isovmw', 'isovmw-program', 'vmware');
      const dellSplit = await splitPartnerBase(ctx, operator, {
        source: dell.programId,
        target: dellCopy.programId,
        onDay: '2017-06-01',
      });
      const vmwSplit = await splitPartnerBase(ctx, operator, {
        source: vmware.programId,
        target: vmwCopy.programId,
        onDay: '2021-06-01',
      });
      const transfers: Facts['transfers'] = {
        [dellSplit.transfer.id]: { vendorIds: [D, dellCopy.vendorId] },
        [vmwSplit.transfer.id]: { vendorIds: [V, vmwCopy.vendorId] },
      };

      // Simulations: the shipped program of each vendor simulated as its own draft.
      const simulations: Facts['simulations'] = {};
      for (const [file, vendorId, from, to] of [
        ['dell-emc-fy18.yaml', D, '2017-02-01', '2017-07-31'],
        ['vmware-partner-connect-fy22.yaml', V, '2021-02-01', '2021-12-31'],
      ] as const) {
        const draftText = readFileSync(join(import.meta.dirname, '..', '..', 'programs', file), 'utf8');
        const sim = await simulate(ctx, operator, { draftText, from, to });
        simulations[sim.id] = { vendorId };
      }

      // Notifications: those the fixture's events wrote, and a tier change told to a partner of each vendor.
      await notify(ctx.store.db, ctx, [
        {
          kind: 'tier.changed',
          params: {
            programId: dell.programId,
            from: null,
            to: 'gold',
            validFrom: '2017-03-01',
            direction: 'new',
          },
          vendorId: D,
          partnerId: 'ptn_alpha',
          subject: { type: 'program', id: dell.programId },
        },
        {
          kind: 'tier.changed',
          params: {
            programId: vmware.programId,
            from: null,
            to: 'principal',
            validFrom: '2021-03-01',
            direction: 'new',
          },
          vendorId: V,
          partnerId: 'ptn_vmonly',
          subject: { type: 'program', id: vmware.programId },
        },
      ]);
      const notifications: Facts['notifications'] = Object.fromEntries(
        (
          await ctx.store.db.selectFrom('notifications').select(['id', 'vendorId', 'partnerId']).execute()
        ).map((n) => [n.id, { vendorId: n.vendorId, partnerId: n.partnerId }]),
      );

      // Webhook endpoints of two vendors and two partners, each with a test delivery.
      const webhooks: Facts['webhooks'] = {};
      const webhookDeliveries: Facts['webhookDeliveries'] = {};
      for (const email of ['admin@dell.test', 'admin@vmware.test', 'admin@alpha.test', 'admin@bravo.test']) {
        const as = client(app, sessions.get(email)!);
        const res = await as('POST', '/api/webhooks', {
          url: 'https://hooks.example.com/harness',
          events: ['order.accepted', 'statement.issued'],
        });
        expect(res.status, res.text).toBe(201);
        const e = res.body.endpoint as { id: string; vendorId: string | null; partnerId: string | null };
        webhooks[e.id] = { vendorId: e.vendorId, partnerId: e.partnerId };
        const test = await as('POST', `/api/webhooks/${e.id}/test`, {});
        expect(test.status, test.text).toBe(201);
        webhookDeliveries[test.body.id as string] = { endpointId: e.id };
      }

      // MDF activities of two partners with VMware (whose program runs MDF): each sees its own only.
      const mdfActivities: Facts['mdfActivities'] = {};
      for (const [email, partnerId] of [
        ['admin@alpha.test', 'ptn_alpha'],
        ['admin@victor.test', 'ptn_vmonly'],
      ] as const) {
        const res = await client(app, sessions.get(email)!)('POST', '/api/mdf/activities', {
          programId: 'vmware-partner-connect',
          type: 'event',
          title: `harness event ${partnerId}`,
          startsOn: '2021-05-03',
          endsOn: '2021-05-04',
          amountMinor: 250_000,
        });
        expect(res.status, res.text).toBe(201);
        mdfActivities[res.body.id as string] = { vendorId: V, partnerId, region: 'emea' };
      }
      // Stored files: each vendor's own, and partners' (Alpha for both its vendors, Bravo, the distributor).
      const files: Facts['files'] = {};
      for (const [email, vendorId] of [
        ['admin@dell.test', undefined],
        ['admin@vmware.test', undefined],
        ['admin@alpha.test', D],
        ['admin@alpha.test', V],
        ['admin@bravo.test', D],
        ['ops@delta.test', D],
      ] as const) {
        const s = sessions.get(email)!;
        const body = multipart({ purpose: 'mdf-proof', ...(vendorId ? { vendorId } : {}) }, [
          { name: 'proof.pdf', bytes: SAMPLES.pdf },
        ]);
        const res = await app.inject({
          method: 'POST',
          url: '/api/files',
          headers: { ...body.headers, cookie: s.cookie, 'x-csrf-token': s.csrf },
          payload: body.payload,
        });
        expect(res.statusCode, res.body).toBe(201);
        const f = res.json() as { id: string; vendorId: string; partnerId: string | null };
        files[f.id] = { vendorId: f.vendorId, partnerId: f.partnerId };
      }

      facts = {
        vendors: {
          [D]: { slug: 'dell', programs: [dell.programId] },
          [V]: { slug: 'vmware', programs: [vmware.programId] },
          [C]: { slug: 'contoso', programs: ['prg_contoso'] },
        },
        enrolled: { ptn_alpha: [D, V], ptn_bravo: [D], ptn_dist: [D], ptn_vmonly: [V], ptn_charlie: [D] },
        supplies: { ptn_dist: ['ptn_bravo'] },
        partners: {
          ptn_alpha: { region: 'emea' },
          ptn_bravo: { region: 'na' },
          ptn_dist: { region: 'emea' },
          ptn_vmonly: { region: 'emea' },
          ptn_charlie: { region: 'emea' },
        },
        products: { prd_stor: D, prd_srv: D, prd_vsp: V, prd_cso: C, ...added },
        customers: {
          cus_acme: { vendorId: D, region: 'emea' },
          cus_globex: { vendorId: D, region: 'na' },
          cus_vacme: { vendorId: V, region: 'emea' },
          cus_cso: { vendorId: C, region: 'na' },
        },
        orders: {
          ord_a1: { vendorId: D, region: 'emea', customerId: 'cus_acme', parties: ['ptn_alpha'] },
          ord_b1: { vendorId: D, region: 'na', customerId: 'cus_globex', parties: ['ptn_bravo', 'ptn_dist'] },
          ord_d1: { vendorId: D, region: 'na', customerId: 'cus_globex', parties: [] },
          ord_bm: { vendorId: D, region: 'na', customerId: 'cus_globex', parties: ['ptn_bravo'] },
          ord_v1: { vendorId: V, region: 'emea', customerId: 'cus_vacme', parties: ['ptn_alpha'] },
          ord_c1: { vendorId: C, region: 'na', customerId: 'cus_cso', parties: [] },
          [charlieOrderId]: { vendorId: D, region: 'na', customerId: 'cus_globex', parties: ['ptn_charlie'] },
        },
        tokens,
        certifications: {
          crt_alpha_dell: { vendorId: D, partnerId: 'ptn_alpha' },
          crt_bravo_dell: { vendorId: D, partnerId: 'ptn_bravo' },
          crt_victor_vmw: { vendorId: V, partnerId: 'ptn_vmonly' },
        },
        closes,
        statements,
        disputes,
        jobs,
        deals,
        flags,
        namedAccounts,
        routedOrders,
        offers,
        agreements: {
          [agreementIds[0]!]: { parties: [D, V], bindsProgramsOf: [D, V] },
          [agreementIds[1]!]: { parties: [C, V], bindsProgramsOf: [C, V] },
        },
        transfers,
        simulations,
        notifications,
        webhooks,
        webhookDeliveries,
        mdfActivities,
        files,
      };
      catalog = [
        ...Object.entries(facts.vendors).map(([id, v]) => ({
          type: 'vendor' as const,
          id,
          aliases: [v.slug],
        })),
        { type: 'program', id: dell.programId, aliases: ['dell-emc-partner-program'] },
        { type: 'program', id: vmware.programId, aliases: ['vmware-partner-connect'] },
        { type: 'program', id: 'prg_contoso', aliases: ['contoso-partners'] },
        ...Object.keys(facts.partners).map((id) => ({ type: 'partner' as const, id })),
        ...Object.keys(facts.products).map((id) => ({ type: 'product' as const, id })),
        ...Object.keys(facts.customers).map((id) => ({ type: 'customer' as const, id })),
        ...Object.keys(facts.orders).map((id) => ({ type: 'order' as const, id })),
        ...Object.keys(tokens).map((id) => ({ type: 'token' as const, id })),
        ...Object.keys(facts.certifications).map((id) => ({ type: 'certification' as const, id })),
        ...Object.keys(closes).map((id) => ({ type: 'close' as const, id })),
        ...Object.keys(statements).map((id) => ({ type: 'statement' as const, id })),
        ...Object.keys(disputes).map((id) => ({ type: 'dispute' as const, id })),
        ...Object.keys(jobs).map((id) => ({ type: 'job' as const, id })),
        ...Object.keys(deals).map((id) => ({ type: 'deal' as const, id })),
        ...Object.keys(flags).map((id) => ({ type: 'deal-flag' as const, id })),
        ...Object.keys(namedAccounts).map((id) => ({ type: 'named-account' as const, id })),
        ...Object.keys(routedOrders).map((id) => ({ type: 'routed-order' as const, id })),
        ...Object.keys(offers).map((id) => ({ type: 'offer' as const, id })),
        { type: 'agreement', id: agreementIds[0]!, aliases: ['dell-vmware-commercial-framework-2021'] },
        { type: 'agreement', id: agreementIds[1]!, aliases: ['vmware-contoso-2021'] },
        ...Object.keys(transfers).map((id) => ({ type: 'transfer' as const, id })),
        ...Object.keys(simulations).map((id) => ({ type: 'simulation' as const, id })),
        ...Object.keys(notifications).map((id) => ({ type: 'notification' as const, id })),
        ...Object.keys(webhooks).map((id) => ({ type: 'webhook' as const, id })),
        ...Object.keys(webhookDeliveries).map((id) => ({ type: 'webhook-delivery' as const, id })),
        ...Object.keys(mdfActivities).map((id) => ({ type: 'mdf-activity' as const, id })),
        ...Object.keys(files).map((id) => ({ type: 'file' as const, id })),
      ];
      actors = people.map(([email, org]) => ({
        name: email,
        call: client(app, sessions.get(email)!),
        sees: (r) => sees(facts, org, r),
        foreignVendorId: 'vendorId' in org ? (org.vendorId === D ? V : D) : C,
      }));
    });

    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('finds no route that leaks another tenant’s records, for any role', async () => {
      const failures = await runIsolationHarness(app, client(app, null), actors, catalog, {
        bodies: WRITE_BODIES,
      });
      expect(failures).toEqual([]);
    });

    it('finds no route that tells a party what another party sums to (field level)', async () => {
      // Who may learn Bravo's own business: Bravo, and Dell's people who see the NA region.
      const knowsBravo = new Set([
        'admin@bravo.test',
        'admin@dell.test',
        'cm.na@dell.test',
        'auditor@dell.test',
      ]);
      const markers: FieldMarker[] = [
        {
          description: "Bravo's order that did not go through Delta",
          values: [String(MARKER_ORDER_MINOR), 'ord_bm'],
          visibleTo: (name) => knowsBravo.has(name),
        },
        {
          description: "Bravo's whole Dell revenue",
          values: [String(BRAVO_REVENUE_MINOR)],
          visibleTo: (name) => knowsBravo.has(name),
        },
      ];
      const failures = await runFieldOracle(app, actors, catalog, markers, {
        program: 'dell-emc-partner-program',
      });
      expect(failures).toEqual([]);

      // The oracle catches a summary that adds up more than the caller may see.
      const leaky = await buildServer(ctx);
      leaky.get(
        '/api/leaky/:partnerId/progress',
        { config: { access: { resource: 'membership', action: 'read' } } },
        async (request) =>
          partnerProgress(ctx, SYSTEM_SCOPE, {
            partnerId: (request.params as { partnerId: string }).partnerId,
            program: 'dell-emc-partner-program',
          }),
      );
      const distLeaky = {
        ...actors.find((a) => a.name === 'ops@delta.test')!,
        call: client(leaky, await signIn(leaky, 'ops@delta.test')),
      };
      const caught = await runFieldOracle(leaky, [distLeaky], catalog, markers, {
        program: 'dell-emc-partner-program',
      });
      expect(caught.join('\n')).toMatch(
        /ops@delta.test GET \/api\/leaky\/ptn_bravo\/progress.*answer contains Bravo's whole Dell revenue/,
      );
      await leaky.close();
      // Not vacuous: the markers are in the answers of those who may see them.
      const dell = actors.find((a) => a.name === 'admin@dell.test')!;
      const progress = await dell.call(
        'GET',
        '/api/partners/ptn_bravo/progress?program=dell-emc-partner-program',
      );
      expect(progress.text).toContain(String(BRAVO_REVENUE_MINOR));
      // And the distributor's own view of Bravo's business is what they share.
      const dist = actors.find((a) => a.name === 'ops@delta.test')!;
      const shared = await dist.call('GET', '/api/orders?reseller=ptn_bravo');
      expect((shared.body.items as { id: string }[]).map((o) => o.id)).toEqual(['ord_b1']);
    });

    it('finds no answer that tells a partner anything of a registration it does not own (field level)', async () => {
      const byKey = Object.fromEntries(HARNESS_DEALS.map((d) => [d.key, d]));
      const markers: FieldMarker[] = HARNESS_DEALS.map((d) => ({
        description: `the fields of registration ${d.key}`,
        values: [d.customer, String(d.amountMinor), d.description, d.externalRef, d.city],
        visibleTo: (name) => actors.find((a) => a.name === name)!.sees({ type: 'deal', id: dealIds[d.key]! }),
      }));
      const failures = await runFieldOracle(app, actors, catalog, markers, {
        program: 'dell-emc-partner-program',
      });
      expect(failures).toEqual([]);
      // The answers of Charlie's own writes: its conflict and its live hint say nothing of Alpha's registration.
      const alphaAdmin = byKey.alphaAdmin!;
      for (const reply of [dealReplies.charlie!, hintReply]) {
        for (const v of [
          dealIds.alphaAdmin!,
          'ptn_alpha',
          'per_alpha',
          'Alpha Systems',
          alphaAdmin.customer,
          String(alphaAdmin.amountMinor),
          alphaAdmin.description,
          alphaAdmin.externalRef,
          alphaAdmin.city,
        ])
          expect(reply.text, `${v} leaked`).not.toContain(v);
      }
      expect(dealReplies.charlie!.body.deal).toMatchObject({
        status: 'rejected',
        reasonCode: 'duplicate-registration',
      });
      // Not vacuous: the owners read their registrations, a rep only its own, and the vendor reads both sides.
      const as = (name: string) => actors.find((a) => a.name === name)!;
      const repList = await as('rep@alpha.test').call('GET', '/api/deals');
      expect((repList.body.items as { id: string }[]).map((d) => d.id)).toEqual([dealIds.alphaRep]);
      const adminList = await as('admin@alpha.test').call('GET', '/api/deals');
      expect((adminList.body.items as { id: string }[]).map((d) => d.id).sort()).toEqual(
        [dealIds.alphaRep, dealIds.alphaAdmin].sort(),
      );
      const review = await as('admin@dell.test').call('GET', `/api/deals/${dealIds.charlie}`);
      expect(review.status).toBe(200);
      expect(review.text).toContain(alphaAdmin.customer);
      const queue = await as('admin@dell.test').call('GET', '/api/deal-flags');
      expect((queue.body.items as { id: string }[]).map((f) => f.id).sort()).toEqual([
        'flg_halpha',
        'flg_hbravo',
      ]);
      const naQueue = await as('cm.na@dell.test').call('GET', '/api/deal-flags');
      expect((naQueue.body.items as { id: string }[]).map((f) => f.id)).toEqual(['flg_hbravo']);
    });

    it('is not vacuous: every actor sees its own records', async () => {
      for (const actor of actors) {
        const own = catalog.filter((r) => actor.sees(r) && r.type === 'order');
        for (const r of own)
          expect((await actor.call('GET', `/api/orders/${r.id}`)).status, `${actor.name} ${r.id}`).toBe(200);
      }
      const alpha = actors.find((a) => a.name === 'admin@alpha.test')!;
      const list = await alpha.call('GET', '/api/orders');
      expect((list.body.items as { id: string }[]).map((o) => o.id).sort()).toEqual(['ord_a1', 'ord_v1']);
      const dist = actors.find((a) => a.name === 'ops@delta.test')!;
      const partners = await dist.call('GET', '/api/partners');
      expect((partners.body.items as { id: string }[]).map((p) => p.id).sort()).toEqual([
        'ptn_bravo',
        'ptn_dist',
      ]);
      // Engagement: each actor lists exactly the offers, routed orders and named accounts it sees.
      const ids = (r: Reply) => (r.body.items as { id: string }[]).map((x) => x.id).sort();
      for (const actor of actors) {
        const offers = await actor.call('GET', '/api/offers');
        const mine = Object.keys(facts.offers).filter((id) => actor.sees({ type: 'offer', id }));
        // A distributor's role reads no offers (none is made to it).
        if (offers.status === 403) expect(mine, actor.name).toEqual([]);
        else expect(ids(offers), `${actor.name} ${offers.text}`).toEqual(mine.sort());
        if (!actor.name.endsWith('@dell.test') && !actor.name.endsWith('@vmware.test')) continue;
        const routing = await actor.call('GET', '/api/routing');
        expect(ids(routing), actor.name).toEqual(
          Object.keys(facts.routedOrders)
            .filter((id) => actor.sees({ type: 'routed-order', id }))
            .sort(),
        );
        const named = await actor.call('GET', '/api/named-accounts');
        expect(ids(named), actor.name).toEqual(
          Object.keys(facts.namedAccounts)
            .filter((id) => actor.sees({ type: 'named-account', id }))
            .sort(),
        );
      }
      // Transfers: each vendor admin and auditor lists exactly the transfers its vendor is party to (and
      // reads their detail); a channel manager or a partner is refused the route.
      for (const actor of actors) {
        const list = await actor.call('GET', '/api/program-transfers');
        const mine = Object.keys(facts.transfers).filter((id) => actor.sees({ type: 'transfer', id }));
        if (list.status === 403) {
          expect(mine, actor.name).toEqual([]);
          continue;
        }
        expect(ids(list), `${actor.name} ${list.text}`).toEqual(mine.sort());
        for (const id of Object.keys(facts.transfers)) {
          const one = await actor.call('GET', `/api/program-transfers/${id}`);
          expect(one.status, `${actor.name} ${id}`).toBe(mine.includes(id) ? 200 : 404);
        }
      }
      expect(
        new Set(Object.values(facts.transfers).map((x) => facts.vendors[x.vendorIds[0]!]?.slug)),
      ).toEqual(new Set(['dell', 'vmware']));
      // Globex's direct order went to its incumbent Charlie, whose coverage is the account it sold to.
      expect(Object.values(facts.offers).some((o) => o.partnerId === 'ptn_charlie')).toBe(true);
      const charlie = actors.find((a) => a.name === 'admin@charlie.test')!;
      const coverage = await charlie.call('GET', '/api/coverage?asOf=2017-07-01');
      expect(coverage.body.items, coverage.text).toMatchObject([
        { customerId: 'cus_globex', status: 'channel-exclusive' },
      ]);
    });

    it('fails on a state-changing route that ignores the caller’s scope (a rep on its colleague’s deal)', async () => {
      const leaky = await buildServer(ctx);
      leaky.post(
        '/api/leaky-deals/:dealId/touch',
        { config: { access: { resource: 'deal', action: 'write' } } },
        async (request) => getDeal(ctx, SYSTEM_SCOPE, (request.params as { dealId: string }).dealId),
      );
      const rep = {
        ...actors.find((a) => a.name === 'rep@alpha.test')!,
        call: client(leaky, await signIn(leaky, 'rep@alpha.test')),
      };
      const failures = await runIsolationHarness(leaky, client(leaky, null), [rep], catalog, {
        bodies: WRITE_BODIES,
      });
      expect(failures.join('\n')).toContain(
        `rep@alpha.test POST /api/leaky-deals/${dealIds.alphaAdmin}/touch: answered 200, expected 404`,
      );
      await leaky.close();
    });

    it('fails on a route that declares no policy', async () => {
      const leaky = await buildServer(ctx);
      leaky.get('/api/leaky-orders', async () => ({ items: [] }));
      const failures = await runIsolationHarness(leaky, client(leaky, null), [], catalog);
      expect(failures.join('\n')).toMatch(/GET \/api\/leaky-orders: anonymous call answered 500/);
      await leaky.close();
    });

    it('fails on a route whose query ignores the caller’s scope', async () => {
      const leaky = await buildServer(ctx);
      leaky.get(
        '/api/leaky-orders/:orderId',
        { config: { access: { resource: 'order', action: 'read' } } },
        async (request) => getOrder(ctx, SYSTEM_SCOPE, (request.params as { orderId: string }).orderId),
      );
      const relinked = actors.map((a) => ({ ...a, call: client(leaky, null) }));
      void relinked;
      const sessions = await Promise.all(['admin@bravo.test'].map((e) => signIn(leaky, e)));
      const bravo = {
        ...actors.find((a) => a.name === 'admin@bravo.test')!,
        call: client(leaky, sessions[0]!),
      };
      const failures = await runIsolationHarness(leaky, client(leaky, null), [bravo], catalog);
      expect(failures.join('\n')).toMatch(
        /admin@bravo.test GET \/api\/leaky-orders\/ord_a1: answered 200, expected 404/,
      );
      expect(failures.join('\n')).toMatch(/body names foreign records/);
      await leaky.close();
    });

    it('tells a partner accepting through a distributor nothing of partners it does not see', async () => {
      const charlie = actors.find((a) => a.name === 'admin@charlie.test')!;
      const offerId = Object.keys(facts.offers).find((id) => facts.offers[id]!.partnerId === 'ptn_charlie')!;
      // Delta (a Dell distributor supplying Bravo), Bravo (a reseller), Victor (VMware's) and no one at all.
      const answers = [];
      for (const distributorId of ['ptn_dist', 'ptn_bravo', 'ptn_vmonly', 'ptn_nobody0']) {
        const r = await charlie.call('POST', `/api/offers/${offerId}/accept`, { distributorId });
        answers.push(`${r.status} ${r.text.replaceAll(distributorId, 'X')}`);
      }
      expect(answers[0]).toMatch(/^400 /);
      expect(new Set(answers).size, answers.join('\n')).toBe(1);
      // Refused: the offer is still open.
      const open = await charlie.call('GET', '/api/offers?status=open');
      expect((open.body.items as { id: string }[]).map((o) => o.id)).toContain(offerId);
    });

    it('sweeps only the caller’s own offers: a vendor neither lapses nor counts another vendor’s', async () => {
      // Both vendors' offers past their deadline. Last: the lapses change the world the other tests read.
      const open = Object.keys(facts.offers);
      await t.store.db
        .updateTable('routingOffers')
        .set({ deadline: '2000-01-01T00:00:00.000Z' })
        .where('id', 'in', open)
        .execute();
      const vmw = actors.find((a) => a.name === 'admin@vmware.test')!;
      const dell = actors.find((a) => a.name === 'admin@dell.test')!;
      const dellSweep = await dell.call('POST', '/api/routing/sweep', {});
      expect(dellSweep.status, dellSweep.text).toBe(200);
      const status = async () =>
        Object.fromEntries(
          (
            await t.store.db
              .selectFrom('routingOffers')
              .select(['id', 'status', 'vendorId'])
              .where('id', 'in', open)
              .execute()
          ).map((o) => [o.id, o.status]),
        );
      const dellOnly = open.filter((id) => dell.sees({ type: 'offer', id }));
      const vmwOnly = open.filter((id) => vmw.sees({ type: 'offer', id }));
      expect(dellOnly.length).toBeGreaterThan(0);
      expect(vmwOnly.length).toBeGreaterThan(0);
      // Dell's sweep lapsed Dell's offers only, and counted only them.
      expect(dellSweep.body.lapsed).toBe(dellOnly.length);
      const after = await status();
      for (const id of vmwOnly) expect(after[id], `VMware's offer ${id}`).toBe('open');
      const vmwSweep = await vmw.call('POST', '/api/routing/sweep', {});
      expect(vmwSweep.body.lapsed).toBe(vmwOnly.length);
    });
  });
}
