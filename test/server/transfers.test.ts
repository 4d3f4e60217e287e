import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { mergePrograms } from '../../src/app/transfers/merge.js';
import { getTransfer } from '../../src/app/transfers/queries.js';
import { partnersRefused, splitPartnerBase } from '../../src/app/transfers/split.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { TrellisError } from '../../src/core/shared/errors.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { overlappingMemberships } from '../support/memberships.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import {
  enrol,
  holdTiers,
  insertDeal,
  legacyProgramYaml,
  publishShippedAgreement,
  publishNewco,
  publishYaml,
} from '../support/transfers.js';

const OPERATOR = { actor: { kind: 'system' as const, id: 'test' }, scope: SYSTEM_SCOPE };
const DELL = 'dell-emc-partner-program';
const DELL_TIERS = ['authorized', 'gold', 'platinum', 'titanium'];

async function refusal(p: Promise<unknown>): Promise<TrellisError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TrellisError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

async function tierOn(ctx: AppContext, programId: string, partnerId: string, day: string) {
  const rows = await ctx.store.db
    .selectFrom('memberships')
    .select(['tierCode', 'source', 'grandfatheredUntil'])
    .where('programId', '=', programId)
    .where('partnerId', '=', partnerId)
    .where('validFrom', '<=', day)
    .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', day)]))
    .execute();
  return rows;
}

