import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { daysFromNow, PROGRAM } from '../support/cli-deals.js';
import { addResellers } from '../support/deals.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Session } from '../support/http.js';
import { awaitJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const HEADER =
  'external_ref,customer_name,customer_country,customer_segment,currency,expected_close_date,description,family,amount';

/**
 * Uploads a CRM export and waits for its job, answering as the import does: a refusal before the job as it
 * is, then 200 with the job's result or the job's problem (its status and body).
 */
function post(app: Server, who: Session) {
  const get = client(app, who);
  return async (url: string, csv: string, type = 'text/csv') => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': type, cookie: who.cookie, 'x-csrf-token': who.csrf },
      payload: csv,
    });
    if (res.statusCode !== 202)
      return { status: res.statusCode, body: res.json() as Record<string, unknown> };
    expect(res.json()).toMatchObject({ kind: 'import-deals' });
    const job = (await awaitJob(get, String(res.headers.location))).body;
    if (job.status === 'succeeded') return { status: 200, body: job.result as Record<string, unknown> };
    const error = job.error as Record<string, unknown>;
    return { status: Number(error.status), body: error };
  };
}

for (const kind of STORE_KINDS) {
  describe(`POST /api/imports/deals on ${kind}`, () => {
    let t: TestStore;
    let app: Server;
    let charlie: ReturnType<typeof post>;
    let vendor: ReturnType<typeof post>;
    let list: ReturnType<typeof client>;
    const close = daysFromNow(200);

    beforeAll(async () => {
      t = await openTestStore(kind);
      const ctx = createContext(t.store);
      const { dell } = await loadFixture(ctx);
      await addResellers(ctx, dell, [
        { id: 'ptn_charlie', name: 'Charlie Integration SARL', country: 'FR', region: 'emea' },
      ]);
      app = await buildServer(ctx);
      const session = await signIn(app, 'admin@charlie.test');
      charlie = post(app, session);
      list = client(app, session);
      vendor = post(app, await signIn(app, 'admin@dell.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('a partner admin imports its own registrations (a job); a bad file names row and column and registers nothing', async () => {
      const url = `/api/imports/deals?program=${PROGRAM}&submit=true`;
      // An integration listening for submissions hears of imported ones as of any other.
      const hook = await list('POST', '/api/webhooks', {
        url: 'https://hooks.example.com/charlie',
        events: ['deal.submitted'],
      });
      expect(hook.status, hook.text).toBe(201);
      const good = `${HEADER}\nAPI-1,Globex Maschinen GmbH,DE,commercial,USD,${close},Storage,storage,25000.00\nAPI-1,,,,,,,servers,1000\n`;
      const ok = await charlie(url, good);
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toMatchObject({ partnerId: 'ptn_charlie', created: 1, submitted: 1, rows: 2 });
      const events = await t.store.db
        .selectFrom('webhookEvents')
        .select(['type', 'partnerId', 'payload'])
        .where('type', '=', 'deal.submitted')
        .where('partnerId', '=', 'ptn_charlie')
        .execute();
      expect(events).toHaveLength(1);
      expect(events[0]!.payload).toContain('Globex Maschinen GmbH');
      const again = await charlie(url, good);
      expect(again.body).toMatchObject({ created: 0, alreadyRegistered: 1 });

      const bad = `${HEADER}\nAPI-2,Initech SARL,FR,commercial,USD,${close},Servers,servers,20000\nAPI-3,Hooli Ltd,GB,commercial,USD,${close},Storage,storage,abc\n`;
      const refused = await charlie(url, bad);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('row 3, column amount');
      // Nothing of the bad file: its good row API-2 was not registered.
      const mine = await list('GET', '/api/deals?limit=100');
      expect((mine.body.items as { externalRef: string }[]).map((d) => d.externalRef)).toEqual(['API-1']);
      const after = await charlie(`/api/imports/deals?program=${PROGRAM}&dryRun=true`, `${HEADER}\n`);
      expect(after.body).toMatchObject({ rows: 0, created: 0 });
    });

    it("a rolled-back import leaves the candidate index in step: a later registration's variant still conflicts", async () => {
      // A dry run submits two registrations in one transaction (the second's search indexes the first),
      // then rolls back: their sequence numbers are given out again.
      const dry = await charlie(
        `/api/imports/deals?program=${PROGRAM}&submit=true&dryRun=true`,
        `${HEADER}\nDRY-1,Soylent Foods GmbH,DE,commercial,USD,${close},Storage,storage,20000\nDRY-2,Vandelay Industries SARL,FR,commercial,USD,${close},Servers,servers,20000\n`,
      );
      expect(dry.body).toMatchObject({ dryRun: true, created: 2, submitted: 2 });
      const alpha = client(app, await signIn(app, 'admin@alpha.test'));
      const first = await alpha('POST', '/api/deals', {
        programId: PROGRAM,
        customer: { name: 'Umbrella Corporation Ltd', country: 'GB', segment: 'commercial' },
        currency: 'USD',
        lines: [{ family: 'storage', amountMinor: 2_000_000 }],
        expectedCloseDate: close,
        description: 'Storage',
      });
      expect(first.body.outcome).toBe('submitted');
      const variant = await charlie(
        `/api/imports/deals?program=${PROGRAM}&submit=true`,
        `${HEADER}\nUMB-1,UMBRELLA CORPORATION,GB,commercial,USD,${close},Storage,storage,30000\n`,
      );
      expect(variant.status, JSON.stringify(variant.body)).toBe(200);
      expect(variant.body).toMatchObject({ conflicts: 1, submitted: 0 });
    });

    it('refuses a vendor (partners register) and a body that is not CSV', async () => {
      const r = await vendor(`/api/imports/deals?program=${PROGRAM}`, `${HEADER}\n`);
      expect(r.status).toBe(403);
      const json = await charlie('/api/imports/deals', '{"a":1}', 'application/json');
      expect(json.status).toBe(415);
    });
  });
}
