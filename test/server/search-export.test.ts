import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { csvBatches } from '../../src/app/csv/read-csv.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Reply } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { addMembership } from '../support/memberships.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

type Client = ReturnType<typeof client>;
interface Hit {
  kind: string;
  id: string;
  label: string;
  detail: string | null;
}

/** Every string anywhere in a JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

/** A CSV text read back by the one reader: the header and the rows. */
async function readCsv(text: string): Promise<{ header: string[]; rows: string[][] }> {
  const rows: string[][] = [];
  for await (const batch of csvBatches([Buffer.from(text, 'utf8')])) rows.push(...batch.records);
  return { header: rows[0] ?? [], rows: rows.slice(1) };
}

/** Every page of a JSON list, following nextCursor. */
async function allPages(who: Client, url: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res: Reply = await who(
      'GET',
      `${url}${sep}limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status, res.text).toBe(200);
    items.push(...(res.body.items as Record<string, unknown>[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return items;
}

const cell = (v: unknown) =>
  v === null || v === undefined
    ? ''
    : typeof v === 'object'
      ? JSON.stringify(v)
      : String(v as string | number | boolean);

for (const kind of STORE_KINDS) {
  describe(`global search and CSV export on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let admin: Client;
    let cm: Client;
    let alpha: Client;
    let bravo: Client;
    let dist: Client;
    let victor: Client;
    let alphaDeal: string;
    let alphaStatement: string;
    let bravoStatement: string;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock: { now: () => new Date('2026-12-01T09:00:00Z') } });
      const { dell } = await loadFixture(ctx);
      for (const [id, partnerId] of [
        ['mbr_a', 'ptn_alpha'],
        ['mbr_b', 'ptn_bravo'],
      ] as const)
        await addMembership(t.store.db, dell, id, partnerId, 'gold', '2017-02-01', null);
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      cm = client(app, await signIn(app, 'cm.na@dell.test'));
      alpha = client(app, await signIn(app, 'admin@alpha.test'));
      bravo = client(app, await signIn(app, 'admin@bravo.test'));
      dist = client(app, await signIn(app, 'ops@delta.test'));
      victor = client(app, await signIn(app, 'admin@victor.test'));
      // A cell a spreadsheet would run, in a name the lists show.
      await t.store.db
        .updateTable('customers')
        .set({ name: '=HYPERLINK("http://evil.example","Globex")' })
        .where('id', '=', 'cus_globex')
        .execute();
      const deal = await alpha('POST', '/api/deals', {
        programId: 'dell-emc-partner-program',
        customer: { name: 'Zephyr Hotels Group', country: 'GB', segment: 'commercial', domain: null },
        currency: 'USD',
        lines: [{ family: 'storage', amountMinor: 4_000_000 }],
        expectedCloseDate: '2028-12-31',
        description: 'Storage refresh',
      });
      expect(deal.status, deal.text).toBe(201);
      alphaDeal = String((deal.body.deal as { id: string }).id);
      const closed = await viaJob(admin, 'POST', '/api/closes', {
        program: 'dell-emc-partner-program',
        period: 'FY18-Q1',
      });
      expect(closed.status, closed.text).toBe(200);
      const drafts = (await admin('GET', '/api/statements?period=FY18-Q1')).body.items as {
        id: string;
        partnerId: string;
      }[];
      alphaStatement = drafts.find((s) => s.partnerId === 'ptn_alpha')?.id ?? '';
      bravoStatement = drafts.find((s) => s.partnerId === 'ptn_bravo')?.id ?? '';
      expect(alphaStatement).not.toBe('');
      expect(bravoStatement).not.toBe('');
      for (const id of [alphaStatement, bravoStatement])
        expect((await admin('POST', `/api/statements/${id}/issue`, {})).status).toBe(200);
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    const search = async (who: Client, q: string): Promise<Hit[]> => {
      const res = await who('GET', `/api/search?q=${encodeURIComponent(q)}`);
      expect(res.status, res.text).toBe(200);
      return res.body.items as Hit[];
    };
    const ids = (hits: Hit[], k: string) => hits.filter((h) => h.kind === k).map((h) => h.id);

    it('finds partners, customers, products, programs, deals, statements and orders a vendor may see', async () => {
      expect(ids(await search(admin, 'alpha'), 'partner')).toEqual(['ptn_alpha']);
      expect(ids(await search(admin, 'ACME'), 'customer')).toEqual(['cus_acme']);
      expect(ids(await search(admin, 'poweredge'), 'product')).toEqual(['prd_srv']);
      expect(ids(await search(admin, 'R740'), 'product')).toEqual(['prd_srv']);
      expect((await search(admin, 'partner program')).filter((h) => h.kind === 'program')).toHaveLength(1);
      expect(ids(await search(admin, 'zephyr'), 'deal')).toEqual([alphaDeal]);
      expect(ids(await search(admin, 'ord_b1'), 'order')).toEqual(['ord_b1']);
      expect(ids(await search(admin, 'FY18-Q1'), 'statement').sort()).toEqual(
        [alphaStatement, bravoStatement].sort(),
      );
      const byPartner = await search(admin, 'Bravo IT');
      expect(ids(byPartner, 'statement')).toEqual([bravoStatement]);
      expect(byPartner.find((h) => h.kind === 'statement')?.label).toBe('Bravo IT Solutions · FY18-Q1');
      // Another vendor's records are not found, even by exact id or name.
      expect(await search(admin, 'ord_v1')).toEqual([]);
      expect(await search(admin, 'Victor Cloud')).toEqual([]);
      expect(ids(await search(admin, 'vSphere'), 'product')).toEqual([]);
    });

    it("a channel manager finds only its regions' records", async () => {
      // The NA channel manager: Bravo (NA) yes, Alpha (EMEA) no, nor Alpha's statement or order.
      expect(ids(await search(cm, 'bravo'), 'partner')).toEqual(['ptn_bravo']);
      expect(await search(cm, 'alpha systems')).toEqual([]);
      expect(ids(await search(cm, 'FY18-Q1'), 'statement')).toEqual([bravoStatement]);
      expect(await search(cm, 'ord_a1')).toEqual([]);
    });

    it("a partner never finds another partner's deal, order or statement, nor its name", async () => {
      // Alpha finds its own.
      expect(ids(await search(alpha, 'zephyr'), 'deal')).toEqual([alphaDeal]);
      expect(ids(await search(alpha, 'ord_a1'), 'order')).toEqual(['ord_a1']);
      expect(ids(await search(alpha, 'FY18-Q1'), 'statement')).toEqual([alphaStatement]);
      // Bravo finds none of Alpha's, by any text that names them.
      const leaks = [
        'Alpha Systems',
        'alpha',
        'zephyr',
        'ord_a1',
        alphaDeal,
        alphaStatement,
        'ord_v1',
        'Victor',
        'Acme',
      ];
      for (const q of leaks) {
        const hits = await search(bravo, q);
        const text = strings(hits).join('\n');
        expect(text, q).not.toMatch(/alpha|zephyr|ord_a1|ord_v1|victor/i);
        expect(ids(hits, 'statement'), q).not.toContain(alphaStatement);
      }
      expect(ids(await search(bravo, 'FY18-Q1'), 'statement')).toEqual([bravoStatement]);
      // The distributor finds the reseller it supplies (and its order), not the other reseller.
      expect(ids(await search(dist, 'bravo'), 'partner')).toEqual(['ptn_bravo']);
      expect(ids(await search(dist, 'ord_b1'), 'order')).toEqual(['ord_b1']);
      expect(await search(dist, 'alpha')).toEqual([]);
      // A partner of another vendor finds nothing of Dell's.
      expect(await search(victor, 'FY18-Q1')).toEqual([]);
      expect(ids(await search(victor, 'poweredge'), 'product')).toEqual([]);
    });

    it('names the customer, partners and products of orders, only as far as the caller may read them', async () => {
      const asAdmin = (await admin('GET', '/api/orders/ord_b1')).body;
      expect(asAdmin).toMatchObject({
        customerName: '=HYPERLINK("http://evil.example","Globex")',
        resellerName: 'Bravo IT Solutions',
        distributorName: 'Delta Distribution',
      });
      expect((asAdmin.lines as { productName: string }[])[0]?.productName).toBe('PowerEdge R740');
      // The reseller cannot read its distributor's record: the order names it by id only, as before.
      const asBravo = (await bravo('GET', '/api/orders')).body.items as Record<string, unknown>[];
      expect(asBravo).toHaveLength(1);
      expect(asBravo[0]).toMatchObject({ resellerName: 'Bravo IT Solutions', distributorName: null });
      // The distributor reads the reseller it supplies.
      const asDist = (await dist('GET', '/api/orders/ord_b1')).body;
      expect(asDist).toMatchObject({
        resellerName: 'Bravo IT Solutions',
        distributorName: 'Delta Distribution',
      });
    });

    it('refuses text too short, too long or blank, and anonymous callers', async () => {
      for (const q of ['', 'a', '   ', ' b ', 'x'.repeat(101)]) {
        const res = await admin('GET', `/api/search?q=${encodeURIComponent(q)}`);
        expect(res.status, q).toBe(400);
        expect(res.type).toContain('application/problem+json');
      }
      expect((await client(app, null)('GET', '/api/search?q=alpha')).status).toBe(401);
    });

    it('exports every list as CSV equal to its JSON pages under the same filters and sort', async () => {
      const lists = [
        { who: admin, url: '/api/orders?sort=total&direction=desc' },
        { who: admin, url: '/api/orders?channel=partner&from=2017-03-01' },
        { who: admin, url: '/api/customers?q=a' },
        { who: admin, url: '/api/partners' },
        { who: admin, url: '/api/products?family=servers' },
        { who: admin, url: '/api/statements?period=FY18-Q1' },
        { who: admin, url: '/api/deals' },
        { who: bravo, url: '/api/orders' },
        { who: bravo, url: '/api/statements' },
        { who: cm, url: '/api/partners' },
      ];
      // A list whose items carry a sentence and its message: the file has the sentence, not the message.
      const statement = (
        (await admin('GET', '/api/statements?period=FY18-Q1')).body.items as { id: string }[]
      )[0];
      expect(statement).toBeDefined();
      lists.push({ who: admin, url: `/api/statements/${statement?.id}/lines` });
      for (const { who, url } of lists) {
        const json = await allPages(who, url);
        const sep = url.includes('?') ? '&' : '?';
        const res = await who('GET', `${url}${sep}format=csv&limit=1`);
        expect(res.status, url).toBe(200);
        expect(res.type).toContain('text/csv');
        expect(String(res.headers['content-disposition'])).toMatch(/attachment; filename="[a-z-]+\.csv"/);
        const { header, rows } = await readCsv(res.text);
        expect(rows.length, url).toBe(json.length);
        rows.forEach((row, i) => {
          const item = json[i] as Record<string, unknown>;
          const expected = header.map((h) => cell(item[h]));
          // The reader reads back what was written; a neutralised cell carries its leading quote.
          expect(
            row.map((c, j) => (c.startsWith("'") && !expected[j]?.startsWith("'") ? c.slice(1) : c)),
            url,
          ).toEqual(expected);
        });
        for (const key of Object.keys(json[0] ?? {}))
          if (key.endsWith('Message')) expect(header, url).not.toContain(key);
          else expect(header, url).toContain(key);
      }
    });

    it('neutralises cells a spreadsheet would run as formulas', async () => {
      const res = await admin('GET', '/api/customers?format=csv&q=hyperlink');
      const { header, rows } = await readCsv(res.text);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.[header.indexOf('name')]).toBe('\'=HYPERLINK("http://evil.example","Globex")');
      expect(res.text).not.toMatch(/^=|,=/m);
    });

    it('refuses a bad filter on a CSV export as on the JSON list, and exports only what the caller sees', async () => {
      const bad = await admin('GET', '/api/orders?format=csv&from=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.type).toContain('application/problem+json');
      expect((await admin('GET', '/api/orders?format=xml')).status).toBe(400);
      const bravoOrders = await readCsv((await bravo('GET', '/api/orders?format=csv')).text);
      expect(bravoOrders.rows.map((r) => r[bravoOrders.header.indexOf('id')])).toEqual(['ord_b1']);
      expect((await client(app, null)('GET', '/api/orders?format=csv')).status).toBe(401);
    });
  });
}
