import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { publishDocument } from '../../src/app/programs/publish-document.js';
import { evaluateProgramTiers } from '../../src/app/tiers/evaluate-program.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import { withBulkLoader } from '../../src/db/bulk-loader.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture, ROOT } from '../support/fixtures.js';
import { client, signIn, type Session } from '../support/http.js';
import { awaitJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const T0 = new Date('2017-02-01T00:00:00.000Z');
const SYSTEM = { actor: { kind: 'system' as const, id: 'test' }, scope: SYSTEM_SCOPE };

/**
 * VMware Partner Connect FY23 for these tests: the shipped FY22 file as the next year's version, with a
 * SaaS payout multiplier (x2 on the base rebate) and a subscription bonus on cloud-infrastructure lines,
 * so rebate conditions read line.licensing and line.solution in real time and at the close.
 */
async function fy23Text(): Promise<string> {
  const fy22 = await readFile(join(ROOT, 'programs/vmware-partner-connect-fy22.yaml'), 'utf8');
  return fy22
    .replace('version: FY22', 'version: FY23')
    .replace('from: 2021-01-30\n  to: 2022-01-28', 'from: 2022-01-29\n  to: 2023-01-27')
    .replace(
      'components:\n',
      `components:
  - code: saas-accelerator
    name: SaaS rebate accelerator
    kind: payout-multiplier
    priority: 90
    settlement: accrual
    condition: { attribute: line.licensing, operator: eq, value: saas }
    factor: x2
    appliesTo: [base-rebate]
  - code: subscription-bonus
    name: Cloud infrastructure subscription bonus
    kind: mdf-accrual
    priority: 35
    settlement: accrual
    points: 1%
    families: [software]
    expiresAfter: P6M
    condition:
      all:
        - { attribute: line.licensing, operator: in, value: [subscription, term] }
        - { attribute: line.solution, operator: eq, value: cloud-infrastructure }
`,
    );
}

for (const kind of STORE_KINDS) {
  describe(`program credits as VMware counts them, on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let vmwareAdmin: ReturnType<typeof client>;
    let vmwareSession: Session;
    let dell: { vendorId: string; programId: string };
    let vmware: { vendorId: string; programId: string };
    const sku: Record<string, string> = {};

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell, vmware } = await loadFixture(ctx));
      app = await buildServer(ctx);
      vmwareSession = await signIn(app, 'admin@vmware.test');
      vmwareAdmin = client(app, vmwareSession);
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    const product = (body: Record<string, unknown>) =>
      vmwareAdmin('POST', '/api/products', {
        family: 'software',
        listPriceMinor: 1_000_000,
        currency: 'USD',
        ...body,
      });

    it('adds products with their licensing model and solution area, and validates them', async () => {
      for (const [code, licensing, solution] of [
        ['SUB', 'subscription', 'cloud-infrastructure'],
        ['SUBW', 'subscription', 'digital-workspace'],
        ['SAAS', 'saas', 'cloud-management'],
        ['PERP', 'perpetual', 'cloud-infrastructure'],
      ] as const) {
        const res = await product({ sku: `VM-${code}`, name: `VMware ${code}`, licensing, solution });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body).toMatchObject({ sku: `VM-${code}`, licensing, solution, vendorId: vmware.vendorId });
        sku[code] = res.body.id as string;
      }
      // The list and the detail show them, and the list filters on them.
      const list = await vmwareAdmin('GET', '/api/products?licensing=saas');
      expect(list.status).toBe(200);
      expect((list.body.items as { sku: string }[]).map((p) => p.sku)).toEqual(['VM-SAAS']);
      const one = await vmwareAdmin('GET', `/api/products/${sku.SUB}`);
      expect(one.body).toMatchObject({ licensing: 'subscription', solution: 'cloud-infrastructure' });
      // The same content again is a replay; other content under the SKU a conflict naming the field.
      const again = await product({
        sku: 'VM-SAAS',
        name: 'VMware SAAS',
        licensing: 'saas',
        solution: 'cloud-management',
      });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(sku.SAAS);
      const other = await product({ sku: 'VM-SAAS', name: 'VMware SAAS', licensing: 'term' });
      expect(other.status).toBe(409);
      expect((other.body.errors as { location: string }[]).map((e) => e.location)).toEqual([
        '/licensing',
        '/solution',
      ]);
    });

    it('refuses bad attributes with where, writing nothing', async () => {
      const hardware = await product({
        sku: 'VM-HW',
        name: 'Appliance',
        family: 'servers',
        licensing: 'saas',
      });
      expect(hardware.status).toBe(400);
      expect(hardware.body.errors).toEqual([
        {
          location: '/licensing',
          message: expect.stringContaining('a servers product carries no licensing'),
        },
      ]);
      const badModel = await product({ sku: 'VM-X', name: 'X', licensing: 'lease' });
      expect(badModel.status).toBe(400);
      expect(JSON.stringify(badModel.body.errors)).toContain('licensing');
      const badSolution = await product({ sku: 'VM-Y', name: 'Y', solution: 'Cloud Infra' });
      expect(badSolution.status).toBe(400);
      const currency = await product({ sku: 'VM-Z', name: 'Z', currency: 'EUR' });
      expect(currency.status).toBe(400);
      expect((currency.body.errors as { location: string }[])[0]?.location).toBe('/currency');
      const partner = client(app, await signIn(app, 'admin@alpha.test'));
      expect(
        (
          await partner('POST', '/api/products', {
            sku: 'P',
            name: 'P',
            family: 'software',
            listPriceMinor: 1,
            currency: 'USD',
          })
        ).status,
      ).toBe(403);
      const stored = await t.store.db
        .selectFrom('products')
        .select('sku')
        .where('sku', 'in', ['VM-HW', 'VM-X', 'VM-Y', 'VM-Z', 'P'])
        .execute();
      expect(stored).toEqual([]);
      const audit = await t.store.db
        .selectFrom('auditEvents')
        .select('targetId')
        .where('action', '=', 'product.create')
        .execute();
      expect(audit).toHaveLength(4);
    });

    it('credits a subscription line x1.5, a SaaS line x2 and a perpetual line x1 toward VMware tiers', async () => {
      const res = await vmwareAdmin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'VM-CREDITS-1',
        orderDate: '2021-06-01',
        currency: 'USD',
        customerId: 'cus_vacme',
        channel: 'partner',
        resellerId: 'ptn_vmonly',
        lines: [
          { productId: sku.SUB, quantity: 1, unitPriceMinor: 1_000_000 },
          { productId: sku.SAAS, quantity: 1, unitPriceMinor: 1_000_000 },
          { productId: sku.PERP, quantity: 1, unitPriceMinor: 1_000_000 },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const progress = await vmwareAdmin(
        'GET',
        '/api/partners/ptn_vmonly/progress?program=vmware-partner-connect&asOf=2022-01-28',
      );
      expect(progress.status, JSON.stringify(progress.body)).toBe(200);
      const measures = (progress.body.evaluation as { measures: Record<string, unknown> }).measures;
      // USD 10,000 each: 15,000 + 20,000 + 10,000 credits (one credit per dollar).
      expect(measures.rawRevenueMinor).toBe(3_000_000);
      expect(measures.credits).toBe(45_000);
      expect(measures.multipliers).toEqual(['subscription', 'saas']);
      // The explanation names each multiplier, its factor and what it applied to; perpetual has none.
      expect(measures.multiplierDetails).toEqual([
        {
          code: 'subscription',
          name: 'Subscription and term licences',
          factor: 1_500_000,
          scope: ['credits'],
          baseMinor: 1_000_000,
        },
        {
          code: 'saas',
          name: 'Software as a service',
          factor: 2_000_000,
          scope: ['credits'],
          baseMinor: 1_000_000,
        },
      ]);

      // The evaluation records the same measures with the membership it opens.
      await evaluateProgramTiers(ctx, SYSTEM, { program: 'vmware-partner-connect', asOf: '2022-01-28' });
      const m = await t.store.db
        .selectFrom('memberships')
        .select('detail')
        .where('partnerId', '=', 'ptn_vmonly')
        .where('programId', '=', vmware.programId)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(m.detail).measures).toMatchObject({
        credits: 45_000,
        multipliers: ['subscription', 'saas'],
      });
    });

    it('applies rebate conditions and payout multipliers on licensing and solution, in real time and at the close', async () => {
      const published = await publishDocument(
        t.store.db,
        { clock: fixedClock(T0), ids: ctx.ids },
        await fy23Text(),
        'fy23.yaml',
      );
      expect(published.status).toBe('published');
      const res = await vmwareAdmin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'VM-REBATES-1',
        orderDate: '2022-03-01',
        currency: 'USD',
        customerId: 'cus_vacme',
        channel: 'partner',
        resellerId: 'ptn_vmonly',
        lines: [
          { productId: sku.SUB, quantity: 1, unitPriceMinor: 1_000_000 },
          { productId: sku.SUBW, quantity: 1, unitPriceMinor: 1_000_000 },
          { productId: sku.SAAS, quantity: 1, unitPriceMinor: 1_000_000 },
          { productId: sku.PERP, quantity: 1, unitPriceMinor: 1_000_000 },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const lineIds = (res.body.lines as { id: string }[]).map((l) => l.id);
      const credited = async () => {
        const rows = await t.store.db
          .selectFrom('ledgerLegs')
          .select(['lineId', 'component', 'account', 'amountMinor', 'multiplier', 'explanation'])
          .where('account', 'in', ['partner:rebate-payable', 'partner:mdf-fund'])
          .where('lineId', 'in', lineIds)
          .execute();
        // Earned MDF (the subscription bonus is an mdf-accrual) goes to the partner's MDF fund, never to
        // the payable a statement pays.
        for (const r of rows)
          expect(r.account, r.component).toBe(
            r.component === 'subscription-bonus' ? 'partner:mdf-fund' : 'partner:rebate-payable',
          );
        return lineIds.map((id) => {
          const out: Record<string, number> = {};
          for (const r of rows.filter((e) => e.lineId === id))
            out[r.component] = (out[r.component] ?? 0) - Number(r.amountMinor);
          return out;
        });
      };
      // Registered tier: base 0.5% of USD 10,000 = USD 50; SaaS x2 = USD 100; the cloud-infrastructure
      // subscription earns the 1% bonus, the digital-workspace subscription and the perpetual line none.
      const expected = [
        { 'base-rebate': 5_000, 'subscription-bonus': 10_000 },
        { 'base-rebate': 5_000 },
        { 'base-rebate': 10_000 },
        { 'base-rebate': 5_000 },
      ];
      expect(await credited()).toEqual(expected);
      // The order's ledger says why, line by line.
      const ledger = await vmwareAdmin('GET', `/api/orders/${res.body.id as string}/ledger`);
      expect(ledger.status).toBe(200);
      const saas = (
        ledger.body.items as { lineId: string; account: string; multiplier: number; explanation: string }[]
      ).find((e) => e.lineId === lineIds[2] && e.account === 'partner:rebate-payable');
      expect(saas?.multiplier).toBe(2_000_000);
      expect(saas?.explanation).toContain('x2 (saas-accelerator)');

      // A CSV import of the same order accrues exactly what posting it did (the product facts ride along).
      const header =
        'source,external_id,order_date,currency,customer_id,end_user_name,channel,reseller_id,distributor_id,product_id,quantity,unit_price,returns_line_id,returns_external_id,returns_line_no\n';
      const csv =
        header +
        [sku.SUB, sku.SUBW, sku.SAAS, sku.PERP]
          .map((id) => `erp,VM-REBATES-CSV,2022-03-01,USD,cus_vacme,,partner,ptn_vmonly,,${id},1,10000.00,,,`)
          .join('\n') +
        '\n';
      const auth = { cookie: vmwareSession.cookie, 'x-csrf-token': vmwareSession.csrf };
      const started = await app.inject({
        method: 'POST',
        url: '/api/imports/orders',
        headers: { ...auth, 'content-type': 'text/csv' },
        payload: csv,
      });
      expect(started.statusCode, started.body).toBe(202);
      const done = await awaitJob(async (method, url) => {
        const r = await app.inject({ method, url, headers: auth });
        return { status: r.statusCode, type: '', headers: r.headers, body: r.json(), text: r.body };
      }, String(started.headers.location));
      expect(done.body.status, done.text).toBe('succeeded');
      const imported = await t.store.db
        .selectFrom('orderLines as l')
        .innerJoin('orders as o', 'o.id', 'l.orderId')
        .select('l.id')
        .where('o.externalId', '=', 'VM-REBATES-CSV')
        .orderBy('l.lineNo')
        .execute();
      const importedCredits = await t.store.db
        .selectFrom('ledgerLegs')
        .select(['lineId', 'component', 'amountMinor'])
        .where('account', 'in', ['partner:rebate-payable', 'partner:mdf-fund'])
        .where(
          'lineId',
          'in',
          imported.map((l) => l.id),
        )
        .execute();
      expect(
        imported.map((l) =>
          Object.fromEntries(
            importedCredits
              .filter((e) => e.lineId === l.id)
              .map((e) => [e.component, -Number(e.amountMinor)]),
          ),
        ),
      ).toEqual(expected);

      // The close recomputes the period with the same product facts: nothing to true up on these lines.
      const closed = await closePeriod(ctx, SYSTEM, { program: 'vmware-partner-connect', period: 'FY23-Q1' });
      expect(closed.reconciled).toBe(true);
      expect(await credited()).toEqual(expected);
      // The close's statement pays the rebates only: earned MDF stays in the fund, spent through claims.
      const lines = await t.store.db
        .selectFrom('statementLines')
        .select(['component', 'amountMinor'])
        .where('orderLineId', 'in', lineIds)
        .execute();
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.map((l) => l.component)).not.toContain('subscription-bonus');
    });

    it('credits a VMware purchase through the Dell distributor at the agreement share, and none without one', async () => {
      await withBulkLoader(ctx.store, async (loader) => {
        const agreement = await readFile(join(ROOT, 'programs/agreements/dell-vmware-2021.yaml'), 'utf8');
        await publishDocument(
          loader.db,
          { clock: fixedClock(T0), ids: ctx.ids },
          agreement,
          'agreement.yaml',
        );
        await loader.partners([
          {
            id: 'ptn_delltech',
            name: 'Dell Technologies (VMware distribution)',
            kind: 'distributor',
            country: 'US',
            region: 'na',
            domain: null,
            createdAt: T0,
            representsVendorId: dell.vendorId,
          },
          {
            id: 'ptn_reseller',
            name: 'Romeo Resellers',
            kind: 'reseller',
            country: 'FR',
            region: 'emea',
            domain: null,
            createdAt: T0,
          },
        ]);
        await loader.enrolments(
          ['ptn_delltech', 'ptn_reseller'].map((partnerId, i) => ({
            id: `enr_x${i}`,
            vendorId: vmware.vendorId,
            programId: vmware.programId,
            partnerId,
            partnerNumber: `VX-${i}`,
            status: 'active' as const,
            exclusive: false,
            enrolledAt: T0,
          })),
        );
        await loader.supplyRelationships([
          { vendorId: vmware.vendorId, distributorId: 'ptn_delltech', resellerId: 'ptn_reseller', since: T0 },
        ]);
      });
      const viaDell = (externalId: string, orderDate: string, productId: string) =>
        vmwareAdmin('POST', '/api/orders', {
          source: 'pos:ptn_delltech',
          externalId,
          orderDate,
          currency: 'USD',
          customerId: 'cus_vacme',
          channel: 'distributor',
          resellerId: 'ptn_reseller',
          distributorId: 'ptn_delltech',
          lines: [{ productId, quantity: 1, unitPriceMinor: 1_000_000 }],
        });
      // In force from 1 November 2021: full credit (x1.5 for the subscription). Before it: none.
      expect((await viaDell('DELL-1', '2021-12-01', sku.SUB!)).status).toBe(201);
      expect((await viaDell('DELL-0', '2021-06-01', sku.PERP!)).status).toBe(201);
      const progress = await vmwareAdmin(
        'GET',
        '/api/partners/ptn_reseller/progress?program=vmware-partner-connect&asOf=2022-01-28',
      );
      expect(progress.status, JSON.stringify(progress.body)).toBe(200);
      expect((progress.body.evaluation as { measures: unknown }).measures).toMatchObject({
        rawRevenueMinor: 1_000_000,
        credits: 15_000,
        multipliers: ['subscription'],
      });
      const cross = progress.body.crossCredit as {
        agreement: { code: string } | null;
        share: number;
        amountMinor: number;
        creditedMinor: number;
        sentence: string;
      }[];
      expect(cross.map((c) => [c.agreement?.code ?? null, c.share, c.amountMinor, c.creditedMinor])).toEqual(
        expect.arrayContaining([
          ['dell-vmware-commercial-framework-2021', 1_000_000, 1_000_000, 1_000_000],
          [null, 0, 1_000_000, 0],
        ]),
      );
      expect(cross.find((c) => c.agreement === null)?.sentence).toContain('earns no qualifying credit');
      expect(cross.find((c) => c.agreement !== null)?.sentence).toContain(
        'counts at 100% under Dell-VMware Commercial Framework Agreement',
      );
      // The partner sees the same about itself.
      const reseller = await vmwareAdmin('GET', '/api/partners/ptn_delltech');
      expect(reseller.body.representsVendorId).toBe(dell.vendorId);
    });
  });
}
