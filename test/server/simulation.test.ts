import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { historyCacheOf } from '../../src/app/simulation/history-cache.js';
import { simulate as simulateHere, type SimulationResult } from '../../src/app/simulation/simulate.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { awaitJob, viaJob } from '../support/jobs.js';
import { addMembership } from '../support/memberships.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FY18 = { from: '2017-02-01', to: '2017-07-31' }; // Q1 and Q2

for (const kind of STORE_KINDS) {
  describe(`simulation of draft programs on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof client>;
    let vmware: ReturnType<typeof client>;
    let partner: ReturnType<typeof client>;
    let shipped: string;
    let vmwareFile: string;
    const closeTotals: Record<string, number> = {};

    const simulate = (body: Record<string, unknown>, who = admin) =>
      viaJob(who, 'POST', '/api/simulations', { ...FY18, draft: shipped, ...body });
    const counts = async () => {
      const n = async (table: 'ledgerTransactions' | 'memberships' | 'statements' | 'ledgerEntries') =>
        Number(
          (
            await t.store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        transactions: await n('ledgerTransactions'),
        entries: await n('ledgerEntries'),
        memberships: await n('memberships'),
        statements: await n('statements'),
      };
    };

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell } = await loadFixture(ctx));
      shipped = await readFile(join(ROOT, 'programs', 'dell-emc-fy18.yaml'), 'utf8');
      vmwareFile = await readFile(join(ROOT, 'programs', 'vmware-partner-connect-fy22.yaml'), 'utf8');
      await addMembership(t.store.db, dell, 'mbr_bravo_ti', 'ptn_bravo', 'titanium', '2017-02-01', null);
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      vmware = client(app, await signIn(app, 'admin@vmware.test'));
      partner = client(app, await signIn(app, 'admin@alpha.test'));
      for (const [externalId, orderDate, resellerId, productId, unit] of [
        ['SIM-1', '2017-03-01', 'ptn_bravo', 'prd_stor', 1_000_000],
        ['SIM-2', '2017-06-01', 'ptn_bravo', 'prd_stor', 2_000_000],
        ['SIM-3', '2017-06-02', 'ptn_bravo', 'prd_srv', 700_000],
        ['SIM-4', '2017-06-03', 'ptn_alpha', 'prd_stor', 300_000],
      ] as const) {
        const res = await admin('POST', '/api/orders', {
          source: 'erp',
          externalId,
          currency: 'USD',
          channel: 'partner',
          orderDate,
          customerId: 'cus_globex',
          resellerId,
          lines: [{ productId, quantity: 1, unitPriceMinor: unit }],
        });
        expect(res.status, res.text).toBe(201);
      }
      for (const period of ['FY18-Q1', 'FY18-Q2']) {
        const res = await viaJob(admin, 'POST', '/api/closes', {
          program: 'dell-emc-partner-program',
          period,
        });
        expect(res.status, res.text).toBe(200);
        closeTotals[period] = Number(res.body.totalMinor);
      }
    });
    afterAll(async () => {
      await app?.close();
      await t?.cleanup();
    });

    it('golden: the shipped program simulated as its own draft equals its closed periods to the cent', async () => {
      const before = await counts();
      const res = await simulate({ name: 'as shipped' });
      expect(res.status, res.text).toBe(200);
      const r = res.body as unknown as SimulationResult & { id: string };
      expect(r.baselineEqualsLedger).toBe(true);
      expect(r.ledgerMismatches).toEqual([]);
      expect(r.periods.map((p) => [p.code, p.closed])).toEqual([
        ['FY18-Q1', true],
        ['FY18-Q2', true],
      ]);
      const c = r.comparison;
      expect(c.totals.differenceMinor).toBe(0);
      expect(c.totals.baselineMinor).toBeGreaterThan(0);
      for (const p of c.periods) expect(p.baselineMinor).toBe(closeTotals[p.period]);
      expect(c.partners.every((p) => p.differenceMinor === 0)).toBe(true);
      expect(r.tierChanges).toBeNull();
      // Deterministic, and writes nothing to the ledger, memberships or statements.
      const again = await simulate({ name: 'as shipped, again' });
      const { id: _a, ...first } = r;
      const { id: _b, ...second } = again.body as unknown as SimulationResult & { id: string };
      expect(second).toEqual(first);
      expect(await counts()).toEqual(before);
      // Each run is audited, under its simulation's id.
      const audited = await t.store.db
        .selectFrom('auditEvents')
        .select(['targetId', 'vendorId'])
        .where('action', '=', 'simulation.start')
        .where('targetId', 'in', [r.id, String((again.body as { id: string }).id)])
        .execute();
      expect(audited).toHaveLength(2);
      expect(audited.every((a) => a.vendorId === dell.vendorId)).toBe(true);
    });

    it('raising Titanium storage by one point changes exactly the Titanium storage lines by one point', async () => {
      const draft = shipped.replace(
        'titanium: { storage: 4%, servers: 3%',
        'titanium: { storage: 5%, servers: 3%',
      );
      expect(draft).not.toBe(shipped);
      const res = await simulate({ draft, name: 'titanium storage 5%' });
      expect(res.status, res.text).toBe(200);
      const c = (res.body as unknown as SimulationResult).comparison;
      // Bravo (Titanium, not exclusive) sold 10 000.00 + 20 000.00 of storage: one point is 300.00.
      const bravo = c.partners.find((p) => p.partnerId === 'ptn_bravo');
      expect(bravo?.components['base-rebate']?.differenceMinor).toBe(30_000);
      expect(bravo?.differenceMinor).toBe(30_000);
      for (const p of c.partners) if (p.partnerId !== 'ptn_bravo') expect(p.differenceMinor).toBe(0);
      expect(c.components.filter((x) => x.differenceMinor !== 0).map((x) => x.component)).toEqual([
        'base-rebate',
      ]);
      expect(c.totals).toMatchObject({ differenceMinor: 30_000, winners: 1, losers: 0 });
      expect(c.periods.map((p) => p.differenceMinor)).toEqual([10_000, 20_000]);
      const pool = c.pools.find((p) => p.pool === 'fy18-partner-investment');
      expect(pool?.differenceMinor).toBe(30_000);
      expect(pool?.draftRunsOutIn).toBeNull();
    });

    it('lowering a threshold moves exactly the partners between the old and the new one', async () => {
      // North America's Gold, path 1: USD 5M of revenue, USD 600K of services, a company certification.
      // Bravo (North America) sold USD 61K over the window; Alpha (emea-1) is under other thresholds.
      const gold = (revenue: string) =>
        shipped.replace(
          /(- zones: \[north-america\] # demo\n\s+paths:\n\s+- name: Path 1\n\s+)revenue: USD 5M\n(\s+)servicesRevenue: USD 600K\n(\s+)companyCertifications: 1/,
          `$1revenue: ${revenue}\n$2servicesRevenue: USD 0\n$3companyCertifications: 0`,
        );
      expect(gold('USD 50K')).not.toBe(shipped);
      const below = await simulate({ draft: gold('USD 50K'), name: 'gold at 50K' });
      expect(below.status, below.text).toBe(200);
      expect((below.body as unknown as SimulationResult).tierChanges).toMatchObject({
        up: 1,
        down: 0,
        changes: [{ partnerId: 'ptn_bravo', from: 'authorized', to: 'gold', direction: 'up' }],
      });
      const above = await simulate({ draft: gold('USD 70K'), name: 'gold at 70K' });
      expect(above.status, above.text).toBe(200);
      expect((above.body as unknown as SimulationResult).tierChanges).toMatchObject({
        up: 0,
        down: 0,
        changes: [],
      });
    });

    it('lists, gets, compares and exports stored simulations', async () => {
      const list = await admin('GET', '/api/simulations?limit=50');
      expect(list.status, list.text).toBe(200);
      const items = list.body.items as { id: string; name: string; status: string }[];
      const shippedSim = items.find((i) => i.name === 'as shipped');
      const raised = items.find((i) => i.name === 'titanium storage 5%');
      expect(shippedSim?.status).toBe('succeeded');
      expect(raised?.status).toBe('succeeded');
      const one = await admin('GET', `/api/simulations/${raised?.id}?change=winners`);
      expect(one.status, one.text).toBe(200);
      expect(one.body.draftText).toContain('storage: 5%');
      expect((one.body.result as SimulationResult).comparison.partners.map((p) => p.partnerId)).toEqual([
        'ptn_bravo',
      ]);
      const cmp = await admin('GET', `/api/simulations/compare?ids=${shippedSim?.id},${raised?.id}`);
      expect(cmp.status, cmp.text).toBe(200);
      const sims = cmp.body.simulations as { totals: { draftMinor: number } }[];
      expect((sims[1]?.totals.draftMinor ?? 0) - (sims[0]?.totals.draftMinor ?? 0)).toBe(30_000);
      const csv = await admin('GET', `/api/simulations/${raised?.id}/partners.csv`);
      expect(csv.status).toBe(200);
      expect(String(csv.headers['content-type'])).toContain('text/csv');
      // (no cell of this export needs quotes)
      const rows = csv.text
        .trimEnd()
        .split('\n')
        .map((l) => l.split(','));
      expect(rows[0]?.slice(0, 8)).toEqual([
        'partner_id',
        'tier',
        'zone',
        'region',
        'kind',
        'baseline',
        'draft',
        'difference',
      ]);
      expect(rows.find((r) => r[0] === 'ptn_bravo')?.[7]).toBe('300.00');
      // Another vendor sees none of them.
      const other = await vmware('GET', `/api/simulations/${raised?.id}`);
      expect(other.status).toBe(404);
      const otherList = await vmware('GET', '/api/simulations');
      expect(otherList.body.items).toEqual([]);
    });

    it('isolation: a vendor simulates only its own programs over its own history', async () => {
      // VMware's admin with Dell's draft, or with Dell's program as the baseline: refused.
      const dellDraft = await vmware('POST', '/api/simulations', { ...FY18, draft: shipped });
      expect(dellDraft.status, dellDraft.text).toBe(403);
      const dellBaseline = await vmware('POST', '/api/simulations', {
        from: '2021-02-01',
        to: '2021-12-31',
        draft: vmwareFile,
        baseline: { program: 'dell-emc-partner-program' },
      });
      expect(dellBaseline.status, dellBaseline.text).toBe(403);
      expect(dellBaseline.headers['content-type']).toContain('application/problem+json');
      // A partner cannot simulate at all.
      const byPartner = await partner('POST', '/api/simulations', { ...FY18, draft: shipped });
      expect(byPartner.status).toBe(403);
      // VMware's own simulation reads only VMware's history (its one order line).
      const own = await viaJob(vmware, 'POST', '/api/simulations', {
        from: '2021-02-01',
        to: '2021-12-31',
        draft: vmwareFile,
      });
      expect(own.status, own.text).toBe(200);
      const r = own.body as unknown as SimulationResult;
      expect(r.lines).toBe(1);
      expect(r.comparison.partners.map((p) => p.partnerId)).toEqual(['ptn_alpha']);
    });

    it('bad input: invalid draft, empty range, unknown baseline', async () => {
      const invalid = await admin('POST', '/api/simulations', {
        ...FY18,
        draft: shipped.replace('periods: quarter', 'periods: fortnight'),
        file: 'draft.yaml',
      });
      expect(invalid.status, invalid.text).toBe(400);
      expect(invalid.headers['content-type']).toContain('application/problem+json');
      const errors = invalid.body.errors as { location: string; message: string }[];
      expect(errors[0]?.location).toMatch(/^draft\.yaml:\d+:\d+$/);
      const empty = await admin('POST', '/api/simulations', {
        from: '2017-11-05',
        to: '2018-01-31',
        draft: shipped,
      });
      expect(empty.status, empty.text).toBe(400);
      expect(String(empty.body.detail)).toContain('no order lines');
      const unknown = await admin('POST', '/api/simulations', {
        ...FY18,
        draft: shipped,
        baseline: { program: 'no-such-program' },
      });
      expect(unknown.status, unknown.text).toBe(404);
      const backwards = await admin('POST', '/api/simulations', {
        from: '2017-08-01',
        to: '2017-02-01',
        draft: shipped,
      });
      expect(backwards.status).toBe(400);
      const tooFew = await admin('GET', '/api/simulations/compare?ids=sim_x');
      expect(tooFew.status).toBe(400);
    });

    it('a job follows the simulation to its stored result', async () => {
      const started = await admin('POST', '/api/simulations', { ...FY18, draft: shipped, name: 'followed' });
      expect(started.status, started.text).toBe(202);
      const id = String(started.body.simulationId);
      await awaitJob(admin, String(started.headers.location));
      const stored = await admin('GET', `/api/simulations/${id}`);
      expect(stored.body.status).toBe('succeeded');
      expect(stored.body.jobId).toBe(started.body.id);
      expect(stored.body.engineVersion).toBeTruthy();
    });

    it("a draft's returns of the period's sales claw back what the sale earns under the draft", async () => {
      // SIM-2 (Bravo, Titanium, 20,000.00 of storage on 2017-06-01) returned in full in the same quarter.
      const sale = await t.store.db
        .selectFrom('orderLines as l')
        .innerJoin('orders as o', 'o.id', 'l.orderId')
        .select('l.id')
        .where('o.externalId', '=', 'SIM-2')
        .executeTakeFirstOrThrow();
      const returned = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'SIM-5',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-06-20',
        customerId: 'cus_globex',
        resellerId: 'ptn_bravo',
        lines: [{ productId: 'prd_stor', quantity: -1, unitPriceMinor: 2_000_000, returnsLineId: sale.id }],
      });
      expect(returned.status, returned.text).toBe(201);
      const draft = shipped.replace(
        'titanium: { storage: 4%, servers: 3%',
        'titanium: { storage: 5%, servers: 3%',
      );
      const res = await simulate({ draft, name: 'titanium storage 5%, one sale returned' });
      expect(res.status, res.text).toBe(200);
      const c = (res.body as unknown as SimulationResult).comparison;
      // The returned sale earns 5% under the draft and its return claws back those 5% (not the 4% the
      // baseline paid): only the 10,000.00 kept gain the point, 100.00.
      const bravo = c.partners.find((p) => p.partnerId === 'ptn_bravo');
      expect(bravo?.components['base-rebate']?.differenceMinor).toBe(10_000);
      expect(c.totals.differenceMinor).toBe(10_000);
    });

    it('keeps the history between runs, and reads it again when anything it comes from changed', async () => {
      // In this thread, as the CLI runs it (a job runs on the job thread, which keeps its own).
      const cache = historyCacheOf(t.store);
      const who = {
        actor: { kind: 'system' as const, id: 'test' },
        scope: { kind: 'vendor' as const, vendorId: dell.vendorId, regions: [] },
      };
      const run = async (name: string) => {
        const { id: _id, ...result } = await simulateHere(ctx, who, { ...FY18, draftText: shipped, name });
        return result;
      };
      const first = await run('kept 1');
      const { hits, misses } = cache.stats;
      // Warm: the same history (recording a simulation changes nothing it comes from).
      expect(await run('kept 2')).toEqual(first);
      expect(cache.stats).toEqual({ hits: hits + 1, misses });
      // A new order in the range: read again, and the result changes.
      const added = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'SIM-6',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-06-21',
        customerId: 'cus_globex',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 500_000 }],
      });
      expect(added.status, added.text).toBe(201);
      const changed = await run('kept 3');
      expect(cache.stats.misses).toBe(misses + 1);
      expect(changed.lines).toBe(first.lines + 1);
      expect(changed.comparison.totals.baselineMinor).toBeGreaterThan(first.comparison.totals.baselineMinor);
      // A change in place (a tier membership's end): read again, and the result changes.
      await t.store.db
        .updateTable('memberships')
        .set({ validTo: '2017-02-28' })
        .where('id', '=', 'mbr_bravo_ti')
        .execute();
      const retiered = await run('kept 4');
      expect(cache.stats.misses).toBe(misses + 2);
      expect(retiered.comparison.totals.baselineMinor).not.toBe(changed.comparison.totals.baselineMinor);
      expect(await run('kept 5')).toEqual(retiered);
      expect(cache.stats.hits).toBe(hits + 2);
    });
  });
}