for (const kind of STORE_KINDS) {
  describe(`program transfers: split, on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let vmware: { vendorId: string; programId: string };
    let newco: { vendorId: string; programId: string };

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell, vmware } = await loadFixture(ctx));
      newco = await publishNewco(ctx);
      await holdTiers(ctx, dell, DELL_TIERS, '2017-02-01', {
        ptn_alpha: 'titanium',
        ptn_bravo: 'gold',
      });
      // Delta holds no record: the floor (authorized) is carried.
      // Certifications with Dell: storage (NewCo sells it) and software (it does not); one expired.
      await ctx.store.db
        .insertInto('certifications')
        .values([
          cert(
            'crt_t1',
            dell.vendorId,
            'ptn_alpha',
            'per_alpha_admin',
            'storage',
            '2017-01-01',
            '2019-01-01',
          ),
          cert('crt_t2', dell.vendorId, 'ptn_alpha', 'per_alpha_rep', 'software', '2017-01-01', '2019-01-01'),
          cert(
            'crt_t3',
            dell.vendorId,
            'ptn_bravo',
            'per_bravo_admin',
            'servers',
            '2015-01-01',
            '2016-01-01',
          ),
        ])
        .execute();
      // Registrations with Dell: Alpha's approved one on Acme (NewCo has Acme, by domain): carried with its
      // protection; Bravo's on Globex (NewCo has no such customer) and Alpha's pending one: not carried.
      await insertDeal(ctx, dell, {
        id: 'deal_acme',
        partnerId: 'ptn_alpha',
        status: 'approved',
        customerName: 'Acme Corp',
        customerDomain: 'acme.example',
        customerCountry: 'GB',
        customerRegion: 'emea',
        family: 'storage',
        protectedUntil: '2017-07-30',
      });
      await insertDeal(ctx, dell, {
        id: 'deal_globex',
        partnerId: 'ptn_bravo',
        status: 'approved',
        customerName: 'Globex 100% Ltd',
        customerDomain: null,
        customerCountry: 'US',
        customerRegion: 'na',
        family: 'servers',
        protectedUntil: '2017-07-30',
      });
      await insertDeal(ctx, dell, {
        id: 'deal_pending',
        partnerId: 'ptn_alpha',
        status: 'submitted',
        customerName: 'Acme Corp',
        customerDomain: 'acme.example',
        customerCountry: 'GB',
        customerRegion: 'emea',
        family: 'servers',
        protectedUntil: null,
      });
      await ctx.store.db
        .insertInto('customers')
        .values({
          id: 'cus_newco_acme',
          vendorId: newco.vendorId,
          name: 'ACME Corporation',
          domain: 'ACME.example',
          country: 'GB',
          region: 'emea',
          segment: 'enterprise',
          addressLine: null,
          city: null,
          postalCode: null,
          createdAt: '2017-01-01T00:00:00.000Z',
        })
        .execute();
      app = await buildServer(ctx);
    });
    afterAll(async () => {
      await app?.close();
      await t?.cleanup();
    });

    it('refuses a split into a program of the same vendor, an unknown tier, a day outside the target', async () => {
      const same = await refusal(
        splitPartnerBase(ctx, OPERATOR, { source: DELL, target: DELL, onDay: '2017-06-01' }),
      );
      expect(same.code).toBe('invalid_input');
      expect(same.details[0]?.location).toBe('target');
      expect(same.message).toContain('same vendor');

      const unknown = await refusal(
        splitPartnerBase(ctx, OPERATOR, {
          source: DELL,
          target: 'newco-partner-program',
          onDay: '2017-06-01',
          tierMap: {
            authorized: 'authorized',
            gold: 'gold',
            platinum: 'platinum',
            titanium: 'unobtanium',
            nope: 'gold',
          },
        }),
      );
      expect(unknown.code).toBe('invalid_input');
      expect(unknown.details.map((d) => d.location).sort()).toEqual(['tierMap.nope', 'tierMap.titanium']);

      const status = await refusal(
        splitPartnerBase(ctx, OPERATOR, {
          source: DELL,
          target: 'newco-partner-program',
          onDay: '2017-06-01',
          tierMap: {
            authorized: 'authorized',
            gold: 'gold',
            platinum: 'platinum',
            titanium: 'titanium',
            'titanium-black': 'titanium',
          },
        }),
      );
      expect(status.details.map((d) => d.location)).toEqual(['tierMap.titanium-black']);

      const outside = await refusal(
        splitPartnerBase(ctx, OPERATOR, {
          source: DELL,
          target: 'newco-partner-program',
          onDay: '2019-06-01',
        }),
      );
      expect(outside.code).toBe('invalid_input');
      expect(outside.details[0]?.location).toBe('onDay');

      const missing = await refusal(
        splitPartnerBase(ctx, OPERATOR, { source: DELL, target: 'no-such-program', onDay: '2017-06-01' }),
      );
      expect(missing.code).toBe('not_found');
      // Nothing was written by any refusal.
      expect(await ctx.store.db.selectFrom('programTransfers').select('id').execute()).toEqual([]);
      expect(
        await ctx.store.db
          .selectFrom('enrolments')
          .select('id')
          .where('programId', '=', newco.programId)
          .execute(),
      ).toEqual([]);
    });

    it('golden: a split carries every partner with identical standing the next day', async () => {
      const result = await splitPartnerBase(ctx, OPERATOR, {
        source: DELL,
        target: 'newco-partner-program',
        onDay: '2017-06-01',
      });
      expect(result.transfer.status).toBe('carried');
      expect(result.transfer.counts).toEqual({
        partners: 3,
        enrolments: 3,
        memberships: 3,
        certifications: 1,
        notCarried: 3,
        differences: 0,
      });
      expect(result.differences).toEqual([]);
      for (const [partner, tier] of [
        ['ptn_alpha', 'titanium'],
        ['ptn_bravo', 'gold'],
        ['ptn_dist', 'authorized'],
      ] as const) {
        expect((await tierOn(ctx, newco.programId, partner, '2017-06-02')).map((m) => m.tierCode)).toEqual([
          tier,
        ]);
        expect(await tierOn(ctx, newco.programId, partner, '2017-05-31')).toEqual([]);
      }
      expect(await overlappingMemberships(ctx)).toEqual([]);
      // The enrolment keeps the partner number and exclusivity (Alpha sells exclusively).
      const alpha = await ctx.store.db
        .selectFrom('enrolments')
        .select(['partnerNumber', 'exclusive'])
        .where('programId', '=', newco.programId)
        .where('partnerId', '=', 'ptn_alpha')
        .executeTakeFirstOrThrow();
      expect(alpha).toEqual({ partnerNumber: 'D-1', exclusive: 1 });
      // The storage certification went with it, with its dates; the software one did not (NewCo sells none).
      const certs = await ctx.store.db
        .selectFrom('certifications')
        .select(['personId', 'family', 'earnedOn', 'expiresOn'])
        .where('vendorId', '=', newco.vendorId)
        .execute();
      expect(certs).toEqual([
        { personId: 'per_alpha_admin', family: 'storage', earnedOn: '2017-01-01', expiresOn: '2019-01-01' },
      ]);
      const detail = await getTransfer(ctx, SYSTEM_SCOPE, result.transfer.id);
      const a = detail.partners.find((p) => p.partnerId === 'ptn_alpha')!;
      expect(a.ok).toBe(true);
      expect(a.heldTier).toBe('titanium');
      // Titanium storage 4% x1.25 exclusivity = 5%, in both programs.
      expect(a.rates.find((r) => r.family === 'storage')).toEqual({
        family: 'storage',
        source: 50_000,
        target: 50_000,
      });
      // Each with why in English and as a message the app translates.
      expect(a.notCarried).toEqual([
        {
          kind: 'certification',
          id: 'crt_t2',
          why: expect.stringContaining('does not sell software'),
          whyMessage: expect.objectContaining({ key: 'transfers.notCarried.certificationNotSold' }),
        },
        {
          kind: 'deal',
          id: 'deal_pending',
          why: expect.stringContaining("awaits dell's decision"),
          whyMessage: expect.objectContaining({ key: 'transfers.notCarried.dealPending' }),
        },
      ]);
      const b = detail.partners.find((p) => p.partnerId === 'ptn_bravo')!;
      expect(b.notCarried).toEqual([
        {
          kind: 'deal',
          id: 'deal_globex',
          why: expect.stringContaining('newco has no customer matching it'),
          whyMessage: expect.objectContaining({ key: 'transfers.notCarried.dealNoCustomer' }),
        },
      ]);
      // Alpha's approved registration goes on at NewCo, on NewCo's Acme, with the same last protected day.
      const carried = await ctx.store.db
        .selectFrom('dealRegistrations')
        .select(['id', 'partnerId', 'status', 'customerId', 'claimKey', 'protectedUntil', 'sequence'])
        .where('vendorId', '=', newco.vendorId)
        .execute();
      expect(carried).toMatchObject([
        {
          partnerId: 'ptn_alpha',
          status: 'approved',
          customerId: 'cus_newco_acme',
          claimKey: 'cus_newco_acme',
          protectedUntil: '2017-07-30',
          sequence: 1,
        },
      ]);
      const claims = await ctx.store.db
        .selectFrom('dealClaims')
        .select(['family', 'region', 'active'])
        .where('registrationId', '=', carried[0]!.id)
        .execute();
      expect(claims).toEqual([{ family: 'storage', region: 'emea', active: 1 }]);
      const events = await ctx.store.db
        .selectFrom('dealRegistrationEvents')
        .select(['action', 'toStatus', 'note'])
        .where('registrationId', '=', carried[0]!.id)
        .execute();
      expect(events).toEqual([
        {
          action: 'carried',
          toStatus: 'approved',
          note: expect.stringContaining('protected until 2017-07-30'),
        },
      ]);
      // The source's registration stays as it was.
      const source = await ctx.store.db
        .selectFrom('dealRegistrations')
        .select(['status', 'version'])
        .where('id', '=', 'deal_acme')
        .executeTakeFirstOrThrow();
      expect(source).toEqual({ status: 'approved', version: 1 });
      const audit = await ctx.store.db
        .selectFrom('auditEvents')
        .select(['vendorId', 'action'])
        .where('targetId', '=', result.transfer.id)
        .orderBy('vendorId')
        .execute();
      expect(audit.map((e) => e.vendorId).sort()).toEqual([dell.vendorId, newco.vendorId].sort());
    });

    it('in the app, a refused check names the partners, to accept explicitly', async () => {
      const input = { source: DELL, target: 'vmware-partner-connect', onDay: '2021-11-01' };
      const refused = await refusal(splitPartnerBase(ctx, OPERATOR, input));
      expect(partnersRefused(refused)).toEqual(['ptn_alpha', 'ptn_bravo', 'ptn_dist']);
      // Accepting only some still refuses the others.
      const partly = await refusal(
        splitPartnerBase(ctx, OPERATOR, { ...input, acceptDifferences: ['ptn_alpha'] }),
      );
      expect(partnersRefused(partly)).toEqual(['ptn_bravo', 'ptn_dist']);
      expect(partnersRefused(new Error('x'))).toEqual([]);
    });

    it('refuses the same split twice', async () => {
      const again = await refusal(
        splitPartnerBase(ctx, OPERATOR, {
          source: DELL,
          target: 'newco-partner-program',
          onDay: '2017-07-01',
        }),
      );
      expect(again.code).toBe('conflict');
      expect(again.message).toContain('already carried');
    });

    it("the API: a source admin needs the target's consent; a failed check is refused and rolled back unless accepted", async () => {
      const dellAdmin = client(app, await signIn(app, 'admin@dell.test'));
      const vmwAdmin = client(app, await signIn(app, 'admin@vmware.test'));
      const body = { kind: 'split', source: DELL, target: 'vmware-partner-connect', onDay: '2021-11-01' };
      const noConsent = await dellAdmin('POST', '/api/program-transfers', body);
      expect(noConsent.status).toBe(403);
      expect(noConsent.body.detail).toContain('has not consented');
      await publishShippedAgreement(ctx);
      // The target vendor does not run a split of another vendor's partners: Dell's program is not its own.
      expect((await vmwAdmin('POST', '/api/program-transfers', body)).status).toBe(404);
      // Dell's admin learns nothing of a program it has no agreement about: existing or not, one refusal.
      const foreign = await dellAdmin('POST', '/api/program-transfers', {
        ...body,
        target: 'contoso-partners',
      });
      const missing = await dellAdmin('POST', '/api/program-transfers', {
        ...body,
        target: 'no-such-program',
      });
      expect([foreign.status, missing.status]).toEqual([403, 403]);
      expect(String(missing.body.detail).replaceAll('no-such-program', 'contoso-partners')).toBe(
        foreign.body.detail,
      );
      const partner = client(app, await signIn(app, 'admin@alpha.test'));
      expect((await partner('POST', '/api/program-transfers', body)).status).toBe(403);
      expect((await partner('GET', '/api/program-transfers')).status).toBe(403);

      // VMware pays on software, Dell did not: every partner's software rate differs. Refused, nothing written.
      const refused = await viaJob(dellAdmin, 'POST', '/api/program-transfers', body);
      expect(refused.status).toBe(409);
      const where = (refused.body.errors as { location: string; message: string }[]).map((e) => e.location);
      expect(new Set(where)).toEqual(
        new Set(['partners.ptn_alpha', 'partners.ptn_bravo', 'partners.ptn_dist']),
      );
      expect(
        await ctx.store.db
          .selectFrom('enrolments')
          .select('id')
          .where('programId', '=', vmware.programId)
          .where('partnerId', 'in', ['ptn_bravo', 'ptn_dist'])
          .execute(),
      ).toEqual([]);
      expect(await ctx.store.db.selectFrom('programTransfers').select('id').execute()).toHaveLength(1);

      const done = await viaJob(dellAdmin, 'POST', '/api/program-transfers', {
        ...body,
        acceptDifferences: ['ptn_alpha', 'ptn_bravo', 'ptn_dist'],
      });
      expect(done.status).toBe(200);
      const transfer = (
        done.body as { transfer: { id: string; status: string; counts: Record<string, number> } }
      ).transfer;
      expect(transfer.status).toBe('carried-with-differences');
      // Alpha was already enrolled with VMware: two new enrolments.
      expect(transfer.counts.enrolments).toBe(2);

      // Both vendors' admins see it; the detail carries each partner's check.
      for (const who of [dellAdmin, vmwAdmin, client(app, await signIn(app, 'auditor@dell.test'))]) {
        const list = await who('GET', '/api/program-transfers?kind=split');
        expect(list.status).toBe(200);
        expect((list.body.items as { id: string }[]).map((i) => i.id)).toContain(transfer.id);
      }
      const detail = await vmwAdmin('GET', `/api/program-transfers/${transfer.id}`);
      expect(detail.status).toBe(200);
      const bravo = (
        detail.body.partners as {
          partnerId: string;
          accepted: boolean;
          heldTier: string;
          rates: unknown[];
          differences: { sentence: string; sentenceMessage: { key: string } | null }[];
        }[]
      ).find((p) => p.partnerId === 'ptn_bravo')!;
      expect(bravo.accepted).toBe(true);
      // Each difference as a message the app translates, beside its English sentence.
      expect(bravo.differences.length).toBeGreaterThan(0);
      for (const d of bravo.differences) expect(d.sentenceMessage?.key).toMatch(/^transfers\./);
      expect(bravo.heldTier).toBe('advantage');
      expect(bravo.rates).toEqual([{ family: 'software', source: 0, target: 20_000 }]);
      // VMware never sees the NewCo split (it is no party to it).
      const vmwList = await vmwAdmin('GET', '/api/program-transfers');
      expect((vmwList.body.items as { kind: string }[]).length).toBe(1);
      // A channel manager reads no transfers.
      const cm = client(app, await signIn(app, 'cm.na@dell.test'));
      expect((await cm('GET', '/api/program-transfers')).status).toBe(403);
    });

    it('transfers are append-only', async () => {
      await expect(
        ctx.store.db.updateTable('programTransfers').set({ status: 'x' }).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(ctx.store.db.deleteFrom('programTransferPartners').execute()).rejects.toThrow(
        /append-only/,
      );
    });
  });

  describe(`program transfers: two runs of one split at once, on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let newco: { vendorId: string; programId: string };

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      const { dell } = await loadFixture(ctx);
      newco = await publishNewco(ctx);
      await holdTiers(ctx, dell, DELL_TIERS, '2017-02-01', { ptn_alpha: 'platinum', ptn_bravo: 'gold' });
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('one wins, the others are refused with a conflict, nothing is carried twice', async () => {
      const runs = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          splitPartnerBase(ctx, OPERATOR, {
            source: DELL,
            target: 'newco-partner-program',
            onDay: '2017-06-01',
          }),
        ),
      );
      const won = runs.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of runs)
        if (r.status === 'rejected') {
          expect(r.reason).toBeInstanceOf(TrellisError);
          expect((r.reason as TrellisError).code).toBe('conflict');
        }
      expect(await ctx.store.db.selectFrom('programTransfers').select('id').execute()).toHaveLength(1);
      const enrolments = await ctx.store.db
        .selectFrom('enrolments')
        .select('partnerId')
        .where('programId', '=', newco.programId)
        .execute();
      expect(enrolments.map((e) => e.partnerId).sort()).toEqual(['ptn_alpha', 'ptn_bravo', 'ptn_dist']);
      const memberships = await ctx.store.db
        .selectFrom('memberships')
        .select('partnerId')
        .where('programId', '=', newco.programId)
        .execute();
      expect(memberships).toHaveLength(3);
      expect(await overlappingMemberships(ctx)).toEqual([]);
    });
  });

  describe(`program transfers: merge, on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let dell: { vendorId: string; programId: string };
    let emcVendorId: string;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell } = await loadFixture(ctx));
      const pd = await publishYaml(
        ctx,
        legacyProgramYaml('dell', 'dell-partnerdirect', [
          'registered',
          'preferred',
          'premier',
          'premier-plus',
        ]),
        'pd.yaml',
      );
      const emc = await publishYaml(
        ctx,
        legacyProgramYaml('emc', 'emc-business-partner-program', [
          'authorized',
          'silver',
          'gold',
          'platinum',
        ]),
        'emc.yaml',
      );
      emcVendorId = emc.vendorId;
      await enrol(ctx, pd, ['ptn_alpha', 'ptn_bravo']);
      await enrol(ctx, emc, ['ptn_alpha', 'ptn_vmonly']);
      await holdTiers(ctx, pd, ['registered', 'preferred', 'premier', 'premier-plus'], '2016-02-01', {
        ptn_alpha: 'premier',
        ptn_bravo: 'preferred',
      });
      await holdTiers(ctx, emc, ['authorized', 'silver', 'gold', 'platinum'], '2016-02-01', {
        ptn_alpha: 'platinum',
        ptn_vmonly: 'silver',
      });
      await ctx.store.db
        .insertInto('certifications')
        .values([
          cert(
            'crt_m1',
            emc.vendorId,
            'ptn_vmonly',
            'per_victor_admin',
            'storage',
            '2016-06-01',
            '2018-06-01',
          ),
        ])
        .execute();
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('refuses a legacy program the status match does not list, and the program itself', async () => {
      const e = await refusal(
        mergePrograms(ctx, OPERATOR, { target: DELL, legacy: ['vmware-partner-connect', DELL] }),
      );
      expect(e.code).toBe('invalid_input');
      expect(e.details.map((d) => d.location)).toEqual(['legacy.0', 'legacy.1']);
    });

    it('golden: the 2017 merge enrols, status-matches and carries certifications', async () => {
      const result = await mergePrograms(ctx, OPERATOR, {
        target: DELL,
        legacy: ['dell-partnerdirect', 'emc-business-partner-program'],
      });
      expect(result.transfer.kind).toBe('merge');
      expect(result.transfer.counts).toMatchObject({
        partners: 3,
        enrolments: 1,
        memberships: 3,
        certifications: 1,
      });
      // Alpha: Premier -> Platinum, EMC Platinum -> Titanium: the higher. Victor: EMC Silver -> Gold.
      for (const [p, tier] of [
        ['ptn_alpha', 'titanium'],
        ['ptn_bravo', 'gold'],
        ['ptn_vmonly', 'gold'],
      ] as const) {
        const held = await tierOn(ctx, dell.programId, p, '2017-02-02');
        expect(held).toEqual([{ tierCode: tier, source: 'status-match', grandfatheredUntil: '2018-02-01' }]);
      }
      expect(await overlappingMemberships(ctx)).toEqual([]);
      // EMC, a party to the merge, reads the results of its own legacy partners only; Dell reads all.
      const asVendor = (vendorId: string) => ({ kind: 'vendor' as const, vendorId, regions: [] });
      const seen = async (vendorId: string) =>
        (await getTransfer(ctx, asVendor(vendorId), result.transfer.id)).partners.map((p) => p.partnerId);
      expect(await seen(emcVendorId)).toEqual(['ptn_alpha', 'ptn_vmonly']);
      expect(await seen(dell.vendorId)).toEqual(['ptn_alpha', 'ptn_bravo', 'ptn_vmonly']);
      const again = await refusal(
        mergePrograms(ctx, OPERATOR, { target: DELL, legacy: ['dell-partnerdirect'] }),
      );
      expect(again.code).toBe('conflict');
    });
  });
}

function cert(
  id: string,
  vendorId: string,
  partnerId: string,
  personId: string,
  family: string,
  earnedOn: string,
  expiresOn: string,
) {
  return {
    id,
    vendorId,
    partnerId,
    personId,
    code: `${family}-sales`,
    kind: 'sales',
    family,
    earnedOn,
    expiresOn,
  };
}
