import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importCertificationCsv } from '../../src/app/tiers/certification-csv.js';
import { certificationsForTiers } from '../../src/app/tiers/certifications.js';
import { buildServer } from '../../src/server/app.js';
import { certificationRoutes } from '../../src/server/routes/certifications.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

type Call = ReturnType<typeof client>;
interface Cert {
  id: string;
  personId: string;
  partnerId: string;
  code: string;
  expiresOn: string;
  daysLeft?: number;
}

const row = (over: Record<string, string>) => ({
  code: 'DELL-STOR-TEC',
  kind: 'technical',
  family: 'storage',
  earnedOn: '2017-03-01',
  expiresOn: '2019-03-01',
  ...over,
});

for (const kind of STORE_KINDS) {
  describe(`certifications on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let ids: Awaited<ReturnType<typeof loadFixture>>;
    let dell: Call;
    let cmNa: Call;
    let auditor: Call;
    let alpha: Call;
    let bravo: Call;

    const countRows = async (table: 'certifications' | 'auditEvents') =>
      Number(
        (
          await t.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const countAudit = async (action: string) =>
      Number(
        (
          await t.store.db
            .selectFrom('auditEvents')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('action', '=', action)
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ids = await loadFixture(ctx);
      app = await buildServer(ctx);
      // Until src/server/app.ts lists certificationRoutes in ROUTE_MODULES: routes may still be added
      // before the first inject (which readies the server).
      if (!app.hasRoute({ method: 'GET', url: '/api/certifications' })) certificationRoutes(app, ctx);
      dell = client(app, await signIn(app, 'admin@dell.test'));
      cmNa = client(app, await signIn(app, 'cm.na@dell.test'));
      auditor = client(app, await signIn(app, 'auditor@dell.test'));
      alpha = client(app, await signIn(app, 'admin@alpha.test'));
      bravo = client(app, await signIn(app, 'admin@bravo.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('documents its routes in the OpenAPI document', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(res.statusCode, res.body).toBe(200);
      const paths = (res.json() as { paths: Record<string, Record<string, unknown>> }).paths;
      expect(Object.keys(paths['/api/certifications'] ?? {}).sort()).toEqual(['get', 'post']);
      expect(Object.keys(paths['/api/certifications/expiring'] ?? {})).toEqual(['get']);
    });

    it('records good rows by email or person id, audited once per partner', async () => {
      const res = await dell('POST', '/api/certifications', {
        certifications: [
          row({ email: 'Admin@Alpha.test' }),
          row({ personId: 'per_alpha_rep', code: 'DELL-SRV-SLS', kind: 'sales', family: 'servers' }),
          row({ email: 'admin@bravo.test', code: 'DELL-STOR-SLS', kind: 'Sales' }),
        ],
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body.count).toBe(3);
      const created = res.body.ids as string[];
      expect(created).toHaveLength(3);
      expect(created.every((id) => id.startsWith('crt_'))).toBe(true);
      expect(await countRows('certifications')).toBe(3);
      // Alpha's two people and Bravo's one: an event per partner, listing what it received.
      expect(await countAudit('certification.record')).toBe(2);
      const events = await t.store.db
        .selectFrom('auditEvents')
        .select(['partnerId', 'vendorId', 'targetType', 'targetId', 'detail'])
        .where('action', '=', 'certification.record')
        .orderBy('partnerId')
        .execute();
      expect(events.map((e) => [e.partnerId, e.vendorId, e.targetType])).toEqual([
        ['ptn_alpha', ids.dell.vendorId, 'certification'],
        ['ptn_bravo', ids.dell.vendorId, 'certification'],
      ]);
      expect(events[1]?.targetId).toBe(created[2]);
      const detail = JSON.parse(events[0]?.detail ?? '{}') as {
        count: number;
        certifications: { id: string }[];
      };
      expect(detail.count).toBe(2);
      expect(detail.certifications.map((c) => c.id)).toEqual(created.slice(0, 2));

      const list = await dell('GET', '/api/certifications?sort=code');
      expect(list.status).toBe(200);
      const items = list.body.items as (Cert & { personEmail: string; kind: string; vendorId: string })[];
      expect(items.map((c) => [c.code, c.personId, c.partnerId, c.kind])).toEqual([
        ['DELL-SRV-SLS', 'per_alpha_rep', 'ptn_alpha', 'sales'],
        ['DELL-STOR-SLS', 'per_bravo_admin', 'ptn_bravo', 'sales'],
        ['DELL-STOR-TEC', 'per_alpha_admin', 'ptn_alpha', 'technical'],
      ]);
      expect(items.every((c) => c.vendorId === ids.dell.vendorId)).toBe(true);
      expect(items[2]?.personEmail).toBe('admin@alpha.test');
    });

    it('refuses a batch with bad rows, lists every error by row and field, and writes nothing', async () => {
      const before = await countRows('certifications');
      const auditBefore = await countRows('auditEvents');
      const res = await dell('POST', '/api/certifications', {
        certifications: [
          row({ email: 'admin@alpha.test', code: 'DELL-NET-TEC', family: 'networking' }),
          row({ email: 'nobody@nowhere.test' }),
          // Victor Cloud is enrolled with VMware only; Dell must not learn that this person exists.
          row({ personId: 'per_victor_admin' }),
          row({ personId: 'per_dell_admin' }),
          row({ email: 'rep@alpha.test', code: 'DELL-X', earnedOn: '2018-05-01', expiresOn: '2018-04-30' }),
          row({ email: 'rep@alpha.test', code: 'DELL-Q', family: 'quantum' }),
          row({ email: 'rep@alpha.test', code: 'DELL-K', kind: 'wizardry', earnedOn: '2017-02-30' }),
          row({ code: 'DELL-NOONE' }),
        ],
      });
      expect(res.status, res.text).toBe(400);
      expect(res.type).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'invalid_input' });
      expect(res.body.detail).toMatch(/7 of 8 certification rows are invalid; nothing was recorded/);
      const errors = res.body.errors as { location: string; message: string }[];
      const at = (location: string) => errors.filter((e) => e.location === location).map((e) => e.message);
      expect(at('body.certifications.1.email')).toEqual(['unknown person nobody@nowhere.test']);
      expect(at('body.certifications.2.personId')).toEqual(['unknown person per_victor_admin']);
      expect(at('body.certifications.3.personId')).toEqual(['unknown person per_dell_admin']);
      expect(at('body.certifications.4.expiresOn')[0]).toMatch(/^expiry before the grant date/);
      expect(at('body.certifications.5.family')[0]).toMatch(/family "quantum" is not a product family/);
      expect(at('body.certifications.6.kind')[0]).toMatch(/kind "wizardry"/);
      expect(at('body.certifications.6.earnedOn')[0]).toMatch(/"2017-02-30" is not a date/);
      expect(at('body.certifications.7.person')).toHaveLength(1);
      expect(errors.some((e) => e.location.startsWith('body.certifications.0.'))).toBe(false);
      expect(await countRows('certifications')).toBe(before);
      expect(await countRows('auditEvents')).toBe(auditBefore);
    });

    it('refuses a code the person already holds, and the same person and code twice in a batch', async () => {
      const before = await countRows('certifications');
      const res = await dell('POST', '/api/certifications', {
        certifications: [
          row({ email: 'admin@alpha.test' }),
          row({ email: 'ops@delta.test', code: 'DELL-DP-TEC', family: 'data-protection' }),
          row({ personId: 'per_dist', code: 'DELL-DP-TEC', family: 'data-protection' }),
        ],
      });
      expect(res.status).toBe(400);
      const errors = res.body.errors as { location: string; message: string }[];
      expect(errors).toEqual([
        {
          location: 'body.certifications.0.code',
          message: 'the person already holds certification DELL-STOR-TEC with this vendor',
        },
        { location: 'body.certifications.2.code', message: 'same person and code as body.certifications.1' },
      ]);
      expect(await countRows('certifications')).toBe(before);
    });

    it('answers a malformed body with a 400 naming the row and field', async () => {
      const res = await dell('POST', '/api/certifications', {
        certifications: [row({ email: 'admin@alpha.test', code: 'X'.repeat(65) })],
      });
      expect(res.status).toBe(400);
      expect((res.body.errors as { location: string }[])[0]?.location).toMatch(/certifications\.0\.code/);
      const empty = await dell('POST', '/api/certifications', { certifications: [] });
      expect(empty.status).toBe(400);
    });

    it('lets only vendor admins and channel managers record certifications', async () => {
      const body = { certifications: [row({ email: 'admin@alpha.test', code: 'ALPHA-SELF' })] };
      for (const who of [alpha, bravo, auditor]) {
        const res = await who('POST', '/api/certifications', body);
        expect(res.status).toBe(403);
      }
      expect((await client(app, null)('POST', '/api/certifications', body)).status).toBe(401);
    });

    it('limits a channel manager to the partners of its regions', async () => {
      const res = await cmNa('POST', '/api/certifications', {
        certifications: [
          row({ email: 'admin@bravo.test', code: 'DELL-NET-SLS', kind: 'sales', family: 'networking' }),
          row({ email: 'admin@alpha.test', code: 'DELL-NET-SLS', kind: 'sales', family: 'networking' }),
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { location: 'body.certifications.1.email', message: 'unknown person admin@alpha.test' },
      ]);
      const list = await cmNa('GET', '/api/certifications');
      expect(new Set((list.body.items as Cert[]).map((c) => c.partnerId))).toEqual(new Set(['ptn_bravo']));
    });

    it("shows a partner admin only its own people's certifications", async () => {
      const mine = await alpha('GET', '/api/certifications');
      expect(mine.status).toBe(200);
      const items = mine.body.items as Cert[];
      expect(items.length).toBe(2);
      expect(items.every((c) => c.partnerId === 'ptn_alpha')).toBe(true);
      const foreign = await alpha('GET', '/api/certifications?partner=ptn_bravo');
      expect(foreign.body.items).toEqual([]);
      const theirs = await bravo('GET', '/api/certifications');
      expect((theirs.body.items as Cert[]).map((c) => c.personId)).toEqual(['per_bravo_admin']);
      const vmware = client(app, await signIn(app, 'admin@vmware.test'));
      expect((await vmware('GET', '/api/certifications')).body.items).toEqual([]);
    });

    it('filters and pages the list with a cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await dell(
          'GET',
          `/api/certifications?limit=1&sort=code&direction=desc${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        seen.push(...(res.body.items as Cert[]).map((c) => c.code));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      expect(seen).toEqual(['DELL-STOR-TEC', 'DELL-STOR-SLS', 'DELL-SRV-SLS']);
      const sales = await dell('GET', '/api/certifications?kind=sales&family=storage');
      expect((sales.body.items as Cert[]).map((c) => c.code)).toEqual(['DELL-STOR-SLS']);
      const person = await dell('GET', '/api/certifications?person=per_alpha_rep');
      expect((person.body.items as Cert[]).map((c) => c.code)).toEqual(['DELL-SRV-SLS']);
      const bad = await dell('GET', '/api/certifications?family=quantum');
      expect(bad.status).toBe(400);
    });

    it('feeds what expires within 60 days and not what already expired', async () => {
      const res = await dell('POST', '/api/certifications', {
        certifications: [
          row({
            email: 'rep@alpha.test',
            code: 'FEED-SOON',
            earnedOn: '2016-01-20',
            expiresOn: '2018-01-20',
          }),
          row({
            email: 'rep@alpha.test',
            code: 'FEED-DAY60',
            earnedOn: '2016-03-02',
            expiresOn: '2018-03-02',
          }),
          row({
            email: 'rep@alpha.test',
            code: 'FEED-DAY61',
            earnedOn: '2016-03-03',
            expiresOn: '2018-03-03',
          }),
          row({
            email: 'rep@alpha.test',
            code: 'FEED-GONE',
            earnedOn: '2015-12-31',
            expiresOn: '2017-12-31',
          }),
          row({
            email: 'rep@alpha.test',
            code: 'FEED-TODAY',
            earnedOn: '2016-01-01',
            expiresOn: '2018-01-01',
          }),
          row({
            email: 'admin@bravo.test',
            code: 'FEED-NA',
            earnedOn: '2016-02-01',
            expiresOn: '2018-02-01',
          }),
        ],
      });
      expect(res.status, res.text).toBe(201);
      const feed = await dell('GET', '/api/certifications/expiring?asOf=2018-01-01');
      expect(feed.status, feed.text).toBe(200);
      expect(feed.body).toMatchObject({ asOf: '2018-01-01', withinDays: 60 });
      const items = feed.body.items as Cert[];
      expect(items.map((c) => [c.code, c.daysLeft])).toEqual([
        ['FEED-SOON', 19],
        ['FEED-NA', 31],
        ['FEED-DAY60', 60],
      ]);
      const narrow = await dell('GET', '/api/certifications/expiring?asOf=2018-01-01&withinDays=20');
      expect((narrow.body.items as Cert[]).map((c) => c.code)).toEqual(['FEED-SOON']);
      // A partner's feed holds its own people only; a channel manager's its regions only.
      const mine = await alpha('GET', '/api/certifications/expiring?asOf=2018-01-01');
      expect((mine.body.items as Cert[]).map((c) => c.code)).toEqual(['FEED-SOON', 'FEED-DAY60']);
      const na = await cmNa('GET', '/api/certifications/expiring?asOf=2018-01-01');
      expect((na.body.items as Cert[]).map((c) => c.code)).toEqual(['FEED-NA']);
      // Today's feed (the default asOf) is about today: these 2018 certifications are long gone.
      const today = await dell('GET', '/api/certifications/expiring');
      expect(today.status).toBe(200);
      expect((today.body.items as Cert[]).filter((c) => c.code.startsWith('FEED-'))).toEqual([]);
      expect((await dell('GET', '/api/certifications/expiring?withinDays=0')).status).toBe(400);
    });

    it('gives the tier engine the active certifications per partner, within the scope', async () => {
      const vendorScope = { kind: 'vendor' as const, vendorId: ids.dell.vendorId, regions: [] };
      const facts = await certificationsForTiers(ctx, vendorScope, ids.dell.vendorId, '2018-01-01');
      expect([...facts.keys()].sort()).toEqual(['ptn_alpha', 'ptn_bravo']);
      const alphaCodes = facts.get('ptn_alpha')?.map((c) => `${c.personId}/${c.kind}/${c.family}`);
      // FEED-GONE and FEED-TODAY have expired by 2018-01-01 (active while earnedOn <= asOf < expiresOn).
      expect(alphaCodes?.sort()).toEqual([
        'per_alpha_admin/technical/storage',
        'per_alpha_rep/sales/servers',
        'per_alpha_rep/technical/storage',
        'per_alpha_rep/technical/storage',
        'per_alpha_rep/technical/storage',
      ]);
      expect(facts.get('ptn_alpha')?.[0]).toEqual({
        personId: expect.any(String),
        kind: expect.any(String),
        family: expect.any(String),
        earnedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        expiresOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      const before = await certificationsForTiers(ctx, vendorScope, ids.dell.vendorId, '2015-06-01');
      expect(before.size).toBe(0);
      const partnerScope = { kind: 'partner' as const, partnerId: 'ptn_bravo', ownerPersonId: null };
      const own = await certificationsForTiers(ctx, partnerScope, ids.dell.vendorId, '2018-01-01');
      expect([...own.keys()]).toEqual(['ptn_bravo']);
      const na = { kind: 'vendor' as const, vendorId: ids.dell.vendorId, regions: ['na'] };
      expect([...(await certificationsForTiers(ctx, na, ids.dell.vendorId, '2018-01-01')).keys()]).toEqual([
        'ptn_bravo',
      ]);
      const some = await certificationsForTiers(ctx, vendorScope, ids.dell.vendorId, '2018-01-01', [
        'ptn_bravo',
      ]);
      expect([...some.keys()]).toEqual(['ptn_bravo']);
      const vmw = await certificationsForTiers(ctx, vendorScope, ids.vmware.vendorId, '2018-01-01');
      expect(vmw.size).toBe(0);
    });

    describe('CSV import (what `trellis import certifications` runs)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'trellis-certs-'));
      const csvFile = (name: string, text: string) => {
        const file = join(dir, `${kind}-${name}.csv`);
        writeFileSync(file, text);
        return file;
      };
      const HEADER = 'email,person_id,code,kind,family,earned_on,expires_on';

      it('refuses a file with bad rows, naming file:line:column, and writes nothing', async () => {
        const before = await countRows('certifications');
        const file = csvFile(
          'bad',
          [
            HEADER,
            'admin@alpha.test,,CSV-OK,technical,servers,2017-01-01,2019-01-01',
            'nobody@nowhere.test,,CSV-1,technical,servers,2017-01-01,2019-01-01',
            ',per_victor_admin,CSV-2,technical,servers,2017-01-01,2019-01-01',
            '',
            'rep@alpha.test,,CSV-3,technical,servers,2018-05-01,2018-04-30',
            'rep@alpha.test,,CSV-4,technical,quantum,2017-01-01,2019-01-01',
            'rep@alpha.test,,CSV-5,technical',
            'rep@alpha.test,,CSV-OK2,technical,servers,2017-01-01,2019-01-01',
            'rep@alpha.test,,CSV-OK2,sales,servers,2017-01-01,2019-01-01',
          ].join('\n'),
        );
        const out = await importCertificationCsv(ctx, { file, vendor: 'dell' });
        expect(out.ok).toBe(false);
        if (out.ok) return;
        expect(out.problems).toEqual([
          `${file}:3:1: unknown person nobody@nowhere.test`,
          `${file}:4:2: unknown person per_victor_admin`,
          `${file}:6:7: expiry before the grant date: expires 2018-04-30, earned 2018-05-01`,
          expect.stringMatching(new RegExp(`^${file}:7:5: family "quantum" is not a product family`)),
          `${file}:8:5: this row has 4 fields, the header 7`,
          `${file}:10:3: same person and code as line 9`,
        ]);
        expect(out.message).toBe(`${file}: 6 of 8 rows invalid; nothing was recorded`);
        expect(await countRows('certifications')).toBe(before);
      });

      it('refuses a header without the required columns', async () => {
        const file = csvFile(
          'header',
          'email,code,kind,family,earned\nadmin@alpha.test,X,sales,servers,2017-01-01\n',
        );
        const out = await importCertificationCsv(ctx, { file, vendor: 'dell' });
        expect(out.ok).toBe(false);
        if (out.ok) return;
        expect(out.problems).toEqual([
          expect.stringMatching(new RegExp(`^${file}:1:6: the header has no earned_on column`)),
          expect.stringMatching(new RegExp(`^${file}:1:6: the header has no expires_on column`)),
        ]);
        const unknown = await importCertificationCsv(ctx, { file, vendor: 'nope' }).catch((e: Error) => e);
        expect((unknown as Error).message).toMatch(/no vendor has the slug nope/);
      });

      it('imports good rows in any column order with a summary as of a day', async () => {
        const before = await countRows('certifications');
        const file = csvFile(
          'good',
          [
            '\ufeffCode,Kind,Family,Earned On,Expires On,Email,Notes,person_id',
            'CSV-A,technical,networking,2017-06-01,2018-01-20,,"first, of two",per_bravo_admin',
            'CSV-B,SALES,Networking,2017-06-01,2019-06-01,ADMIN@ALPHA.TEST,,',
            'CSV-C,services,services,2015-01-01,2017-01-01,admin@alpha.test,,',
          ].join('\r\n'),
        );
        const out = await importCertificationCsv(ctx, { file, vendor: 'dell', asOf: '2018-01-01' });
        expect(out.ok, JSON.stringify(out)).toBe(true);
        if (!out.ok) return;
        expect(out.summary).toMatchObject({
          recorded: 3,
          people: 2,
          partners: 2,
          asOf: '2018-01-01',
          active: 2,
          expiringSoon: 1,
          expired: 1,
          notYetEarned: 0,
          ignoredColumns: ['Notes'],
        });
        expect(await countRows('certifications')).toBe(before + 3);
        const again = await importCertificationCsv(ctx, { file, vendor: 'dell', dryRun: true });
        expect(again.ok).toBe(false);
        // A header and no rows imports nothing, successfully; an empty file has no header.
        const none = await importCertificationCsv(ctx, {
          file: csvFile('none', `${HEADER}\n`),
          vendor: 'dell',
        });
        expect(none).toMatchObject({ ok: true, summary: { recorded: 0 } });
        const empty = await importCertificationCsv(ctx, { file: csvFile('empty', ''), vendor: 'dell' });
        expect(empty.ok).toBe(false);
      });
    });
  });
}
