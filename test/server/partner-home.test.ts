import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { publishDellFy22 } from '../support/agreements.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Reply } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

function person(app: Server, email: string) {
  let c: ReturnType<typeof client> | null = null;
  return async (...args: Parameters<ReturnType<typeof client>>): Promise<Reply> => {
    c ??= client(app, await signIn(app, email));
    return c(...args);
  };
}

interface HomeProgram {
  programId: string;
  code: string;
  vendorName: string;
  asOf: string | null;
  inForceToday: boolean;
  year: { version: string; from: string; to: string | null; periods: { code: string }[] } | null;
  currentPeriod: string | null;
}

for (const kind of STORE_KINDS) {
  describe(`a partner's home across its vendors on ${kind}`, () => {
    let t: TestStore;
    let app: Server;
    let ctx: AppContext;
    let dell: { vendorId: string; programId: string };
    let vmware: { vendorId: string; programId: string };

    beforeAll(async () => {
      t = await openTestStore(kind);
      // 2021-12-15: Dell's FY22 and VMware's FY22 are both in force (their third quarter).
      ctx = createContext(t.store, { clock: { now: () => new Date('2021-12-15T10:00:00Z') } });
      ({ dell, vmware } = await loadFixture(ctx));
      await publishDellFy22(ctx);
      app = await buildServer(ctx);
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('lists every program the partner is enrolled in with the program year and the period of today', async () => {
      const r = await person(app, 'admin@alpha.test')('GET', '/api/partners/ptn_alpha/home');
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({
        partnerId: 'ptn_alpha',
        partnerName: 'Alpha Systems Ltd',
        today: '2021-12-15',
      });
      const programs = r.body.programs as HomeProgram[];
      expect(programs.map((p) => [p.programId, p.vendorName]).sort()).toEqual(
        [
          [dell.programId, 'Dell Technologies'],
          [vmware.programId, 'VMware'],
        ].sort(),
      );
      for (const p of programs) {
        expect(p).toMatchObject({ asOf: '2021-12-15', inForceToday: true, currentPeriod: 'FY22-Q4' });
        expect(p.year?.version).toBe('FY22');
        expect(p.year?.periods.map((x) => x.code)).toEqual(['FY22-Q1', 'FY22-Q2', 'FY22-Q3', 'FY22-Q4']);
      }
    });

    it('falls back to the end of the latest program year when none is in force today', async () => {
      const later = createContext(t.store, { clock: { now: () => new Date('2026-12-03T10:00:00Z') } });
      const laterApp = await buildServer(later);
      try {
        const r = await person(laterApp, 'admin@alpha.test')('GET', '/api/partners/ptn_alpha/home');
        expect(r.status, r.text).toBe(200);
        const programs = r.body.programs as HomeProgram[];
        const dellCard = programs.find((p) => p.programId === dell.programId);
        expect(dellCard).toMatchObject({
          asOf: '2022-01-28',
          inForceToday: false,
          currentPeriod: 'FY22-Q4',
          year: { version: 'FY22', from: '2021-01-30', to: '2022-01-28' },
        });
      } finally {
        await laterApp.close();
      }
    });

    it('is scoped: a partner reads only its own home, a vendor only its own programs in it', async () => {
      const bravo = person(app, 'admin@bravo.test');
      expect((await bravo('GET', '/api/partners/ptn_alpha/home')).status).toBe(404);
      const own = await bravo('GET', '/api/partners/ptn_bravo/home');
      expect((own.body.programs as HomeProgram[]).map((p) => p.programId)).toEqual([dell.programId]);
      // A distributor never reads the standing of the resellers it supplies.
      expect((await person(app, 'ops@delta.test')('GET', '/api/partners/ptn_bravo/home')).status).toBe(404);
      const byDell = await person(app, 'admin@dell.test')('GET', '/api/partners/ptn_alpha/home');
      expect(byDell.status, byDell.text).toBe(200);
      expect((byDell.body.programs as HomeProgram[]).map((p) => p.programId)).toEqual([dell.programId]);
      expect(JSON.stringify(byDell.body)).not.toContain(vmware.programId);
      // VMware does not see Bravo, who is enrolled with Dell only.
      expect((await person(app, 'admin@vmware.test')('GET', '/api/partners/ptn_bravo/home')).status).toBe(
        404,
      );
    });

    it('answers 4xx for bad input and without a session', async () => {
      const alpha = person(app, 'admin@alpha.test');
      expect((await alpha('GET', '/api/partners/ptn_nosuch/home')).status).toBe(404);
      const bad = await alpha('GET', '/api/partners/Not-An-Id/home');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('is not a Trellis id');
      expect((await app.inject({ method: 'GET', url: '/api/partners/ptn_alpha/home' })).statusCode).toBe(401);
    });
  });
}
