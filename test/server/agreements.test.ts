import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementsInForce } from '../../src/app/agreements/agreements.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { periodOf } from '../../src/core/ledger/periods.js';
import { renderEnglish, type Message } from '../../src/core/messages/message.js';
import type { ProgramDefinition } from '../../src/core/programs/types.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import {
  agreementText,
  publishAgreement,
  publishDellFy22,
  withoutTermination,
} from '../support/agreements.js';
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

let seq = 0;
function order(
  customerId: string,
  orderDate: string,
  productId: string,
  quantity: number,
  unitPriceMinor: number,
) {
  seq++;
  return {
    source: 'erp',
    externalId: `agr-${seq}`,
    orderDate,
    currency: 'USD',
    customerId,
    channel: 'partner',
    resellerId: 'ptn_alpha',
    distributorId: null,
    lines: [{ productId, quantity, unitPriceMinor }],
  };
}

const SYSTEM = { kind: 'system', id: 'test' } as const;

for (const kind of STORE_KINDS) {
  describe(`vendor agreements on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let vmware: { vendorId: string; programId: string };
    let agreementId: string;
    let dellAdmin: ReturnType<typeof person>;
    let dellAuditor: ReturnType<typeof person>;
    let vmwAdmin: ReturnType<typeof person>;
    let alpha: ReturnType<typeof person>;
    let victor: ReturnType<typeof person>;
    let bravo: ReturnType<typeof person>;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock: { now: () => new Date('2026-12-03T10:00:00Z') } });
      ({ dell, vmware } = await loadFixture(ctx));
      await publishDellFy22(ctx);
      const out = await publishAgreement(ctx, await agreementText(withoutTermination));
      if (out.kind !== 'agreement') throw new Error('expected an agreement');
      agreementId = out.agreementId;
      app = await buildServer(ctx);
      dellAdmin = person(app, 'admin@dell.test');
      dellAuditor = person(app, 'auditor@dell.test');
      vmwAdmin = person(app, 'admin@vmware.test');
      alpha = person(app, 'admin@alpha.test');
      victor = person(app, 'admin@victor.test');
      bravo = person(app, 'admin@bravo.test');
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('refuses at publish, with the reason and nothing written: unknown party, foreign program, overlap', async () => {
      const before = await ctx.store.db.selectFrom('agreements').select('id').execute();
      const refused = async (change: (s: string) => string) => {
        const text = (await agreementText(withoutTermination)).replace(
          'code: dell-vmware-commercial-framework-2021',
          'code: another-agreement',
        );
        return publishAgreement(ctx, change(text)).then(
          () => null,
          (e: { code: string; details: { location: string; message: string }[] }) => e,
        );
      };
      expect(await refused((s) => s.replace(/\bvmware\b(?!-)/g, 'nosuchvendor'))).toMatchObject({
        code: 'invalid_input',
        details: [
          {
            location: 'parties[1].vendor',
            message: expect.stringContaining('"nosuchvendor" does not exist'),
          },
        ],
      });
      const bind = (code: string) => (s: string) =>
        s
          .replace('programs: [vmware-partner-connect]\n', `programs: [${code}]\n`)
          .replace(
            'programs: [dell-emc-partner-program, vmware-partner-connect]',
            'programs: [dell-emc-partner-program]',
          );
      expect(await refused(bind('dell-emc-partner-program'))).toMatchObject({
        code: 'invalid_input',
        details: [
          { location: 'parties[1].programs[0]', message: expect.stringContaining("is not vmware's") },
        ],
      });
      expect(await refused(bind('vmware-nothing'))).toMatchObject({
        code: 'invalid_input',
        details: [
          { location: 'parties[1].programs[0]', message: 'program vmware-nothing of vmware does not exist' },
        ],
      });
      expect(
        await refused((s) =>
          s.replace(
            'basisPoints: 5000 }\n      - { vendor: vmware',
            'basisPoints: 5001 }\n      - { vendor: vmware',
          ),
        ),
      ).toMatchObject({
        code: 'invalid_input',
      });
      expect(await refused((s) => s.replace('points: 1%', 'points: 2%'))).toMatchObject({
        code: 'conflict',
        details: [
          {
            location: 'effective',
            message: expect.stringContaining('overlaps agreement dell-vmware-commercial-framework-2021'),
          },
        ],
      });
      expect(await ctx.store.db.selectFrom('agreements').select('id').execute()).toEqual(before);
      expect(
        await ctx.store.db
          .selectFrom('agreementPrograms')
          .select('agreementId')
          .where('agreementId', '<>', agreementId)
          .execute(),
      ).toEqual([]);
    });

    it('shows the agreement to its parties and to partners enrolled in a bound program, and to no one else', async () => {
      for (const who of [dellAdmin, vmwAdmin, alpha, victor, bravo]) {
        const r = await who('GET', '/api/agreements?asOf=2022-06-01');
        expect(r.status, r.text).toBe(200);
        expect((r.body.items as { id: string; status: string }[]).map((i) => [i.id, i.status])).toEqual([
          [agreementId, 'active'],
        ]);
      }
      const d = await dellAdmin('GET', `/api/agreements/${agreementId}`);
      // Today (2026-12-03) the five-year term has run out; notice can still be recorded with a date in term.
      expect(d.body).toMatchObject({
        status: 'ended',
        canGiveNotice: true,
        yourFunding: { basisPoints: 5000 },
        accrualsThrough: '2026-10-31',
        terms: { noticeDays: 60, solutionReward: { window: 'P90D', pointsPpm: 10_000 } },
      });
      expect((await dellAuditor('GET', `/api/agreements/${agreementId}`)).body.canGiveNotice).toBe(false);
      expect((await alpha('GET', `/api/agreements/${agreementId}`)).body).toMatchObject({
        canGiveNotice: false,
        yourFunding: null,
      });
    });

    it('golden: a combined Dell + VMware sale earns the reward split exactly; after the termination none accrues; a re-close posts none', async () => {
      // Dell storage to Acme Corporation (GB) on 10 Nov 2021, VMware software to the same customer (VMware's own
      // record of it) on 1 Dec 2021: one solution set, completed on 1 Dec. Base USD 100,000 + USD 23,456.78.
      for (const [who, body] of [
        [dellAdmin, order('cus_acme', '2021-11-10', 'prd_stor', 1, 100_000_00)],
        [vmwAdmin, order('cus_vacme', '2021-12-01', 'prd_vsp', 2, 11_728_39)],
        // A second set straddling the termination (effective 19 Jan 2022): completed on 19 Jan, earns nothing.
        [dellAdmin, order('cus_acme', '2022-01-10', 'prd_srv', 1, 50_000_00)],
        [vmwAdmin, order('cus_vacme', '2022-01-19', 'prd_vsp', 1, 9_000_00)],
      ] as const) {
        const r = await who('POST', '/api/orders', body);
        expect(r.status, r.text).toBe(201);
      }
      // Dell gives notice on 20 Nov 2021 (the demo passes its own date): effective 60 days later.
      const n = await dellAdmin('POST', `/api/agreements/${agreementId}/notice`, {
        reason: 'change-of-control',
        date: '2021-11-20',
        note: 'test',
      });
      expect(n.status, n.text).toBe(200);
      expect(n.body).toMatchObject({
        notice: {
          noticeDate: '2021-11-20',
          by: 'dell',
          reason: 'change-of-control',
          effectiveDate: '2022-01-19',
        },
        accrualsThrough: '2022-01-18',
        canGiveNotice: false,
      });
      expect((await dellAdmin('GET', `/api/agreements/${agreementId}?asOf=2022-01-18`)).body.status).toBe(
        'notice-given',
      );
      expect((await dellAdmin('GET', `/api/agreements/${agreementId}?asOf=2022-01-19`)).body.status).toBe(
        'terminated',
      );
      expect((await agreementsInForce(ctx.store.db, dell.vendorId, '2022-01-18')).map((a) => a.id)).toEqual([
        agreementId,
      ]);
      expect(await agreementsInForce(ctx.store.db, dell.vendorId, '2022-01-19')).toEqual([]);

      const close = async (vendor: { vendorId: string; programId: string }) => {
        const version = await ctx.store.db
          .selectFrom('programVersions')
          .select('definition')
          .where('programId', '=', vendor.programId)
          .where('effectiveFrom', '<=', '2021-12-01')
          .where('effectiveTo', '>=', '2021-12-01')
          .executeTakeFirstOrThrow();
        const def = JSON.parse(version.definition as unknown as string) as ProgramDefinition;
        const period = periodOf(def, '2021-12-01') as string;
        return closePeriod(
          ctx,
          { actor: SYSTEM, scope: { kind: 'vendor', vendorId: vendor.vendorId, regions: [] } },
          {
            program: vendor.programId,
            period,
          },
        );
      };
      // A dry run projects the share the close will post (the partner's projected earnings include it).
      const dry = await closePeriod(
        ctx,
        { actor: SYSTEM, scope: { kind: 'vendor', vendorId: dell.vendorId, regions: [] } },
        { program: dell.programId, period: 'FY22-Q4', dryRun: true, partnerId: 'ptn_alpha' },
      );
      expect(dry.components.find((c) => c.component === 'solution-reward')?.trueUpMinor).toBe(617_29);
      expect(await ctx.store.db.selectFrom('agreementRewards').select('id').execute()).toEqual([]);
      await close(dell);
      await close(vmware);
      const rewards = await ctx.store.db
        .selectFrom('agreementRewards')
        .select(['vendorId', 'partnerId', 'completedOn', 'shareMinor', 'rewardMinor', 'basisPoints'])
        .orderBy('vendorId')
        .execute();
      // 1% of USD 123,456.78 = USD 1,234.57: USD 617.29 (Dell, listed first, takes the odd cent) + USD 617.28.
      const expected = [
        { vendorId: dell.vendorId, shareMinor: 617_29 },
        { vendorId: vmware.vendorId, shareMinor: 617_28 },
      ].sort((a, b) => (a.vendorId < b.vendorId ? -1 : 1));
      expect(rewards.map((r) => ({ vendorId: r.vendorId, shareMinor: Number(r.shareMinor) }))).toEqual(
        expected,
      );
      expect(rewards.every((r) => Number(r.rewardMinor) === 1_234_57 && r.completedOn === '2021-12-01')).toBe(
        true,
      );
      const ledger = async () =>
        (
          await ctx.store.db
            .selectFrom('ledgerLegs')
            .select(['vendorId', 'account', 'amountMinor'])
            .where('component', '=', 'solution-reward')
            .execute()
        ).map((e) => ({ ...e, amountMinor: Number(e.amountMinor) }));
      const posted = await ledger();
      expect(posted).toHaveLength(4);
      expect(posted.reduce((s, e) => s + e.amountMinor, 0)).toBe(0);
      expect(
        posted.filter((e) => e.account === 'partner:rebate-payable').reduce((s, e) => s - e.amountMinor, 0),
      ).toBe(1_234_57);

      // A re-close of both periods posts nothing more, and a dry run projects nothing more.
      await close(dell);
      await close(vmware);
      expect(await ledger()).toEqual(posted);
      const after = await closePeriod(
        ctx,
        { actor: SYSTEM, scope: { kind: 'vendor', vendorId: dell.vendorId, regions: [] } },
        { program: dell.programId, period: 'FY22-Q4', dryRun: true, partnerId: 'ptn_alpha' },
      );
      expect(after.components.find((c) => c.component === 'solution-reward')).toBeUndefined();
    });

    it("explains a vendor's share with its own lines only; the partner sees its whole reward", async () => {
      const vmLines = await ctx.store.db
        .selectFrom('orderLines')
        .select(['id', 'orderId'])
        .where('vendorId', '=', vmware.vendorId)
        .execute();
      const d = await dellAdmin('GET', `/api/agreements/${agreementId}`);
      const dellRewards = d.body.rewards as {
        vendorId: string;
        rewardMinor: number | null;
        explanation: string;
        shareMinor: number;
      }[];
      expect(dellRewards).toHaveLength(1);
      expect(dellRewards[0]).toMatchObject({
        vendorId: dell.vendorId,
        rewardMinor: null,
        shareMinor: 617_29,
      });
      expect(dellRewards[0]?.explanation).toContain(
        'a qualifying purchase from another party to the agreement within 90 days',
      );
      // The same sentence as a message the app translates, kept on the reward's ledger lines.
      const message = (dellRewards[0] as { explanationMessage?: Message | null }).explanationMessage;
      expect(message?.key).toBe('agreements.solutionReward');
      expect(message && renderEnglish(message)).toBe(dellRewards[0]?.explanation);
      // Dell's statement line for the partner: the same sentence, nothing of VMware's.
      const lines = await ctx.store.db
        .selectFrom('statementLines')
        .select(['explanation', 'vendorId', 'amountMinor', 'kind'])
        .where('component', '=', 'solution-reward')
        .execute();
      expect(lines).toHaveLength(2);
      // (The agreement's terms name the families each party must sell; its rewards and lines name no data of VMware.)
      const dellText = JSON.stringify([d.body.rewards, lines.filter((l) => l.vendorId === dell.vendorId)]);
      for (const l of vmLines) {
        expect(dellText).not.toContain(l.id);
        expect(dellText).not.toContain(l.orderId);
      }
      expect(dellText).not.toMatch(/vSphere|software|23,456\.78|VSPHERE/);
      // Through the API: every statement line each vendor reads names none of the other's lines or orders.
      const dellLines = await ctx.store.db
        .selectFrom('orderLines')
        .select(['id', 'orderId'])
        .where('vendorId', '=', dell.vendorId)
        .execute();
      for (const [who, foreign] of [
        [dellAdmin, vmLines],
        [vmwAdmin, dellLines],
      ] as const) {
        const list = await who('GET', '/api/statements?limit=500');
        expect(list.status, list.text).toBe(200);
        const statements = list.body.items as { id: string }[];
        expect(statements.length).toBeGreaterThan(0);
        let text = list.text;
        for (const st of statements)
          text += (await who('GET', `/api/statements/${st.id}/lines?limit=500`)).text;
        expect(text).toContain('a qualifying purchase from another party to the agreement within 90 days');
        for (const l of foreign) {
          expect(text).not.toContain(l.id);
          expect(text).not.toContain(l.orderId);
        }
      }
      const a = await alpha('GET', `/api/agreements/${agreementId}`);
      expect((a.body.rewards as { rewardMinor: number }[]).map((r) => r.rewardMinor)).toEqual([
        1_234_57, 1_234_57,
      ]);
      expect(a.body.rewardTotals).toEqual([{ currency: 'USD', totalMinor: 1_234_57, shares: 2 }]);
      // Another partner sees none of it.
      expect((await bravo('GET', `/api/agreements/${agreementId}`)).body.rewards).toEqual([]);
    });

    it('notice: once (409), only by a party admin (403 / 404), for an allowed reason, dated in term', async () => {
      const again = await vmwAdmin('POST', `/api/agreements/${agreementId}/notice`, {
        reason: 'change-of-control',
      });
      expect(again.status, again.text).toBe(409);
      expect(
        (await dellAuditor('POST', `/api/agreements/${agreementId}/notice`, { reason: 'change-of-control' }))
          .status,
      ).toBe(403);
      const byPartner = await alpha('POST', `/api/agreements/${agreementId}/notice`, {
        reason: 'change-of-control',
      });
      expect(byPartner.status).toBe(403);
      expect(
        (await dellAdmin('POST', '/api/agreements/agr_nosuch/notice', { reason: 'change-of-control' }))
          .status,
      ).toBe(404);
      const bad = await dellAdmin('POST', `/api/agreements/${agreementId}/notice`, { reason: 'whim' });
      expect(bad.status).toBe(400);
      const audit = await ctx.store.db
        .selectFrom('auditEvents')
        .select(['action', 'vendorId', 'targetId'])
        .where('action', '=', 'agreement.notice')
        .execute();
      expect(audit).toEqual([{ action: 'agreement.notice', vendorId: dell.vendorId, targetId: agreementId }]);
      const events = (await dellAdmin('GET', `/api/agreements/${agreementId}`)).body.events as {
        kind: string;
        sentence: string;
        sentenceMessage: Message | null;
      }[];
      expect(events.map((e) => e.kind)).toEqual(['published', 'notice']);
      expect(events.map((e) => e.sentenceMessage?.key)).toEqual([
        'agreements.published',
        'agreements.notice',
      ]);
      for (const e of events) expect(e.sentenceMessage && renderEnglish(e.sentenceMessage)).toBe(e.sentence);
    });

    it('confirms the notice a published file records (the demo replays 2023), refuses any other', async () => {
      const out = await publishAgreement(
        ctx,
        (await agreementText()).replace('code: dell-vmware-commercial-framework-2021', 'code: cfa-as-filed'),
      );
      if (out.kind !== 'agreement') throw new Error('expected an agreement');
      const audits = async () =>
        (
          await ctx.store.db
            .selectFrom('auditEvents')
            .select('id')
            .where('action', '=', 'agreement.notice')
            .execute()
        ).length;
      const before = await audits();
      const same = await dellAdmin('POST', '/api/agreements/cfa-as-filed/notice', {
        reason: 'change-of-control',
        date: '2023-11-26',
      });
      expect(same.status, same.text).toBe(200);
      expect(same.body).toMatchObject({
        notice: { noticeDate: '2023-11-26', effectiveDate: '2024-01-25', by: 'dell' },
        accrualsThrough: '2024-01-24',
      });
      expect((same.body.events as { kind: string }[]).map((e) => e.kind)).toEqual(['published', 'notice']);
      expect(await audits()).toBe(before);
      for (const [who, date] of [
        [dellAdmin, '2023-11-27'],
        [vmwAdmin, '2023-11-26'],
      ] as const) {
        const other = await who('POST', '/api/agreements/cfa-as-filed/notice', {
          reason: 'change-of-control',
          date,
        });
        expect(other.status, other.text).toBe(409);
      }
    });
  });
}
