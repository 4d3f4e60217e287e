import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRateFile, loadRates } from '../../src/app/currencies/rates.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { publishDocument } from '../../src/app/programs/publish-document.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture, ROOT } from '../support/fixtures.js';
import { client, signIn, type Session } from '../support/http.js';
import { awaitJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/**
 * Exchange rates on every surface of the API (issue 17, item 1): a rate file imported all or nothing,
 * every bad row named; re-importing changes nothing; a differing rate refused unless replaced (audited with
 * before and after); lists and conversions see the caller's vendor's rates only; partners are refused.
 */

/**
 * Uploads a rate file and waits for its job, answering as the import does: a refusal before the job as
 * it is, then 200 with the job's result or the job's problem (its status and body).
 */
function upload(app: Server, who: Session) {
  const get = client(app, who);
  return async (query: string, csv: string) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/imports/rates${query}`,
      headers: { 'content-type': 'text/csv', cookie: who.cookie, 'x-csrf-token': who.csrf },
      payload: csv,
    });
    if (res.statusCode !== 202)
      return { status: res.statusCode, body: res.json() as Record<string, unknown>, text: res.body };
    const started = res.json() as { id: string };
    expect(res.headers.location).toBe(`/api/jobs/${started.id}`);
    expect(started).toMatchObject({ kind: 'import-rates' });
    const done = await awaitJob(get, String(res.headers.location));
    const job = done.body;
    expect(JSON.stringify(job.input)).not.toContain('trellis-import-');
    if (job.status === 'succeeded')
      return { status: 200, body: job.result as Record<string, unknown>, text: JSON.stringify(job.result) };
    const error = job.error as Record<string, unknown>;
    return { status: Number(error.status), body: error, text: JSON.stringify(error) };
  };
}

const LONG = [
  'base,quote,day,rate',
  'EUR,USD,2026-03-02,1.0712',
  'EUR,GBP,2026-03-02,0.8563',
  'EUR,USD,2026-03-03,1.0698',
  'EUR,GBP,2026-03-03,0.8571',
  'EUR,JPY,2026-03-03,161.25',
].join('\n');

for (const kind of STORE_KINDS) {
  describe(`exchange rates through the API on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let admin: ReturnType<typeof client>;
    let adminUpload: ReturnType<typeof upload>;
    let vmware: ReturnType<typeof client>;
    let auditor: ReturnType<typeof client>;
    let partner: ReturnType<typeof client>;
    let dellId = '';

    const count = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('exchangeRates')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const audits = async (action: string) =>
      t.store.db
        .selectFrom('auditEvents')
        .select(['action', 'detail', 'vendorId', 'targetId'])
        .where('action', '=', action)
        .orderBy('at')
        .execute();

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      const { dell } = await loadFixture(ctx);
      dellId = dell.vendorId;
      // A program whose exchange section bridges a missing day with the last rate of the 3 days before.
      const text = (await readFile(join(ROOT, 'programs/dell-emc-fy18.yaml'), 'utf8'))
        .replace('code: dell-emc-partner-program', 'code: dell-fx-program')
        .replace(/^exchange:\n(?:[ #].*\n|\n)*/m, '')
        .concat('\nexchange:\n  missingRate:\n    lastKnownWithinDays: 3\n');
      const out = await publishDocument(
        t.store.db,
        { clock: fixedClock(new Date('2017-01-15T00:00:00Z')), ids: ctx.ids },
        text,
        'dell-fx.yaml',
      );
      expect(out.kind).toBe('program');
      app = await buildServer(ctx);
      const adminSession = await signIn(app, 'admin@dell.test');
      admin = client(app, adminSession);
      adminUpload = upload(app, adminSession);
      vmware = client(app, await signIn(app, 'admin@vmware.test'));
      auditor = client(app, await signIn(app, 'auditor@dell.test'));
      partner = client(app, await signIn(app, 'admin@alpha.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('imports a file with counts; importing it again changes nothing and audits nothing', async () => {
      const first = await adminUpload('?name=rates-march.csv', LONG);
      expect(first.status, first.text).toBe(200);
      expect(first.body).toMatchObject({
        source: 'rates-march.csv',
        rates: 5,
        added: 5,
        unchanged: 0,
        replaced: 0,
        shape: 'long',
      });
      expect(await count()).toBe(5);
      const events = await audits('exchange-rate.import');
      expect(events).toHaveLength(1);
      expect(events[0]!.vendorId).toBe(dellId);
      expect(JSON.parse(events[0]!.detail)).toMatchObject({
        source: 'rates-march.csv',
        added: 5,
        unchanged: 0,
        replaced: 0,
      });
      const again = await adminUpload('?name=rates-march.csv', LONG);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ added: 0, unchanged: 5, replaced: 0 });
      expect(await count()).toBe(5);
      expect(await audits('exchange-rate.import')).toHaveLength(1);
      // The same rate written another way ("1.07120") is the same rate.
      const same = await admin('POST', '/api/rates', {
        rates: [{ base: 'eur', quote: 'usd', day: '2026-03-02', rate: '1.07120' }],
      });
      expect(same.status, same.text).toBe(200);
      expect(same.body).toMatchObject({ added: 0, unchanged: 1, source: 'api' });
    });

    it('refuses a file with any bad row, naming each line and column, and writes nothing', async () => {
      const before = await count();
      const cases: [string, string, RegExp][] = [
        ['EUR,USD,2026-04-01,0', 'line 2, column rate', /greater than zero/],
        ['EUR,USD,2026-04-01,-1.2', 'line 2, column rate', /not a rate/],
        ['EUR,XXX,2026-04-01,1.1', 'line 2, column quote', /unknown currency "XXX"/],
        ['EUR,USD,2026-02-30,1.1', 'line 2, column day', /not a date/],
        ['EUR,USD,04/01/2026,1.1', 'line 2, column day', /not a date/],
      ];
      for (const [row, location, message] of cases) {
        const res = await adminUpload(
          '?name=bad.csv',
          `base,quote,day,rate\n${row}\nEUR,GBP,2026-04-01,0.85`,
        );
        expect(res.status, row).toBe(400);
        expect(res.body.errors, row).toEqual(
          expect.arrayContaining([{ location, message: expect.stringMatching(message) }]),
        );
      }
      const dup = await adminUpload(
        '',
        'base,quote,day,rate\nEUR,USD,2026-04-01,1.1\nEUR,GBP,2026-04-01,0.85\nEUR,USD,2026-04-01,1.2',
      );
      expect(dup.status).toBe(400);
      expect(dup.body.errors).toEqual([
        {
          location: 'line 4, column day',
          message: expect.stringMatching(/a second EUR\/USD rate for 2026-04-01 \(the first is at line 2/),
        },
      ]);
      const header = await adminUpload('', 'base,quote,rate\nEUR,USD,1.1');
      expect(header.status).toBe(400);
      expect(header.body.errors).toEqual([
        { location: 'line 1, column 4', message: expect.stringMatching(/no day column/) },
      ]);
      const wide = await adminUpload('', 'Date,USD\n2026-04-01,1.1');
      expect(wide.status).toBe(400);
      expect(JSON.stringify(wide.body.errors)).toMatch(/needs the base currency/);
      const noCurrency = await adminUpload('?base=EUR', 'Date,Comment\n2026-04-01,holiday');
      expect(noCurrency.status).toBe(400);
      const onlyNone = await adminUpload('?base=EUR&currencies=CHF', 'Date,USD\n2026-04-01,1.1');
      expect(onlyNone.body.errors).toEqual([
        { location: 'line 1, column 3', message: 'the header has none of the currencies to load (CHF)' },
      ]);
      const empty = await adminUpload('', '');
      expect(empty.status).toBe(400);
      expect(await count()).toBe(before);
    });

    it('reads a central bank table with a base: a date column, one column per currency, N/A for none', async () => {
      // As the ECB writes it: a trailing comma, N/A where a currency had no rate, a currency no longer quoted.
      const ecb = [
        'Date,USD,JPY,GBP,CYP,',
        '2026-03-05,1.0701,160.9,0.8560,N/A,',
        '2026-03-04,1.0705,N/A,0.8566,N/A,',
      ].join('\n');
      const res = await adminUpload('?base=EUR&name=eurofxref-hist.csv', ecb);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        shape: 'wide',
        base: 'EUR',
        rates: 5,
        added: 5,
        ignoredColumns: ['CYP'],
      });
      const listed = await admin('GET', '/api/rates?base=EUR&quote=JPY&from=2026-03-04');
      expect(listed.body.items).toEqual([
        expect.objectContaining({ base: 'EUR', quote: 'JPY', day: '2026-03-05', rate: '160.9' }),
      ]);
      // A currency column the product does not know, with rates, refuses the file at its header cell.
      const unknown = await adminUpload('?base=EUR', 'Date,USD,BGN\n2026-03-06,1.07,1.9558');
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        { location: 'line 1, column BGN', message: expect.stringMatching(/unknown currency "BGN"/) },
      ]);
      // ...unless the currencies to load are named.
      const only = await adminUpload('?base=EUR&currencies=USD', 'Date,USD,BGN\n2026-03-06,1.07,1.9558');
      expect(only.status, only.text).toBe(200);
      expect(only.body).toMatchObject({ added: 1, ignoredColumns: ['BGN'] });
    });

    it('refuses a rate that differs from the stored one unless replace is asked, which is audited', async () => {
      const csv = 'base,quote,day,rate\nEUR,USD,2026-03-02,1.0750\nEUR,USD,2026-03-09,1.08';
      const refused = await adminUpload('?name=fix.csv', csv);
      expect(refused.status).toBe(409);
      expect(refused.body.errors).toEqual([
        {
          location: 'line 2, column rate',
          message: 'EUR/USD is already loaded as 1.0712 on 2026-03-02; pass replace to correct it',
        },
      ]);
      const none = await admin('GET', '/api/rates?from=2026-03-09&to=2026-03-09');
      expect(none.body.items).toEqual([]);
      const replaced = await adminUpload('?name=fix.csv&replace=true', csv);
      expect(replaced.status, replaced.text).toBe(200);
      expect(replaced.body).toMatchObject({
        added: 1,
        replaced: 1,
        unchanged: 0,
        replacements: [{ base: 'EUR', quote: 'USD', day: '2026-03-02', before: '1.0712', after: '1.075' }],
      });
      const events = await audits('exchange-rate.replace');
      expect(events).toHaveLength(1);
      expect(events[0]!.targetId).toBe('EUR/USD/2026-03-02');
      expect(JSON.parse(events[0]!.detail)).toMatchObject({
        before: '1.0712',
        after: '1.075',
        source: 'fix.csv',
      });
      const listed = await admin('GET', '/api/rates?base=EUR&quote=USD&from=2026-03-02&to=2026-03-02');
      expect(listed.body.items).toEqual([
        expect.objectContaining({ rate: '1.075', source: 'fix.csv', loadedBy: 'per_dell_admin' }),
      ]);
      // Through the API body too: the location is the body's.
      const api = await admin('POST', '/api/rates', {
        rates: [{ base: 'EUR', quote: 'USD', day: '2026-03-02', rate: '1.0712' }],
      });
      expect(api.status).toBe(409);
      expect(api.body.errors).toEqual([
        { location: 'body.rates.0.rate', message: expect.stringMatching(/already loaded as 1.075/) },
      ]);
    });

    it('names every bad rate of an API body and writes nothing', async () => {
      const before = await count();
      const res = await admin('POST', '/api/rates', {
        rates: [
          { base: 'EUR', quote: 'USD', day: '2026-05-01', rate: '1.1' },
          { base: 'EUR', quote: 'USD', day: '2026-05-01', rate: '1.2' },
          { base: 'EUR', quote: 'ABC', day: '2026-05-01', rate: '1.2' },
          { base: 'EUR', quote: 'GBP', day: '2026-05-01', rate: '0' },
        ],
      });
      expect(res.status).toBe(400);
      expect((res.body.errors as { location: string }[]).map((e) => e.location)).toEqual([
        'body.rates.1.day',
        'body.rates.2.quote',
        'body.rates.3.rate',
      ]);
      expect(await count()).toBe(before);
      const shape = await admin('POST', '/api/rates', { rates: [{ base: 'EURO', quote: 'USD' }] });
      expect(shape.status).toBe(400);
      expect(shape.type).toMatch(/problem\+json/);
    });

    it('lists rates by day and pair, filtered and paged', async () => {
      const page1 = await admin('GET', '/api/rates?from=2026-03-02&to=2026-03-03&limit=3&direction=desc');
      expect(page1.status).toBe(200);
      const items1 = page1.body.items as { day: string; base: string; quote: string }[];
      expect(items1.map((r) => `${r.day} ${r.base}/${r.quote}`)).toEqual([
        '2026-03-03 EUR/USD',
        '2026-03-03 EUR/JPY',
        '2026-03-03 EUR/GBP',
      ]);
      const page2 = await admin(
        'GET',
        `/api/rates?from=2026-03-02&to=2026-03-03&limit=3&direction=desc&cursor=${String(page1.body.nextCursor)}`,
      );
      expect(
        (page2.body.items as { day: string; quote: string }[]).map((r) => `${r.day} ${r.quote}`),
      ).toEqual(['2026-03-02 USD', '2026-03-02 GBP']);
      expect(page2.body.nextCursor).toBeNull();
      const csv = await admin('GET', '/api/rates?quote=GBP&format=csv');
      expect(csv.text.split('\n')[0]).toBe('base,quote,day,rate,source,loadedBy,loadedAt');
      const bad = await admin('GET', '/api/rates?from=2026-13-01');
      expect(bad.status).toBe(400);
    });

    it('converts: direct, inverse, cross via EUR, each rounded once, half to even', async () => {
      const direct = await auditor('GET', '/api/rates/convert?from=EUR&to=USD&day=2026-03-03&amount=1000000');
      expect(direct.status, direct.text).toBe(200);
      expect(direct.body).toMatchObject({
        rate: '1.0698',
        derivation: { kind: 'direct' },
        rateDay: '2026-03-03',
        convertedMinor: 1_069_800,
        explanation: 'EUR 10,000.00 at 1.0698 = USD 10,698.00 (EUR/USD of 2026-03-03)',
      });
      const inverse = await auditor(
        'GET',
        '/api/rates/convert?from=USD&to=EUR&day=2026-03-03&amount=1069800',
      );
      // 1 / 1.0698 = 0.93475416... at 10 decimals: 0.9347541597.
      expect(inverse.body).toMatchObject({
        rate: '0.9347541597',
        derivation: { kind: 'inverse' },
        convertedMinor: 1_000_000,
      });
      const cross = await auditor('GET', '/api/rates/convert?from=GBP&to=JPY&day=2026-03-03&amount=10000');
      // 161.25 / 0.8571 = 188.1344067203...
      expect(cross.body).toMatchObject({
        rate: '188.1344067203',
        derivation: { kind: 'cross', via: 'EUR' },
        convertedMinor: 18_813,
      });
      const unknown = await auditor('GET', '/api/rates/convert?from=EUR&to=XYZ&day=2026-03-03&amount=1');
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([{ location: 'query.to', message: expect.stringMatching(/XYZ/) }]);
    });

    it("a missing day is refused, or bridged by the named program's policy", async () => {
      // No rate on Sunday 2026-03-08; the last known is Thursday 2026-03-05 (EUR/GBP 0.8560).
      const refused = await admin('GET', '/api/rates/convert?from=EUR&to=GBP&day=2026-03-08&amount=100');
      expect(refused.status).toBe(404);
      expect(refused.body.errors).toEqual([
        { location: 'query.day', message: 'no EUR/GBP rate on 2026-03-08' },
      ]);
      // The program is in force in FY18: rates of Thursday 2017-06-01, none on the weekend.
      const load = await admin('POST', '/api/rates', {
        rates: [{ base: 'EUR', quote: 'GBP', day: '2017-06-01', rate: '0.8560' }],
      });
      expect(load.status, load.text).toBe(200);
      const bridged = await admin(
        'GET',
        '/api/rates/convert?from=EUR&to=GBP&day=2017-06-04&amount=100000&program=dell-fx-program',
      );
      expect(bridged.status, bridged.text).toBe(200);
      expect(bridged.body).toMatchObject({
        rateDay: '2017-06-01',
        rate: '0.856',
        convertedMinor: 85_600,
        policy: { policy: 'last-known', withinDays: 3 },
        program: 'dell-fx-program',
      });
      // The shipped program bridges 4 days: five days after the last rate is refused.
      const strict = await admin(
        'GET',
        '/api/rates/convert?from=EUR&to=GBP&day=2017-06-06&amount=100&program=dell-emc-partner-program',
      );
      expect(strict.status).toBe(404);
      expect(strict.body.detail).toMatch(/nor in the 4 days before/);
      // Four days after the last rate is past the policy's 3 days.
      const tooOld = await admin(
        'GET',
        '/api/rates/convert?from=EUR&to=GBP&day=2017-06-05&amount=100&program=dell-fx-program',
      );
      expect(tooOld.status).toBe(404);
      expect(tooOld.body.detail).toMatch(/nor in the 3 days before/);
    });

    it('a vendor sees and converts with its own rates only; partners are refused; readers cannot load', async () => {
      const theirs = await vmware('GET', '/api/rates');
      expect(theirs.status).toBe(200);
      expect(theirs.body.items).toEqual([]);
      const convert = await vmware('GET', '/api/rates/convert?from=EUR&to=USD&day=2026-03-03&amount=100');
      expect(convert.status).toBe(404);
      // Its own rate for the same pair and day is its own: no conflict with Dell's.
      const own = await vmware('POST', '/api/rates', {
        rates: [{ base: 'EUR', quote: 'USD', day: '2026-03-03', rate: '1.5' }],
      });
      expect(own.status, own.text).toBe(200);
      expect(own.body).toMatchObject({ added: 1 });
      const mine = await admin('GET', '/api/rates/convert?from=EUR&to=USD&day=2026-03-03&amount=100');
      expect(mine.body.rate).toBe('1.0698');
      const vendorFilter = await vmware('POST', `/api/imports/rates?name=x.csv`, undefined);
      expect(vendorFilter.status).toBe(415);
      for (const [method, url, body] of [
        ['GET', '/api/rates', undefined],
        ['GET', '/api/rates/convert?from=EUR&to=USD&day=2026-03-03&amount=100', undefined],
        ['POST', '/api/rates', { rates: [] }],
      ] as const) {
        const res = await partner(method, url, body);
        expect(res.status, url).toBe(403);
      }
      const readerWrite = await auditor('POST', '/api/rates', { rates: [] });
      expect(readerWrite.status).toBe(403);
    });

    it('people limited to regions read rates but never load them, by body, file or use case; nothing is written', async () => {
      // Only channel managers are limited to regions (an admin's scope is the whole vendor); they read the
      // vendor's rates, and cannot load them, neither through their role nor through the use case.
      const session = await signIn(app, 'cm.na@dell.test');
      const regional = client(app, session);
      const before = await count();
      const body = await regional('POST', '/api/rates', {
        rates: [{ base: 'EUR', quote: 'SEK', day: '2026-03-02', rate: '11.25' }],
      });
      expect(body.status).toBe(403);
      const file = await upload(app, session)(
        '?name=sek.csv',
        'base,quote,day,rate\nEUR,SEK,2026-03-02,11.25',
      );
      expect(file.status).toBe(403);
      const read = await regional('GET', '/api/rates?quote=USD');
      expect(read.status).toBe(200);
      const scope = { kind: 'vendor' as const, vendorId: dellId, regions: ['na'] };
      const actor = { kind: 'system' as const, id: 'test' };
      await expect(
        loadRates(
          ctx,
          { actor, scope },
          [{ base: 'EUR', quote: 'SEK', day: '2026-03-02', rate: '11.25' }],
          {},
        ),
      ).rejects.toThrow(/only the vendor's people not limited to regions load them/);
      await expect(
        importRateFile(ctx, { actor, scope }, ['base,quote,day,rate\nEUR,SEK,2026-03-02,11.25'], {
          name: 'x.csv',
        }),
      ).rejects.toThrow(/only the vendor's people not limited to regions load them/);
      expect(await count()).toBe(before);
    });

    it('two imports of one file at once write each rate once; both succeed, the later finding it unchanged', async () => {
      const csv = [
        'base,quote,day,rate',
        ...Array.from({ length: 28 }, (_, i) => `EUR,CHF,2026-06-${String(i + 1).padStart(2, '0')},0.9${i}`),
      ].join('\n');
      const replies = await Promise.all(Array.from({ length: 4 }, () => adminUpload('?name=race.csv', csv)));
      for (const r of replies) expect(r.status, r.text).toBe(200);
      const added = replies.map((r) => r.body.added as number);
      expect(added.filter((n) => n > 0)).toEqual([28]);
      expect(replies.map((r) => r.body.unchanged as number).sort()).toEqual([0, 28, 28, 28]);
      const rows = await t.store.db
        .selectFrom('exchangeRates')
        .select('day')
        .where('quote', '=', 'CHF')
        .execute();
      expect(rows).toHaveLength(28);
    });

    it('imports a decade of daily rates of 30 currencies (about 80,000) in seconds', async () => {
      const quotes = [
        'USD',
        'JPY',
        'GBP',
        'CZK',
        'DKK',
        'HUF',
        'PLN',
        'RON',
        'SEK',
        'CHF',
        'NOK',
        'TRY',
        'AUD',
        'BRL',
        'CAD',
        'CNY',
        'HKD',
        'IDR',
        'ILS',
        'INR',
        'KRW',
        'MXN',
        'MYR',
        'NZD',
        'PHP',
        'SGD',
        'THB',
        'ZAR',
        'AED',
        'SAR',
      ];
      const lines = [`Date,${quotes.join(',')},`];
      const start = Date.parse('2010-01-04T00:00:00Z');
      for (let d = 0; d < 2_650; d++) {
        const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
        lines.push(
          `${day},${quotes.map((_, q) => `${q + 1}.${String(1000 + ((d * 7 + q) % 9000)).padStart(4, '0')}`).join(',')},`,
        );
      }
      const file = lines.join('\n');
      const began = Date.now();
      const res = await adminUpload('?base=EUR&name=eurofxref-hist.csv', file);
      const seconds = (Date.now() - began) / 1000;
      expect(res.status, res.text.slice(0, 500)).toBe(200);
      expect(res.body).toMatchObject({ rates: 79_500, added: 79_500 });
      expect(seconds).toBeLessThan(20);
      const again = await adminUpload('?base=EUR&name=eurofxref-hist.csv', file);
      expect(again.body).toMatchObject({ added: 0, unchanged: 79_500 });
      console.log(
        `${kind}: 79,500 rates imported in ${seconds.toFixed(2)} s, re-imported in ${String(again.body.seconds)} s`,
      );
    }, 120_000);
  });
}
